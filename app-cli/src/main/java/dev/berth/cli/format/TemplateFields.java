package dev.berth.cli.format;

import java.util.Map;

/**
 * A value with a fixed set of named fields for templates, like the Go structs docker formats: an
 * unknown field is an error (not {@code <no value>}), and {@code {{json .}}} writes every field
 * with sorted keys.
 */
public interface TemplateFields {
    /** The Go-style type name shown in errors, e.g. {@code *formatter.imageContext}. */
    String typeName();

    /** Every field by name; a field's value may be computed when asked for. */
    Map<String, Object> asMap();
}
