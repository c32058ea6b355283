package dev.berth.cli.format;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON (RFC 8259, UTF-8) into the values {@link GoJson#parse} makes: insertion-ordered maps,
 * lists, strings, {@link BigInteger} for integers, {@link BigDecimal} for other numbers, booleans and
 * nulls. The engine's list answers go through it instead of jackson-core because every Jackson
 * parser's base class holds {@code BigDecimal} constants, and initialising {@code BigDecimal} (JDK
 * 25) squares its way up to 5^65536 first: 30 to 100+ ms of a cold {@code berth ps} on a busy
 * machine, for numbers a list never has (bench/cli/RESULTS.md). Here {@code BigDecimal} is touched
 * only for a number with a fraction or exponent.
 */
public final class LeanJson {
    /** jackson-core's default nesting limit, so both parsers refuse the same documents. */
    private static final int MAX_DEPTH = 1000;

    private final byte[] b;
    private int i;

    private LeanJson(byte[] b) {
        this.b = b;
    }

    /** Parses one JSON value; anything else (empty input, trailing data, bad syntax) is an IOException. */
    public static Object parse(byte[] json) throws IOException {
        LeanJson p = new LeanJson(json);
        if (json.length >= 3 && (json[0] & 0xff) == 0xef && (json[1] & 0xff) == 0xbb && (json[2] & 0xff) == 0xbf) {
            p.i = 3; // a UTF-8 byte order mark
        }
        p.skipSpace();
        if (p.i >= json.length) {
            throw new IOException("empty JSON");
        }
        Object value;
        try {
            value = p.value(0);
        } catch (StackOverflowError e) {
            // a small thread stack can run out before the depth limit: still a refused document
            throw new IOException("nesting too deep for this thread's stack");
        }
        p.skipSpace();
        if (p.i < json.length) {
            throw new IOException("trailing data after JSON value");
        }
        return value;
    }

    private Object value(int depth) throws IOException {
        if (i >= b.length) {
            throw error("unexpected end of input");
        }
        byte c = b[i];
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character");
        }
    }

    private Map<String, Object> object(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw error("nesting too deep");
        }
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            i++;
            return m;
        }
        while (true) {
            if (peek() != '"') {
                throw error("expected a field name");
            }
            String name = string();
            skipSpace();
            if (peek() != ':') {
                throw error("expected ':'");
            }
            i++;
            skipSpace();
            m.put(name, value(depth));
            skipSpace();
            int c = peek();
            i++;
            if (c == '}') {
                return m;
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
            skipSpace();
        }
    }

    private List<Object> array(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw error("nesting too deep");
        }
        i++;
        List<Object> l = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            i++;
            return l;
        }
        while (true) {
            l.add(value(depth));
            skipSpace();
            int c = peek();
            i++;
            if (c == ']') {
                return l;
            }
            if (c != ',') {
                throw error("expected ',' or ']'");
            }
            skipSpace();
        }
    }

    private String string() throws IOException {
        int start = ++i;
        // the common case: no escapes, so one decode of the bytes between the quotes
        while (i < b.length) {
            byte c = b[i];
            if (c == '"') {
                String s = new String(b, start, i - start, StandardCharsets.UTF_8);
                i++;
                return s;
            }
            if (c == '\\') {
                break;
            }
            if (c >= 0 && c < 0x20) {
                throw error("control character in a string");
            }
            i++;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(new String(b, start, i - start, StandardCharsets.UTF_8));
        int run = i;
        while (true) {
            if (i >= b.length) {
                throw error("unterminated string");
            }
            byte c = b[i];
            if (c == '"') {
                sb.append(new String(b, run, i - run, StandardCharsets.UTF_8));
                i++;
                return sb.toString();
            }
            if (c >= 0 && c < 0x20) {
                throw error("control character in a string");
            }
            if (c != '\\') {
                i++;
                continue;
            }
            sb.append(new String(b, run, i - run, StandardCharsets.UTF_8));
            if (i + 1 >= b.length) {
                throw error("unterminated string");
            }
            byte e = b[i + 1];
            i += 2;
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (i + 4 > b.length) {
                        throw error("bad \\u escape");
                    }
                    int v = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(b[i + k], 16);
                        if (d < 0) {
                            throw error("bad \\u escape");
                        }
                        v = v * 16 + d;
                    }
                    i += 4;
                    sb.append((char) v);
                }
                default -> throw error("bad escape");
            }
            run = i;
        }
    }

    private Object number() throws IOException {
        int start = i;
        boolean integer = true;
        if (b[i] == '-') {
            i++;
        }
        if (peek() == '0') {
            i++;
        } else if (digits() == 0) {
            throw error("bad number");
        }
        if (peek() == '.') {
            integer = false;
            i++;
            if (digits() == 0) {
                throw error("bad number");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            i++;
            if (peek() == '+' || peek() == '-') {
                i++;
            }
            if (digits() == 0) {
                throw error("bad number");
            }
        }
        int c = peek();
        if ((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || Character.isLetter(c)) {
            throw error("bad number"); // a leading zero, or letters after the number
        }
        String text = new String(b, start, i - start, StandardCharsets.ISO_8859_1);
        if (!integer) {
            return new BigDecimal(text);
        }
        return i - start <= 18 ? BigInteger.valueOf(Long.parseLong(text)) : new BigInteger(text);
    }

    private int digits() {
        int n = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            i++;
            n++;
        }
        return n;
    }

    private void literal(String word) throws IOException {
        int n = word.length();
        if (i + n > b.length) {
            throw error("unexpected end of input");
        }
        for (int k = 0; k < n; k++) {
            if (b[i + k] != word.charAt(k)) {
                throw error("unrecognized token");
            }
        }
        i += n;
        int c = peek();
        if (Character.isLetterOrDigit(c) || c == '_') {
            throw error("unrecognized token");
        }
    }

    /** The next byte, or -1 at the end. */
    private int peek() {
        return i < b.length ? b[i] : -1;
    }

    private void skipSpace() {
        while (i < b.length) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            i++;
        }
    }

    private IOException error(String what) {
        return new IOException(what + " at byte " + i + " of the JSON answer");
    }
}
