package dev.berth.cli.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON the way docker's CLI writes it: Go's encoder without HTML escaping ({@code {{json .}}}), and
 * Go's {@code json.Indent} with four spaces (inspect output), which keeps the engine's field order
 * and writes empty arrays and objects as {@code []} and {@code {}}.
 */
public final class GoJson {
    /** jackson-core only: a streaming parser starts in a few milliseconds, databind's ObjectMapper in a hundred. */
    private static final JsonFactory FACTORY = new JsonFactory();

    private GoJson() {
    }

    /** Parses JSON into maps (insertion-ordered), lists, strings, numbers, booleans and nulls. */
    public static Object parse(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("empty JSON");
            }
            Object value = read(p, t);
            if (p.nextToken() != null) {
                throw new IOException("trailing data after JSON value");
            }
            return value;
        }
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, read(p, p.nextToken()));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(read(p, e));
                }
                yield l;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getBigIntegerValue();
            case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected JSON token " + t);
        };
    }

    /** Compact JSON of a template value; row objects ({@link TemplateFields}) with sorted keys, as Go's maps are. */
    public static String marshal(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, false);
        return sb.toString();
    }

    /**
     * {@code html}: escape {@code <}, {@code >} and {@code &} as encoding/json's defaults do. docker's
     * {@code json} template function turns that escaping off, but a table row (its formatter contexts)
     * marshals itself with json.Marshal, so {@code {{json .}}} of a row prints {@code \u003cnone\u003e}
     * while {@code {{json .Digest}}} prints {@code "<none>"}.
     */
    private static void write(StringBuilder sb, Object v, boolean html) {
        // instanceof rather than a pattern switch: no bootstrap cost on a cold start.
        if (v == null) {
            sb.append("null");
        } else if (v instanceof TemplateFields f) {
            write(sb, new TreeMap<>(f.asMap()), true);
        } else if (v instanceof String s) {
            quote(sb, s, html);
        } else if (v instanceof Boolean b) {
            sb.append(b);
        } else if (v instanceof BigDecimal d) {
            sb.append(d.toPlainString());
        } else if (v instanceof Number n) {
            sb.append(n);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, String.valueOf(e.getKey()), html);
                sb.append(':');
                write(sb, e.getValue(), html);
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, l.get(i), html);
            }
            sb.append(']');
        } else {
            quote(sb, String.valueOf(v), html);
        }
    }

    static void quote(StringBuilder sb, String s) {
        quote(sb, s, false);
    }

    private static void quote(StringBuilder sb, String s, boolean html) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\u2028' -> sb.append("\\u2028");
                case '\u2029' -> sb.append("\\u2029");
                case '<', '>', '&' -> {
                    if (html) {
                        sb.append(c == '<' ? "\\u003c" : c == '>' ? "\\u003e" : "\\u0026");
                    } else {
                        sb.append(c);
                    }
                }
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Go's {@code json.Indent(dst, src, "", indent)}: re-indents without touching strings or field order. */
    public static String indent(String json, String indent) {
        StringBuilder out = new StringBuilder(json.length() * 2);
        int depth = 0;
        boolean needIndent = false;
        int i = 0;
        int n = json.length();
        while (i < n && Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        for (; i < n; i++) {
            char c = json.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (needIndent && c != ']' && c != '}') {
                needIndent = false;
                depth++;
                newline(out, indent, depth);
            }
            switch (c) {
                case '"' -> {
                    int start = i;
                    i++;
                    while (i < n && json.charAt(i) != '"') {
                        if (json.charAt(i) == '\\') {
                            i++;
                        }
                        i++;
                    }
                    out.append(json, start, Math.min(i + 1, n));
                }
                case '{', '[' -> {
                    out.append(c);
                    needIndent = true;
                }
                case ',' -> {
                    out.append(c);
                    newline(out, indent, depth);
                }
                case ':' -> out.append(": ");
                case '}', ']' -> {
                    if (needIndent) {
                        needIndent = false; // empty: stays {} or []
                    } else {
                        depth--;
                        newline(out, indent, depth);
                    }
                    out.append(c);
                }
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Go's {@code json.Compact}: drops whitespace between tokens, keeps strings as they are. */
    public static String compact(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                int start = i++;
                while (i < json.length() && json.charAt(i) != '"') {
                    if (json.charAt(i) == '\\') {
                        i++;
                    }
                    i++;
                }
                out.append(json, start, Math.min(i + 1, json.length()));
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void newline(StringBuilder out, String indent, int depth) {
        out.append('\n');
        for (int d = 0; d < depth; d++) {
            out.append(indent);
        }
    }
}
