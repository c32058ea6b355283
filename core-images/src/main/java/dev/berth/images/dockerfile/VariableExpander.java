package dev.berth.images.dockerfile;

import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Docker's shell-lex word processing, ported from BuildKit's {@code frontend/dockerfile/shell/lex.go}:
 * single quotes are literal, double quotes allow {@code $} and escape only {@code " $} and the escape
 * character, {@code $V}, {@code ${V}}, {@code ${V:-d}}, {@code ${V-d}}, {@code ${V:+a}}, {@code ${V+a}},
 * {@code ${V:?m}}, {@code ${V#p}} / {@code ##} / {@code %} / {@code %%}. Unset variables expand to "".
 * Errors throw INVALID_ARGUMENT with BuildKit's wording.
 */
public final class VariableExpander {
    private static final int EOF = -1;

    private final char escape;

    public VariableExpander(char escape) {
        this.escape = escape;
    }

    /** With the default escape character {@code \}. */
    public static String expand(String word, Map<String, String> scope) {
        return new VariableExpander('\\').processWord(word, scope);
    }

    public static List<String> expandWords(String word, Map<String, String> scope) {
        return new VariableExpander('\\').processWords(word, scope);
    }

    /** One word: quotes removed, variables substituted, no splitting. */
    public String processWord(String word, Map<String, String> scope) {
        Lexer l = new Lexer(word, scope);
        return l.processStopOn(EOF, false).result;
    }

    /** Several words: split on unquoted whitespace, including whitespace that came from unquoted expansions. */
    public List<String> processWords(String word, Map<String, String> scope) {
        Lexer l = new Lexer(word, scope);
        return l.processStopOn(EOF, false).words;
    }

    private record Processed(String result, List<String> words) {}

    /** Accumulates split words the way lex.go's wordsStruct does. */
    private static final class Words {
        final List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord;

        void addChar(int ch) {
            if (Character.isWhitespace(ch) && inWord) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word = new StringBuilder();
                    inWord = false;
                }
            } else if (!Character.isWhitespace(ch)) {
                addRawChar(ch);
            }
        }

        void addRawChar(int ch) {
            word.appendCodePoint(ch);
            inWord = true;
        }

        void addString(String s) {
            s.codePoints().forEach(this::addChar);
        }

        void addRawString(String s) {
            word.append(s);
            inWord = true;
        }

        List<String> get() {
            if (!word.isEmpty()) {
                words.add(word.toString());
                word = new StringBuilder();
                inWord = false;
            }
            return words;
        }
    }

    private final class Lexer {
        private final String s;
        private final Map<String, String> env;
        private int pos;

        Lexer(String s, Map<String, String> env) {
            this.s = s;
            this.env = env;
        }

        int peek() {
            return pos < s.length() ? s.codePointAt(pos) : EOF;
        }

        int next() {
            if (pos >= s.length()) return EOF;
            int ch = s.codePointAt(pos);
            pos += Character.charCount(ch);
            return ch;
        }

        Processed processStopOn(int stop, boolean rawEscapes) {
            StringBuilder result = new StringBuilder();
            Words words = new Words();
            while (peek() != EOF) {
                int ch = peek();
                if (stop != EOF && ch == stop) {
                    next();
                    return new Processed(result.toString(), words.get());
                }
                if (ch == '\'' || ch == '"' || ch == '$') {
                    String tmp = ch == '\'' ? singleQuote() : ch == '"' ? doubleQuote() : dollar();
                    result.append(tmp);
                    if (ch == '$') words.addString(tmp);
                    else words.addRawString(tmp);
                } else {
                    ch = next();
                    if (ch == escape) {
                        if (rawEscapes) {
                            words.addRawChar(ch);
                            result.appendCodePoint(ch);
                        }
                        ch = next();
                        if (ch == EOF) break;
                        words.addRawChar(ch);
                    } else {
                        words.addChar(ch);
                    }
                    result.appendCodePoint(ch);
                }
            }
            if (stop != EOF) {
                throw BerthException.invalid("unexpected end of statement while looking for matching "
                        + Character.toString(stop));
            }
            return new Processed(result.toString(), words.get());
        }

        String singleQuote() {
            next();
            StringBuilder result = new StringBuilder();
            while (true) {
                int ch = next();
                if (ch == EOF) {
                    throw BerthException.invalid("unexpected end of statement while looking for matching single-quote");
                }
                if (ch == '\'') return result.toString();
                result.appendCodePoint(ch);
            }
        }

        String doubleQuote() {
            next();
            StringBuilder result = new StringBuilder();
            while (true) {
                int ch = peek();
                if (ch == EOF) {
                    throw BerthException.invalid("unexpected end of statement while looking for matching double-quote");
                }
                if (ch == '"') {
                    next();
                    return result.toString();
                }
                if (ch == '$') {
                    result.append(dollar());
                    continue;
                }
                ch = next();
                if (ch == escape) {
                    int p = peek();
                    if (p == EOF) continue;
                    if (p == '"' || p == '$' || p == escape) ch = next();
                }
                result.appendCodePoint(ch);
            }
        }

        String dollar() {
            next();
            if (peek() != '{') {
                String name = name();
                if (name.isEmpty()) return "$";
                return env.getOrDefault(name, "");
            }
            next();
            int p = peek();
            if (p == EOF) throw BerthException.invalid("syntax error: missing '}'");
            if (p == '{' || p == '}' || p == ':') throw BerthException.invalid("syntax error: bad substitution");
            String name = name();
            int ch = next();
            String chs = ch == EOF ? "" : Character.toString(ch);
            boolean nullIsUnset = false;
            if (ch == '}') return env.getOrDefault(name, "");
            if (ch == EOF) throw BerthException.invalid("syntax error: missing '}'");
            if (ch == ':') {
                nullIsUnset = true;
                ch = next();
                chs += ch == EOF ? "" : Character.toString(ch);
            }
            if (ch == '+' || ch == '-' || ch == '?' || ch == '#' || ch == '%') {
                boolean raw = ch == '#' || ch == '%';
                if (nullIsUnset && raw) {
                    throw BerthException.invalid("unsupported modifier (" + chs + ") in substitution");
                }
                String word;
                try {
                    word = processStopOn('}', raw).result;
                } catch (BerthException e) {
                    if (peek() == EOF) throw BerthException.invalid("syntax error: missing '}'");
                    throw e;
                }
                String value = env.get(name);
                boolean set = value != null;
                switch (ch) {
                    case '-':
                        return !set || (nullIsUnset && value.isEmpty()) ? word : value;
                    case '+':
                        return !set || (nullIsUnset && value.isEmpty()) ? "" : word;
                    case '?':
                        if (!set) {
                            throw BerthException.invalid(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                        }
                        if (nullIsUnset && value.isEmpty()) {
                            throw BerthException.invalid(name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
                        }
                        return value;
                    default: {
                        if (!set) value = "";
                        boolean greedy = false;
                        if (word.startsWith(Character.toString(ch))) {
                            greedy = true;
                            word = word.substring(1);
                        }
                        return ch == '#' ? trimPrefix(word, value, greedy) : trimSuffix(word, value, greedy);
                    }
                }
            }
            throw BerthException.invalid("unsupported modifier (" + chs + ") in substitution");
        }

        String name() {
            StringBuilder name = new StringBuilder();
            while (peek() != EOF) {
                int ch = peek();
                if (name.isEmpty() && Character.isDigit(ch)) {
                    while (peek() != EOF && Character.isDigit(peek())) name.appendCodePoint(next());
                    return name.toString();
                }
                if (name.isEmpty() && isSpecialParam(ch)) {
                    return Character.toString(next());
                }
                if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') break;
                name.appendCodePoint(next());
            }
            return name.toString();
        }
    }

    private static boolean isSpecialParam(int ch) {
        return switch (ch) {
            case '@', '*', '#', '?', '-', '$', '!', '0' -> true;
            default -> false;
        };
    }

    private String trimPrefix(String word, String value, boolean longest) {
        Pattern p = Pattern.compile(globToRegex(word));
        int best = -1;
        for (int i = 0; i <= value.length(); i++) {
            if (p.matcher(value.substring(0, i)).matches()) {
                best = i;
                if (!longest) break;
            }
        }
        return best < 0 ? value : value.substring(best);
    }

    private String trimSuffix(String word, String value, boolean longest) {
        Pattern p = Pattern.compile(globToRegex(word));
        int best = -1;
        for (int i = value.length(); i >= 0; i--) {
            if (p.matcher(value.substring(i)).matches()) {
                best = i;
                if (!longest) break;
            }
        }
        return best < 0 ? value : value.substring(0, best);
    }

    /** Shell glob (with the escape character kept raw) to a Java regex. */
    private String globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == escape && i + 1 < glob.length()) {
                re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
