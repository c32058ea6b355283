package dev.berth.cli.format;

import java.util.List;

/**
 * Methods with arguments on a template value, like docker's {@code {{.Label "com.example.key"}}} on
 * its formatter contexts. Kept apart from {@link TemplateFields} because {@code {{json .}}} writes
 * fields only.
 */
public interface TemplateMethods {
    /** Whether {@code name} is a method of this value. */
    boolean hasMethod(String name);

    /** Calls method {@code name}; an {@link IllegalArgumentException}'s message reports a bad call. */
    Object invoke(String name, List<Object> args);
}
