package dev.berth.desktop.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits Dockerfile text into spans for the preview: instruction keywords, comments, quoted strings
 * and {@code $VAR}/{@code ${VAR}} references. Deliberately simple: it colours, the parser judges.
 */
public final class DockerfileHighlighter {
    public enum Kind { INSTRUCTION, COMMENT, STRING, VARIABLE, TEXT }

    public record Span(Kind kind, String text) {
    }

    private static final Set<String> INSTRUCTIONS = Set.of("FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV",
            "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK",
            "SHELL", "AS");

    private DockerfileHighlighter() {
    }

    public static List<Span> highlight(String text) {
        List<Span> out = new ArrayList<>();
        for (String line : text.split("(?<=\n)", -1)) {
            line(line, out);
        }
        return out;
    }

    private static void line(String line, List<Span> out) {
        String trimmed = line.stripLeading();
        if (trimmed.startsWith("#")) {
            out.add(new Span(Kind.COMMENT, line));
            return;
        }
        int i = 0;
        StringBuilder text = new StringBuilder();
        boolean first = true;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isLetter(c) && (i == 0 || !Character.isLetterOrDigit(line.charAt(i - 1)))) {
                int j = i;
                while (j < line.length() && Character.isLetter(line.charAt(j))) {
                    j++;
                }
                String word = line.substring(i, j);
                boolean keyword = INSTRUCTIONS.contains(word.toUpperCase(Locale.ROOT))
                        && (first && text.toString().isBlank() || word.equalsIgnoreCase("AS"));
                first = false;
                if (keyword) {
                    flush(text, out);
                    out.add(new Span(Kind.INSTRUCTION, word));
                } else {
                    text.append(word);
                }
                i = j;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < line.length() && line.charAt(j) != c && line.charAt(j) != '\n') {
                    j += line.charAt(j) == '\\' && c == '"' ? 2 : 1;
                }
                j = Math.min(j + 1, line.length());
                flush(text, out);
                out.add(new Span(Kind.STRING, line.substring(i, j)));
                i = j;
            } else if (c == '$' && i + 1 < line.length() && (line.charAt(i + 1) == '{' || Character.isLetter(line.charAt(i + 1))
                    || line.charAt(i + 1) == '_')) {
                int j;
                if (line.charAt(i + 1) == '{') {
                    int close = line.indexOf('}', i);
                    j = close < 0 ? line.length() : close + 1;
                } else {
                    j = i + 1;
                    while (j < line.length() && (Character.isLetterOrDigit(line.charAt(j)) || line.charAt(j) == '_')) {
                        j++;
                    }
                }
                flush(text, out);
                out.add(new Span(Kind.VARIABLE, line.substring(i, j)));
                i = j;
            } else {
                if (!Character.isWhitespace(c)) {
                    first = false;
                }
                text.append(c);
                i++;
            }
        }
        flush(text, out);
    }

    private static void flush(StringBuilder text, List<Span> out) {
        if (!text.isEmpty()) {
            out.add(new Span(Kind.TEXT, text.toString()));
            text.setLength(0);
        }
    }
}
