package dev.berth.images.dockerfile;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One parsed Dockerfile instruction. Values are NOT variable-expanded and still carry their
 * quotes: the builder runs them through {@link VariableExpander} with the build-time ARG/ENV scope
 * (Docker expands ADD COPY ENV EXPOSE FROM LABEL STOPSIGNAL USER VOLUME WORKDIR ONBUILD; ENV/LABEL/ARG
 * values must always go through the expander, which is also what removes their quotes).
 */
public sealed interface Instruction {
    /** 1-based line where the instruction starts. */
    int line();

    /** The logical source line (continuations joined) as Docker prints it in {@code Step N/M : ...}. */
    String original();

    /** A heredoc body; {@code content} already has tabs stripped for {@code <<-}, and ends in a newline. */
    record Heredoc(String name, String content, boolean expand, boolean chomp) {}

    /** ENV / LABEL pair; value is raw (quotes still present). */
    record KeyValue(String key, String value) {}

    /** ARG name with an optional raw default (null when absent). */
    record ArgDef(String name, String defaultValue) {}

    /** {@code --mount=type=...,k=v} of RUN; {@code options} keeps every key as written (lower-case keys). */
    record Mount(String type, Map<String, String> options) {
        /** The stage/image a bind or cache mount reads from, or null. */
        public String from() {
            return options.get("from");
        }
    }

    record From(int line, String original, String image, String alias, String platform) implements Instruction {}

    record Run(int line, String original, List<String> args, boolean shellForm, List<Mount> mounts,
               String network, String security, List<Heredoc> heredocs) implements Instruction {}

    record Cmd(int line, String original, List<String> args, boolean shellForm) implements Instruction {}

    record Entrypoint(int line, String original, List<String> args, boolean shellForm) implements Instruction {}

    record Label(int line, String original, List<KeyValue> labels) implements Instruction {}

    /** Ports as written, sorted like Docker does. */
    record Expose(int line, String original, List<String> ports) implements Instruction {}

    record Env(int line, String original, List<KeyValue> vars) implements Instruction {}

    /** {@code sources} excludes heredoc sources, which are in {@code heredocs}. */
    record Add(int line, String original, List<String> sources, String dest, String chown, String chmod,
               boolean link, String checksum, boolean keepGitDir, List<Heredoc> heredocs) implements Instruction {}

    record Copy(int line, String original, List<String> sources, String dest, String from, String chown,
                String chmod, boolean link, List<Heredoc> heredocs) implements Instruction {}

    record Volume(int line, String original, List<String> paths) implements Instruction {}

    record User(int line, String original, String user) implements Instruction {}

    record Workdir(int line, String original, String path) implements Instruction {}

    record Arg(int line, String original, List<ArgDef> args) implements Instruction {}

    /** {@code expression} is the trigger text stored in the image's OnBuild; {@code trigger} its parse. */
    record Onbuild(int line, String original, String expression, Instruction trigger) implements Instruction {}

    record Stopsignal(int line, String original, String signal) implements Instruction {}

    /**
     * {@code test} as Docker stores it: {@code ["NONE"]}, {@code ["CMD", ...]} or {@code ["CMD-SHELL", cmd]}.
     * Durations are null when not given; retries null when not given.
     */
    record Healthcheck(int line, String original, List<String> test, Duration interval, Duration timeout,
                       Duration startPeriod, Duration startInterval, Integer retries) implements Instruction {}

    record Shell(int line, String original, List<String> shell) implements Instruction {}

    record Maintainer(int line, String original, String maintainer) implements Instruction {}
}
