package dev.berth.cli.format;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.berth.images.Json;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON the way docker's CLI writes it: Go's encoder without HTML escaping ({@code {{json .}}}), and
 * Go's {@code json.Indent} with four spaces (inspect output), which keeps the engine's field order
 * and writes empty arrays and objects as {@code []} and {@code {}}.
 */
public final class GoJson {
    private static final ObjectReader TREE = Json.MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).forType(Object.class);

    private GoJson() {
    }

    /** Parses JSON into maps (insertion-ordered), lists, strings, numbers, booleans and nulls. */
    public static Object parse(byte[] json) throws IOException {
        return TREE.readValue(json);
    }

    /** Compact JSON of a template value; row objects ({@link TemplateFields}) with sorted keys, as Go's maps are. */
    public static String marshal(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case TemplateFields f -> write(sb, new TreeMap<>(f.asMap()));
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b);
            case BigDecimal d -> sb.append(d.toPlainString());
            case Number n -> sb.append(n);
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    quote(sb, String.valueOf(e.getKey()));
                    sb.append(':');
                    write(sb, e.getValue());
                }
                sb.append('}');
            }
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(sb, l.get(i));
                }
                sb.append(']');
            }
            default -> quote(sb, String.valueOf(v));
        }
    }

    static void quote(StringBuilder sb, String s) {
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
