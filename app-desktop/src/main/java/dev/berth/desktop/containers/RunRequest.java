package dev.berth.desktop.containers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.client.run.ConfigException;
import dev.berth.engine.client.run.ContainerConfigBuilder;
import dev.berth.engine.client.run.ContainerOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the "Run a container" dialog asks for, as the text the user typed, turned into the body of
 * {@code POST /containers/create} by the same {@link ContainerConfigBuilder} that {@code berth run}
 * uses, as if typed as {@code run -d --name N -p P -e E -v V --network NET --restart R IMAGE CMD}.
 * {@link #problem()} says what is wrong with the input, before anything is sent.
 */
public record RunRequest(String image, String name, String command, String ports, String env, String volumes,
                         String network, String restart) {
    /** {@code --restart}'s policies, as the dialog offers them. */
    public static final List<String> RESTART_POLICIES = List.of("no", "always", "unless-stopped", "on-failure");

    /** The first thing wrong with the input, in words; null when it can be sent. */
    public String problem() {
        if (image.isBlank()) {
            return "Which image? For example busybox:latest.";
        }
        for (String e : lines(env)) {
            // A bare NAME would take the desktop's own environment variable: not what a form means.
            if (e.indexOf('=') <= 0) {
                return "Environment \"" + e + "\": write NAME=value, one a line.";
            }
        }
        try {
            CommandWords.split(command);
        } catch (IllegalArgumentException e) {
            return "Command: " + e.getMessage() + ".";
        }
        for (String p : items(ports)) {
            String why = refusal(o -> o.publish.add(p));
            if (why != null) {
                return "Port \"" + p + "\": " + why + ". Write host:container, e.g. 8080:80, or 127.0.0.1:8080:80/tcp.";
            }
        }
        for (String v : lines(volumes)) {
            String why = refusal(o -> o.volumes.add(v));
            if (why != null) {
                return "Volume \"" + v + "\": " + why + ". Write volume-or-host-path:/path/in/container[:ro], one a line.";
            }
        }
        if (!restart.isBlank()) {
            // The engine would refuse an unknown policy only once the request is sent; the form says so first.
            if (!RESTART_POLICIES.contains(restart.strip().split(":", 2)[0])) {
                return "Restart policy \"" + restart + "\": one of " + String.join(", ", RESTART_POLICIES) + ".";
            }
            String why = refusal(o -> o.restart = restart.strip());
            if (why != null) {
                return "Restart policy \"" + restart + "\": " + why + ".";
            }
        }
        return refusal(o -> fill(o));
    }

    /** The create body; call only when {@link #problem()} is null. */
    public ObjectNode body() {
        ContainerOptions o = new ContainerOptions();
        fill(o);
        return builder().build(o, true, null).body();
    }

    private void fill(ContainerOptions o) {
        o.detach = true;
        o.args.add(image.strip());
        o.args.addAll(CommandWords.split(command));
        if (!name.isBlank()) {
            o.name = name.strip();
        }
        o.publish.addAll(items(ports));
        o.env.addAll(lines(env));
        o.volumes.addAll(lines(volumes));
        if (!network.isBlank()) {
            o.network = network.strip();
        }
        if (!restart.isBlank()) {
            o.restart = restart.strip();
        }
    }

    /** What the builder says of the image plus one option; null when it takes it. */
    private String refusal(java.util.function.Consumer<ContainerOptions> option) {
        ContainerOptions o = new ContainerOptions();
        o.detach = true;
        o.args.add(image.isBlank() ? "image" : image.strip());
        option.accept(o);
        try {
            builder().build(o, true, null);
            return null;
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    /** No host environment (a bare -e NAME is refused above) and no working directory but the user's home. */
    private static ContainerConfigBuilder builder() {
        return new ContainerConfigBuilder(key -> null, Path.of(System.getProperty("user.home")));
    }

    /** Comma- or space-separated entries. */
    private static List<String> items(String s) {
        return s == null || s.isBlank() ? List.of() : List.of(s.strip().split("[,\\s]+"));
    }

    /** Non-blank lines, stripped. */
    private static List<String> lines(String s) {
        return s == null ? List.of() : s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /**
     * The command field split into words as a POSIX shell splits them, without expansions: quotes
     * keep spaces ({@code sh -c "echo hi; sleep 5"}), a backslash escapes the next character.
     */
    static final class CommandWords {
        private CommandWords() {
        }

        static List<String> split(String line) {
            List<String> words = new ArrayList<>();
            if (line == null) {
                return words;
            }
            StringBuilder word = new StringBuilder();
            boolean inWord = false;
            char quote = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote == '\'') {
                    if (c == '\'') {
                        quote = 0;
                    } else {
                        word.append(c);
                    }
                } else if (quote == '"') {
                    if (c == '"') {
                        quote = 0;
                    } else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        word.append(line.charAt(++i));
                    } else {
                        word.append(c);
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                    inWord = true;
                } else if (c == '\\') {
                    if (i + 1 == line.length()) {
                        throw new IllegalArgumentException("it ends with a lone backslash");
                    }
                    word.append(line.charAt(++i));
                    inWord = true;
                } else if (Character.isWhitespace(c)) {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                } else {
                    word.append(c);
                    inWord = true;
                }
            }
            if (quote != 0) {
                throw new IllegalArgumentException("a " + (quote == '"' ? "double" : "single") + " quote is not closed");
            }
            if (inWord) {
                words.add(word.toString());
            }
            return words;
        }
    }
}
