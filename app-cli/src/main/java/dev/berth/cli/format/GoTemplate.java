package dev.berth.cli.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The part of Go's {@code text/template} that {@code --format} users write, with docker's extra
 * functions: fields and chains ({@code .Config.Env}), variables, pipes, parentheses, {@code if},
 * {@code else if}, {@code range}, {@code with}, trim markers, comments, and the functions
 * {@code json join split lower upper title pad truncate index len print printf println eq ne lt le
 * gt ge and or not}. Templates run over maps (parsed engine JSON), lists, scalars, and
 * {@link TemplateFields} rows.
 */
public final class GoTemplate {
    /** The value of a missing map key: printed as Go prints an invalid value. */
    public static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "<no value>";
        }
    };
    private static final Object NO_FINAL = new Object();

    private final String source;
    private final List<Node> root;

    private GoTemplate(String source, List<Node> root) {
        this.source = source;
        this.root = root;
    }

    /** How to run a template. */
    public record Options(boolean missingKeyError, boolean header) {
        /** Go's defaults: a missing map key prints {@code <no value>}. */
        public static final Options DEFAULT = new Options(false, false);
        /** {@code missingkey=error}, as docker inspects raw JSON. */
        public static final Options STRICT = new Options(true, false);
        /** For table headers: docker's header functions return their first argument unchanged. */
        public static final Options HEADER = new Options(false, true);
    }

    public static GoTemplate parse(String text) throws TemplateException {
        Parser p = new Parser(text);
        List<Node> nodes = p.parseList(true);
        return new GoTemplate(text, nodes);
    }

    public String execute(Object data) throws TemplateException {
        return execute(data, Options.DEFAULT);
    }

    public String execute(Object data, Options options) throws TemplateException {
        Exec exec = new Exec(options, data);
        StringBuilder out = new StringBuilder();
        exec.run(root, data, out);
        return out.toString();
    }

    // ================================================================ AST

    private sealed interface Node permits Text, Action, If, Range, With {
    }

    private record Text(String text) implements Node {
    }

    private record Action(Pipeline pipe) implements Node {
    }

    private record If(Pipeline cond, List<Node> then, List<Node> otherwise) implements Node {
    }

    private record Range(Pipeline pipe, List<Node> body, List<Node> otherwise) implements Node {
    }

    private record With(Pipeline pipe, List<Node> body, List<Node> otherwise) implements Node {
    }

    private record Pipeline(List<String> decls, boolean declare, List<Command> commands, int pos) {
    }

    private record Command(List<Operand> args) {
    }

    private sealed interface Operand permits Field, Dot, Var, Literal, Ident, Sub {
        int pos();

        String text();
    }

    private record Field(List<String> chain, int pos, String text) implements Operand {
    }

    private record Dot(int pos, String text) implements Operand {
    }

    private record Var(String name, List<String> chain, int pos, String text) implements Operand {
    }

    private record Literal(Object value, int pos, String text) implements Operand {
    }

    private record Ident(String name, int pos, String text) implements Operand {
    }

    private record Sub(Pipeline pipe, List<String> chain, int pos, String text) implements Operand {
    }

    // ================================================================ lexer + parser

    private enum T { FIELD, DOT, VAR, STRING, NUMBER, IDENT, PIPE, LPAREN, RPAREN, DECLARE, ASSIGN, COMMA, END }

    private record Tok(T type, String text, Object value, int pos) {
    }

    private static final class Parser {
        private final String src;
        private int pos;
        private List<Tok> toks;
        private int ti;
        private int actionPos;
        private boolean trimNextText;

        Parser(String src) {
            this.src = src;
        }

        TemplateException error(int at, String msg) {
            return new TemplateException("template: :" + line(src, at) + ": " + msg, true);
        }

        /** Parses nodes until EOF (top) or until an {@code else}/{@code end}, which is left for the caller. */
        List<Node> parseList(boolean top) throws TemplateException {
            List<Node> nodes = new ArrayList<>();
            while (true) {
                int open = src.indexOf("{{", pos);
                String text = open < 0 ? src.substring(pos) : src.substring(pos, open);
                if (trimNextText) {
                    text = text.stripLeading();
                    trimNextText = false;
                }
                if (open < 0) {
                    if (!text.isEmpty()) {
                        nodes.add(new Text(text));
                    }
                    pos = src.length();
                    if (!top) {
                        throw error(src.length(), "unexpected EOF");
                    }
                    return nodes;
                }
                int start = open + 2;
                boolean trimLeft = start + 1 < src.length() && src.charAt(start) == '-' && isSpace(src.charAt(start + 1));
                if (trimLeft) {
                    text = text.stripTrailing();
                    start += 1;
                }
                if (!text.isEmpty()) {
                    nodes.add(new Text(text));
                }
                pos = start;
                actionPos = start;
                lexAction();
                if (toks.isEmpty()) {
                    continue; // a comment
                }
                Tok first = toks.getFirst();
                if (first.type == T.IDENT) {
                    switch (first.text) {
                        case "end", "else" -> {
                            if (top) {
                                throw error(first.pos, "unexpected {{" + first.text + "}}");
                            }
                            ti = 0;
                            return nodes; // caller inspects toks
                        }
                        case "if" -> {
                            nodes.add(parseIf(1));
                            continue;
                        }
                        case "range" -> {
                            ti = 1;
                            Pipeline p = parsePipeline(true, true);
                            endOfAction();
                            List<Node>[] parts = parseBody("range");
                            nodes.add(new Range(p, parts[0], parts[1]));
                            continue;
                        }
                        case "with" -> {
                            ti = 1;
                            Pipeline p = parsePipeline(true, false);
                            endOfAction();
                            List<Node>[] parts = parseBody("with");
                            nodes.add(new With(p, parts[0], parts[1]));
                            continue;
                        }
                        case "define", "template", "block", "break", "continue" ->
                                throw error(first.pos, "{{" + first.text + "}} is not supported in --format templates");
                        default -> {
                        }
                    }
                }
                ti = 0;
                Pipeline p = parsePipeline(true, false);
                endOfAction();
                nodes.add(new Action(p));
            }
        }

        /** Parses an {@code if} whose condition starts at token {@code start} of the current action. */
        private If parseIf(int start) throws TemplateException {
            ti = start;
            Pipeline cond = parsePipeline(false, false);
            endOfAction();
            List<Node> then = parseList(false);
            Tok t = toks.getFirst();
            List<Node> otherwise = List.of();
            if (t.text.equals("else")) {
                if (toks.size() > 1 && toks.get(1).type == T.IDENT && toks.get(1).text.equals("if")) {
                    // {{else if ...}} is an {{if}} nested in the else branch, sharing its {{end}}.
                    otherwise = List.of(parseIf(2));
                    return new If(cond, then, otherwise);
                }
                expectOnly(t);
                otherwise = parseList(false);
                t = toks.getFirst();
            }
            if (!t.text.equals("end")) {
                throw error(t.pos, "expected end; found " + t.text);
            }
            expectOnly(t);
            return new If(cond, then, otherwise);
        }

        @SuppressWarnings("unchecked")
        private List<Node>[] parseBody(String what) throws TemplateException {
            List<Node> body = parseList(false);
            Tok t = toks.getFirst();
            List<Node> otherwise = List.of();
            if (t.text.equals("else")) {
                expectOnly(t);
                otherwise = parseList(false);
                t = toks.getFirst();
            }
            if (!t.text.equals("end")) {
                throw error(t.pos, "expected end; found " + t.text + " in " + what);
            }
            expectOnly(t);
            return new List[] {body, otherwise};
        }

        private void endOfAction() throws TemplateException {
            if (ti < toks.size()) {
                Tok t = toks.get(ti);
                throw error(t.pos, "unexpected \"" + t.text + "\" in command");
            }
        }

        private void expectOnly(Tok t) throws TemplateException {
            if (toks.size() != 1) {
                throw error(t.pos, "unexpected \"" + toks.get(1).text + "\" in " + t.text);
            }
        }

        private Pipeline parsePipeline(boolean allowDecl, boolean range) throws TemplateException {
            int start = ti < toks.size() ? toks.get(ti).pos : actionPos;
            List<String> decls = new ArrayList<>();
            boolean declare = true;
            if (allowDecl && ti < toks.size() && toks.get(ti).type == T.VAR && isBareVar(toks.get(ti))) {
                int save = ti;
                List<String> names = new ArrayList<>();
                names.add(toks.get(ti).text);
                int j = ti + 1;
                if (range && j + 1 < toks.size() && toks.get(j).type == T.COMMA && toks.get(j + 1).type == T.VAR) {
                    names.add(toks.get(j + 1).text);
                    j += 2;
                }
                if (j < toks.size() && (toks.get(j).type == T.DECLARE || toks.get(j).type == T.ASSIGN)) {
                    declare = toks.get(j).type == T.DECLARE;
                    decls = names;
                    ti = j + 1;
                } else {
                    ti = save;
                }
            }
            List<Command> commands = new ArrayList<>();
            while (true) {
                List<Operand> args = new ArrayList<>();
                while (ti < toks.size() && toks.get(ti).type != T.PIPE && toks.get(ti).type != T.RPAREN) {
                    args.add(operand());
                }
                if (args.isEmpty()) {
                    throw error(ti < toks.size() ? toks.get(ti).pos : actionPos, "missing value for command");
                }
                commands.add(new Command(args));
                if (ti < toks.size() && toks.get(ti).type == T.PIPE) {
                    ti++;
                    continue;
                }
                break;
            }
            return new Pipeline(decls, declare, commands, start);
        }

        private boolean isBareVar(Tok t) {
            return t.value == null; // a variable without a field chain
        }

        @SuppressWarnings("unchecked")
        private Operand operand() throws TemplateException {
            Tok t = toks.get(ti++);
            return switch (t.type) {
                case FIELD -> new Field((List<String>) t.value, t.pos, t.text);
                case DOT -> new Dot(t.pos, ".");
                case VAR -> new Var(t.text, t.value == null ? List.of() : (List<String>) t.value, t.pos, t.text
                        + (t.value == null ? "" : "." + String.join(".", (List<String>) t.value)));
                case STRING, NUMBER -> new Literal(t.value, t.pos, t.text);
                case IDENT -> switch (t.text) {
                    case "true" -> new Literal(Boolean.TRUE, t.pos, t.text);
                    case "false" -> new Literal(Boolean.FALSE, t.pos, t.text);
                    case "nil" -> new Literal(null, t.pos, t.text);
                    default -> {
                        if (!Funcs.NAMES.contains(t.text)) {
                            throw error(t.pos, "function \"" + t.text + "\" not defined");
                        }
                        yield new Ident(t.text, t.pos, t.text);
                    }
                };
                case LPAREN -> {
                    Pipeline p = parsePipeline(false, false);
                    if (ti >= toks.size() || toks.get(ti).type != T.RPAREN) {
                        throw error(t.pos, "unclosed left paren");
                    }
                    Tok close = toks.get(ti++);
                    List<String> chain = close.value == null ? List.of() : (List<String>) close.value;
                    yield new Sub(p, chain, t.pos, "(" + src.substring(t.pos + 1, close.pos).strip() + ")"
                            + (chain.isEmpty() ? "" : "." + String.join(".", chain)));
                }
                default -> throw error(t.pos, "unexpected \"" + t.text + "\" in operand");
            };
        }

        /** Tokenizes one action, from {@link #pos} to its closing braces, into {@link #toks}. */
        private void lexAction() throws TemplateException {
            toks = new ArrayList<>();
            ti = 0;
            int n = src.length();
            // A comment: {{/* ... */}}
            int p = pos;
            while (p < n && isSpace(src.charAt(p))) {
                p++;
            }
            if (src.startsWith("/*", p)) {
                int close = src.indexOf("*/", p + 2);
                if (close < 0) {
                    throw error(p, "unclosed comment");
                }
                int after = close + 2;
                while (after < n && isSpace(src.charAt(after))) {
                    after++;
                }
                if (src.startsWith("-}}", after) && after > close + 2) {
                    trimNextText = true;
                    pos = after + 3;
                } else if (src.startsWith("}}", after)) {
                    pos = after + 2;
                } else {
                    throw error(p, "comment ends before closing delimiter");
                }
                return;
            }
            while (true) {
                if (pos >= n) {
                    throw error(n, "unclosed action");
                }
                char c = src.charAt(pos);
                if (isSpace(c)) {
                    if (src.startsWith("-}}", pos + 1)) {
                        trimNextText = true;
                        pos += 4;
                        return;
                    }
                    pos++;
                    continue;
                }
                if (src.startsWith("}}", pos)) {
                    pos += 2;
                    return;
                }
                int start = pos;
                switch (c) {
                    case '|' -> add(T.PIPE, "|", null, start, 1);
                    case '(' -> add(T.LPAREN, "(", null, start, 1);
                    case ')' -> {
                        pos++;
                        List<String> chain = chain();
                        toks.add(new Tok(T.RPAREN, ")", chain, start));
                    }
                    case ',' -> add(T.COMMA, ",", null, start, 1);
                    case '=' -> add(T.ASSIGN, "=", null, start, 1);
                    case ':' -> {
                        if (!src.startsWith(":=", pos)) {
                            throw error(pos, "expected :=");
                        }
                        add(T.DECLARE, ":=", null, start, 2);
                    }
                    case '"' -> {
                        StringBuilder sb = new StringBuilder();
                        pos++;
                        while (true) {
                            if (pos >= n || src.charAt(pos) == '\n') {
                                throw error(start, "unterminated quoted string");
                            }
                            char d = src.charAt(pos++);
                            if (d == '"') {
                                break;
                            }
                            if (d == '\\') {
                                pos = unescape(sb, pos, start);
                            } else {
                                sb.append(d);
                            }
                        }
                        toks.add(new Tok(T.STRING, src.substring(start, pos), sb.toString(), start));
                    }
                    case '`' -> {
                        int close = src.indexOf('`', pos + 1);
                        if (close < 0) {
                            throw error(start, "unterminated raw quoted string");
                        }
                        toks.add(new Tok(T.STRING, src.substring(start, close + 1), src.substring(pos + 1, close), start));
                        pos = close + 1;
                    }
                    case '\'' -> {
                        int close = src.indexOf('\'', pos + 1);
                        if (close < 0) {
                            throw error(start, "unterminated character constant");
                        }
                        StringBuilder sb = new StringBuilder();
                        int q = pos + 1;
                        while (q < close) {
                            char d = src.charAt(q++);
                            if (d == '\\') {
                                q = unescape(sb, q, start);
                            } else {
                                sb.append(d);
                            }
                        }
                        pos = close + 1;
                        toks.add(new Tok(T.NUMBER, src.substring(start, pos), BigInteger.valueOf(sb.codePointAt(0)), start));
                    }
                    case '.' -> {
                        if (pos + 1 < n && isIdentStart(src.charAt(pos + 1))) {
                            List<String> chain = chain();
                            toks.add(new Tok(T.FIELD, src.substring(start, pos), chain, start));
                        } else {
                            add(T.DOT, ".", null, start, 1);
                        }
                    }
                    case '$' -> {
                        pos++;
                        while (pos < n && isIdentPart(src.charAt(pos))) {
                            pos++;
                        }
                        String name = src.substring(start, pos);
                        List<String> chain = chain();
                        toks.add(new Tok(T.VAR, name, chain, start));
                    }
                    default -> {
                        if (Character.isDigit(c) || ((c == '-' || c == '+') && pos + 1 < n && Character.isDigit(src.charAt(pos + 1)))) {
                            pos++;
                            while (pos < n && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '.'
                                    || src.charAt(pos) == '_')) {
                                pos++;
                            }
                            String text = src.substring(start, pos);
                            toks.add(new Tok(T.NUMBER, text, number(text, start), start));
                        } else if (isIdentStart(c)) {
                            while (pos < n && isIdentPart(src.charAt(pos))) {
                                pos++;
                            }
                            toks.add(new Tok(T.IDENT, src.substring(start, pos), null, start));
                        } else {
                            throw error(pos, "unexpected \"" + c + "\" in command");
                        }
                    }
                }
            }
        }

        private void add(T type, String text, Object value, int start, int len) {
            toks.add(new Tok(type, text, value, start));
            pos += len;
        }

        /** Reads {@code .A.B} right here; null when there is none. */
        private List<String> chain() {
            List<String> chain = null;
            int n = src.length();
            while (pos + 1 < n && src.charAt(pos) == '.' && isIdentStart(src.charAt(pos + 1))) {
                int s = ++pos;
                while (pos < n && isIdentPart(src.charAt(pos))) {
                    pos++;
                }
                if (chain == null) {
                    chain = new ArrayList<>();
                }
                chain.add(src.substring(s, pos));
            }
            return chain;
        }

        private Object number(String text, int at) throws TemplateException {
            try {
                String t = text.replace("_", "");
                if (t.startsWith("0x") || t.startsWith("0X")) {
                    return new BigInteger(t.substring(2), 16);
                }
                if (t.contains(".") || t.contains("e") || t.contains("E")) {
                    return new BigDecimal(t);
                }
                return new BigInteger(t);
            } catch (NumberFormatException e) {
                throw error(at, "bad number syntax: \"" + text + "\"");
            }
        }

        private int unescape(StringBuilder sb, int p, int start) throws TemplateException {
            if (p >= src.length()) {
                throw error(start, "unterminated quoted string");
            }
            char e = src.charAt(p++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '\\' -> sb.append('\\');
                case '"' -> sb.append('"');
                case '\'' -> sb.append('\'');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case 'x', 'u', 'U' -> {
                    int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (p + len > src.length()) {
                        throw error(start, "invalid syntax");
                    }
                    sb.appendCodePoint(Integer.parseInt(src.substring(p, p + len), 16));
                    p += len;
                }
                default -> throw error(start, "invalid syntax");
            }
            return p;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static int line(String src, int at) {
        int line = 1;
        for (int i = 0; i < Math.min(at, src.length()); i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    // ================================================================ execution

    private final class Exec {
        private final Options options;
        private final List<Map.Entry<String, Object>> vars = new ArrayList<>();

        Exec(Options options, Object data) {
            this.options = options;
            vars.add(Map.entry("$", data == null ? NULL_MARK : data));
        }

        TemplateException error(Operand at, String msg) {
            return error(at.pos(), at.text(), msg);
        }

        TemplateException error(int pos, String text, String msg) {
            int lastNl = source.lastIndexOf('\n', Math.max(0, pos - 1));
            int col = pos - lastNl - 1;
            return new TemplateException("template: :" + line(source, pos) + ":" + col + ": executing \"\" at <" + text + ">: " + msg,
                    false);
        }

        void run(List<Node> nodes, Object dot, StringBuilder out) throws TemplateException {
            // instanceof chains rather than pattern switches: each of those costs a bootstrap
            // (a generated class) the first time it runs, which a CLI pays on every start.
            for (Node node : nodes) {
                if (node instanceof Text t) {
                    out.append(t.text());
                } else if (node instanceof Action a) {
                    Object v = pipeline(a.pipe(), dot);
                    if (a.pipe().decls().isEmpty()) {
                        out.append(print(v));
                    }
                } else if (node instanceof If i) {
                    int mark = vars.size();
                    boolean truth = isTrue(pipeline(i.cond(), dot));
                    run(truth ? i.then() : i.otherwise(), dot, out);
                    pop(mark);
                } else if (node instanceof With w) {
                    int mark = vars.size();
                    Object v = pipeline(w.pipe(), dot);
                    if (isTrue(v)) {
                        run(w.body(), v, out);
                    } else {
                        run(w.otherwise(), dot, out);
                    }
                    pop(mark);
                } else if (node instanceof Range r) {
                    range(r, dot, out);
                }
            }
        }

        private void range(Range r, Object dot, StringBuilder out) throws TemplateException {
            int mark = vars.size();
            Pipeline p = new Pipeline(List.of(), true, r.pipe().commands(), r.pipe().pos());
            Object v = unmark(pipeline(p, dot));
            List<Object[]> items = new ArrayList<>();
            if (v instanceof List<?> l) {
                for (int i = 0; i < l.size(); i++) {
                    items.add(new Object[] {BigInteger.valueOf(i), l.get(i)});
                }
            } else if (v instanceof Map<?, ?> m) {
                TreeMap<String, Object> sorted = new TreeMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sorted.put(String.valueOf(e.getKey()), e.getValue());
                }
                for (Map.Entry<String, Object> e : sorted.entrySet()) {
                    items.add(new Object[] {e.getKey(), e.getValue()});
                }
            } else if (v instanceof Number n && isInteger(n)) {
                for (long i = 0; i < n.longValue(); i++) {
                    items.add(new Object[] {BigInteger.valueOf(i), BigInteger.valueOf(i)});
                }
            } else if (v != null && v != NO_VALUE) {
                throw error(r.pipe().pos(), "range", "range can't iterate over " + print(v));
            }
            if (items.isEmpty()) {
                run(r.otherwise(), dot, out);
                pop(mark);
                return;
            }
            List<String> decls = r.pipe().decls();
            for (Object[] item : items) {
                int inner = vars.size();
                if (decls.size() == 1) {
                    vars.add(Map.entry(decls.getFirst(), mark(item[1])));
                } else if (decls.size() == 2) {
                    vars.add(Map.entry(decls.get(0), item[0]));
                    vars.add(Map.entry(decls.get(1), mark(item[1])));
                }
                run(r.body(), item[1], out);
                pop(inner);
            }
            pop(mark);
        }

        private void pop(int mark) {
            while (vars.size() > mark) {
                vars.removeLast();
            }
        }

        Object pipeline(Pipeline p, Object dot) throws TemplateException {
            Object value = NO_FINAL;
            for (Command c : p.commands()) {
                value = command(c, dot, value);
            }
            for (String name : p.decls()) {
                if (p.declare()) {
                    vars.add(Map.entry(name, mark(value)));
                } else {
                    boolean found = false;
                    for (int i = vars.size() - 1; i >= 0; i--) {
                        if (vars.get(i).getKey().equals(name)) {
                            vars.set(i, Map.entry(name, mark(value)));
                            found = true;
                            break;
                        }
                    }
                    if (!found) {
                        throw error(p.pos(), name, "undefined variable: " + name);
                    }
                }
            }
            return value;
        }

        private Object command(Command c, Object dot, Object fin) throws TemplateException {
            Operand first = c.args().getFirst();
            if (first instanceof Ident id) {
                List<Object> args = new ArrayList<>();
                for (int i = 1; i < c.args().size(); i++) {
                    args.add(arg(c.args().get(i), dot));
                }
                if (fin != NO_FINAL) {
                    args.add(fin);
                }
                return call(id, args);
            }
            if (first instanceof Field f && !f.chain().isEmpty()) {
                Object receiver = fields(f, dot, f.chain().subList(0, f.chain().size() - 1));
                String name = f.chain().getLast();
                if (receiver instanceof TemplateMethods tm && tm.hasMethod(name)) {
                    List<Object> args = new ArrayList<>();
                    for (int i = 1; i < c.args().size(); i++) {
                        args.add(arg(c.args().get(i), dot));
                    }
                    if (fin != NO_FINAL) {
                        args.add(fin);
                    }
                    try {
                        return tm.invoke(name, args);
                    } catch (IllegalArgumentException e) {
                        throw error(first, "wrong number of args for " + name + ": " + e.getMessage());
                    }
                }
            }
            if (c.args().size() > 1 || fin != NO_FINAL) {
                throw error(first, "can't give argument to non-function " + first.text());
            }
            return arg(first, dot);
        }

        private Object arg(Operand o, Object dot) throws TemplateException {
            if (o instanceof Dot) {
                return dot;
            } else if (o instanceof Field f) {
                return fields(f, dot, f.chain());
            } else if (o instanceof Var v) {
                for (int i = vars.size() - 1; i >= 0; i--) {
                    if (vars.get(i).getKey().equals(v.name())) {
                        return fields(o, unmark(vars.get(i).getValue()), v.chain());
                    }
                }
                throw error(o, "undefined variable: " + v.name());
            } else if (o instanceof Literal l) {
                return l.value();
            } else if (o instanceof Ident id) {
                return call(id, new ArrayList<>());
            }
            Sub sub = (Sub) o;
            return fields(sub, pipeline(sub.pipe(), dot), sub.chain());
        }

        private Object fields(Operand at, Object value, List<String> chain) throws TemplateException {
            for (String name : chain) {
                value = field(at, value, name);
            }
            return value;
        }

        private Object field(Operand at, Object value, String name) throws TemplateException {
            if (value instanceof TemplateFields f) {
                Map<String, Object> m = f.asMap();
                if (!m.containsKey(name)) {
                    throw error(at, "can't evaluate field " + name + " in type " + f.typeName());
                }
                return m.get(name);
            }
            if (value instanceof Map<?, ?> m) {
                if (m.containsKey(name)) {
                    return m.get(name);
                }
                // docker formats some commands from Go structs, whose field names differ from the JSON
                // keys only in case ({{.Server.APIVersion}} vs "ApiVersion"); berth formats the JSON.
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (e.getKey() instanceof String k && k.equalsIgnoreCase(name)) {
                        return e.getValue();
                    }
                }
                if (options.missingKeyError()) {
                    throw error(at, "map has no entry for key \"" + name + "\"");
                }
                return NO_VALUE;
            }
            if (value == null) {
                throw error(at, "nil pointer evaluating interface {}." + name);
            }
            if (value == NO_VALUE) {
                throw error(at, "nil data; no entry for key \"" + name + "\"");
            }
            throw error(at, "can't evaluate field " + name + " in type " + goType(value));
        }

        private Object call(Ident id, List<Object> args) throws TemplateException {
            try {
                return Funcs.call(id.name(), args, options.header());
            } catch (FuncError e) {
                throw error(id, "error calling " + id.name() + ": " + e.getMessage());
            } catch (ArgCountError e) {
                throw error(id, "wrong number of args for " + id.name() + ": " + e.getMessage());
            }
        }
    }

    /** Marks a null stored in a variable, so the variable still counts as defined. */
    private static final Object NULL_MARK = new Object();

    private static Object mark(Object v) {
        return v == null ? NULL_MARK : v;
    }

    private static Object unmark(Object v) {
        return v == NULL_MARK ? null : v;
    }

    // ================================================================ values

    static boolean isTrue(Object v) {
        if (v == null) {
            return false;
        } else if (v instanceof Boolean b) {
            return b;
        } else if (v instanceof String s) {
            return !s.isEmpty();
        } else if (v instanceof BigDecimal d) {
            return d.signum() != 0;
        } else if (v instanceof Number n) {
            return n.doubleValue() != 0;
        } else if (v instanceof List<?> l) {
            return !l.isEmpty();
        } else if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return v != NO_VALUE && v != NO_FINAL;
    }

    private static boolean isInteger(Number n) {
        return n instanceof BigInteger || n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }

    /** Prints a value as Go's {@code fmt.Print} would. */
    public static String print(Object v) {
        if (v == null) {
            return "<nil>";
        } else if (v instanceof String s) {
            return s;
        } else if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        } else if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        } else if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(print(l.get(i)));
            }
            return sb.append(']').toString();
        } else if (v instanceof Map<?, ?> m) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sorted.put(String.valueOf(e.getKey()), e.getValue());
            }
            StringBuilder sb = new StringBuilder("map[");
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                sb.append(e.getKey()).append(':').append(print(e.getValue()));
            }
            return sb.append(']').toString();
        } else if (v instanceof TemplateFields f) {
            StringBuilder sb = new StringBuilder("&{");
            boolean first = true;
            for (Object val : f.asMap().values()) {
                if (!first) {
                    sb.append(' ');
                }
                first = false;
                sb.append(print(val));
            }
            return sb.append('}').toString();
        }
        return String.valueOf(v);
    }

    private static String goType(Object v) {
        if (v instanceof String) {
            return "string";
        } else if (v instanceof Boolean) {
            return "bool";
        } else if (v instanceof BigDecimal) {
            return "float64";
        } else if (v instanceof Number) {
            return "int";
        } else if (v instanceof List<?>) {
            return "[]interface {}";
        }
        return "interface {}";
    }

    private static final class FuncError extends Exception {
        FuncError(String message) {
            super(message);
        }
    }

    private static final class ArgCountError extends Exception {
        ArgCountError(String message) {
            super(message);
        }
    }

    /** Go's builtins plus docker's template functions. */
    private static final class Funcs {
        static final java.util.Set<String> NAMES = java.util.Set.of("json", "join", "split", "lower", "upper", "title",
                "pad", "truncate", "index", "len", "print", "printf", "println", "eq", "ne", "lt", "le", "gt", "ge",
                "and", "or", "not");
        private static final java.util.Set<String> HEADER_IDENTITY = java.util.Set.of("json", "split", "join", "title",
                "lower", "upper", "truncate");

        static Object call(String name, List<Object> args, boolean header) throws FuncError, ArgCountError {
            if (header && HEADER_IDENTITY.contains(name)) {
                want(args, name.equals("split") || name.equals("join") || name.equals("truncate") ? 2 : 1);
                return args.getFirst();
            }
            return switch (name) {
                case "json" -> {
                    want(args, 1);
                    yield GoJson.marshal(unwrap(args.getFirst()));
                }
                case "join" -> {
                    want(args, 2);
                    if (!(args.get(0) instanceof List<?> l)) {
                        throw new FuncError("wrong type for value; expected []string; got " + goType(args.get(0)));
                    }
                    List<String> parts = new ArrayList<>();
                    for (Object o : l) {
                        parts.add(print(o));
                    }
                    yield String.join(str(args.get(1)), parts);
                }
                case "split" -> {
                    want(args, 2);
                    String s = str(args.get(0));
                    String sep = str(args.get(1));
                    if (sep.isEmpty()) {
                        List<Object> chars = new ArrayList<>();
                        s.codePoints().forEach(cp -> chars.add(new String(Character.toChars(cp))));
                        yield chars;
                    }
                    yield new ArrayList<Object>(Arrays.asList(s.split(java.util.regex.Pattern.quote(sep), -1)));
                }
                case "lower" -> {
                    want(args, 1);
                    yield str(args.getFirst()).toLowerCase(Locale.ROOT);
                }
                case "upper" -> {
                    want(args, 1);
                    yield str(args.getFirst()).toUpperCase(Locale.ROOT);
                }
                case "title" -> {
                    want(args, 1);
                    yield title(str(args.getFirst()));
                }
                case "pad" -> {
                    want(args, 3);
                    String s = str(args.get(0));
                    yield s.isEmpty() ? s : " ".repeat(intArg(args.get(1))) + s + " ".repeat(intArg(args.get(2)));
                }
                case "truncate" -> {
                    want(args, 2);
                    String s = str(args.get(0));
                    int n = intArg(args.get(1));
                    yield s.length() < n ? s : s.substring(0, Math.max(0, n));
                }
                case "index" -> {
                    if (args.isEmpty()) {
                        throw new ArgCountError("want at least 1 got 0");
                    }
                    Object v = args.getFirst();
                    for (int i = 1; i < args.size(); i++) {
                        Object key = args.get(i);
                        if (v instanceof Map<?, ?> m) {
                            // a missing key gives the map's zero value: "" for docker's map[string]string labels
                            v = m.containsKey(String.valueOf(key)) ? m.get(String.valueOf(key))
                                    : m.values().stream().allMatch(x -> x instanceof String) ? "" : null;
                        } else if (v instanceof List<?> l) {
                            int k = intArg(key);
                            if (k < 0 || k >= l.size()) {
                                throw new FuncError("index out of range: " + k);
                            }
                            v = l.get(k);
                        } else if (v instanceof TemplateFields f) {
                            v = f.asMap().get(String.valueOf(key));
                        } else {
                            throw new FuncError("can't index item of type " + (v == null ? "<nil>" : goType(v)));
                        }
                    }
                    yield v;
                }
                case "len" -> {
                    want(args, 1);
                    Object v = args.getFirst();
                    if (v instanceof String str) {
                        yield BigInteger.valueOf(str.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
                    } else if (v instanceof List<?> l) {
                        yield BigInteger.valueOf(l.size());
                    } else if (v instanceof Map<?, ?> m) {
                        yield BigInteger.valueOf(m.size());
                    }
                    throw new FuncError("len of type " + (v == null ? "<nil>" : goType(v)));
                }
                case "print" -> {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < args.size(); i++) {
                        // Sprint: a space only between two operands that are not strings.
                        if (i > 0 && !(args.get(i) instanceof String) && !(args.get(i - 1) instanceof String)) {
                            sb.append(' ');
                        }
                        sb.append(print(args.get(i)));
                    }
                    yield sb.toString();
                }
                case "println" -> {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < args.size(); i++) {
                        if (i > 0) {
                            sb.append(' ');
                        }
                        sb.append(print(args.get(i)));
                    }
                    yield sb.append('\n').toString();
                }
                case "printf" -> {
                    if (args.isEmpty()) {
                        throw new ArgCountError("want at least 1 got 0");
                    }
                    yield printf(str(args.getFirst()), args.subList(1, args.size()));
                }
                case "eq" -> {
                    if (args.size() < 2) {
                        throw new ArgCountError("want at least 2 got " + args.size());
                    }
                    boolean any = false;
                    for (int i = 1; i < args.size(); i++) {
                        any |= same(args.getFirst(), args.get(i));
                    }
                    yield any;
                }
                case "ne" -> {
                    want(args, 2);
                    yield !same(args.get(0), args.get(1));
                }
                case "lt", "le", "gt", "ge" -> {
                    want(args, 2);
                    int c = compare(args.get(0), args.get(1));
                    yield switch (name) {
                        case "lt" -> c < 0;
                        case "le" -> c <= 0;
                        case "gt" -> c > 0;
                        default -> c >= 0;
                    };
                }
                case "not" -> {
                    want(args, 1);
                    yield !isTrue(args.getFirst());
                }
                case "and" -> {
                    if (args.isEmpty()) {
                        throw new ArgCountError("want at least 1 got 0");
                    }
                    Object last = null;
                    for (Object a : args) {
                        last = a;
                        if (!isTrue(a)) {
                            break;
                        }
                    }
                    yield last;
                }
                case "or" -> {
                    if (args.isEmpty()) {
                        throw new ArgCountError("want at least 1 got 0");
                    }
                    Object last = null;
                    for (Object a : args) {
                        last = a;
                        if (isTrue(a)) {
                            break;
                        }
                    }
                    yield last;
                }
                default -> throw new FuncError("function \"" + name + "\" not defined");
            };
        }

        private static Object unwrap(Object v) {
            return v == NO_VALUE ? null : v;
        }

        private static void want(List<Object> args, int n) throws ArgCountError {
            if (args.size() != n) {
                throw new ArgCountError("want " + n + " got " + args.size());
            }
        }

        private static String str(Object v) throws FuncError {
            if (v instanceof String s) {
                return s;
            }
            throw new FuncError("wrong type for value; expected string; got " + (v == null ? "<nil>" : goType(v)));
        }

        private static int intArg(Object v) throws FuncError {
            if (v instanceof Number n && isIntegral(n)) {
                return n.intValue();
            }
            throw new FuncError("wrong type for value; expected int; got " + (v == null ? "<nil>" : goType(v)));
        }

        private static boolean isIntegral(Number n) {
            return isInteger(n) || (n instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0);
        }

        private static boolean same(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
            }
            if (a == NO_VALUE || b == NO_VALUE) {
                return a == b;
            }
            return java.util.Objects.equals(a, b);
        }

        private static int compare(Object a, Object b) throws FuncError {
            if (a instanceof Number x && b instanceof Number y) {
                return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
            }
            if (a instanceof String x && b instanceof String y) {
                return x.compareTo(y);
            }
            throw new FuncError("incompatible types for comparison");
        }

        private static String title(String s) {
            StringBuilder sb = new StringBuilder(s.length());
            boolean start = true;
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                boolean separator = !(Character.isLetterOrDigit(cp) || cp == '_');
                sb.appendCodePoint(start && !separator ? Character.toTitleCase(cp) : cp);
                start = separator;
                i += Character.charCount(cp);
            }
            return sb.toString();
        }

        private static String printf(String format, List<Object> args) {
            StringBuilder sb = new StringBuilder();
            int a = 0;
            for (int i = 0; i < format.length(); i++) {
                char c = format.charAt(i);
                if (c != '%' || i + 1 >= format.length()) {
                    sb.append(c);
                    continue;
                }
                char verb = format.charAt(++i);
                if (verb == '%') {
                    sb.append('%');
                    continue;
                }
                if (a >= args.size()) {
                    sb.append("%!").append(verb).append("(MISSING)");
                    continue;
                }
                Object v = args.get(a++);
                switch (verb) {
                    case 'q' -> GoJson.quote(sb, print(v));
                    default -> sb.append(print(v));
                }
            }
            return sb.toString();
        }
    }

    /** A map lookup helper for callers building data: {@code Map.of} cannot hold nulls. */
    public static Map<String, Object> mapOf(Object... keysAndValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
