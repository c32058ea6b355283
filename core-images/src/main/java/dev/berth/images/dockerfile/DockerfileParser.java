package dev.berth.images.dockerfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Dockerfile text the way BuildKit's dockerfile frontend does: {@code parser/parser.go} for
 * lines, directives, continuations and heredocs, {@code line_parsers.go} for each instruction's
 * argument shape, and {@code instructions/parse.go} for validation and flags. Errors carry Docker's
 * wording prefixed with {@code dockerfile parse error on line N: }.
 */
public final class DockerfileParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
    private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)([^<]*)$");
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
    private static final Pattern ONBUILD_PREFIX = Pattern.compile("(?i)^\\s*ONBUILD\\s*");
    private static final Set<String> KNOWN = Set.of("add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from",
            "healthcheck", "label", "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir");

    private DockerfileParser() {}

    /** One logical line: the instruction word, its {@code --flags}, the rest, and any heredocs. */
    private record Node(int line, String word, String cmd, List<String> flags, String rest, String original,
                        List<Instruction.Heredoc> heredocs, Node child) {}

    private static final class ParseError extends RuntimeException {
        ParseError(String message) {
            super(message, null, false, false);
        }
    }

    public static Dockerfile parse(String text) {
        if (text == null || text.isEmpty()) throw BerthException.invalid("the Dockerfile cannot be empty");
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<String> lines = splitLines(text);
        char escape = '\\';
        boolean directivesDone = false;
        Set<String> seenDirectives = new java.util.HashSet<>();
        List<Node> nodes = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String raw = trimNewline(lines.get(i));
            int startLine = ++i;
            String stripped = stripLeading(raw);
            if (!directivesDone) {
                Matcher m = DIRECTIVE.matcher(stripped);
                String key = m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
                if (key == null || !Set.of("syntax", "escape", "check").contains(key)) {
                    directivesDone = true;
                } else {
                    if (!seenDirectives.add(key)) {
                        throw error(startLine, "only one " + key + " parser directive can be used");
                    }
                    if (key.equals("escape")) {
                        String v = m.group(2);
                        if (!v.equals("`") && !v.equals("\\")) {
                            throw error(startLine, "invalid ESCAPE '" + v + "'. Must be ` or \\");
                        }
                        escape = v.charAt(0);
                    }
                    continue;
                }
            }
            if (isComment(stripped)) continue;
            String[] cont = trimContinuation(stripped, escape);
            String line = cont[0];
            boolean end = cont[1] == null;
            if (end && line.isEmpty()) continue;
            while (!end && i < lines.size()) {
                String next = trimNewline(lines.get(i++));
                if (isComment(stripLeading(next))) continue;
                if (stripLeading(next).isEmpty()) continue;
                cont = trimContinuation(next, escape);
                line += cont[0];
                end = cont[1] == null;
            }
            Node node;
            boolean heredocs;
            try {
                node = nodeFromLine(startLine, line, escape);
                heredocs = canContainHeredoc(node) && line.contains("<<");
            } catch (ParseError e) {
                throw error(startLine, e.getMessage());
            }
            if (heredocs) {
                List<Instruction.Heredoc> docs = new ArrayList<>();
                for (HeredocSpec spec : heredocsFromLine(line)) {
                    StringBuilder content = new StringBuilder();
                    boolean terminated = false;
                    while (i < lines.size()) {
                        String l = lines.get(i++);
                        String candidate = trimNewline(l);
                        if (spec.chomp) candidate = candidate.replaceFirst("^\\t+", "");
                        if (candidate.equals(spec.name)) {
                            terminated = true;
                            break;
                        }
                        content.append(spec.chomp ? l.replaceFirst("^\\t+", "") : l);
                    }
                    if (!terminated) throw error(startLine, "unterminated heredoc");
                    docs.add(new Instruction.Heredoc(spec.name, content.toString(), spec.expand, spec.chomp));
                }
                node = withHeredocs(node, docs);
            }
            nodes.add(node);
        }
        if (nodes.isEmpty()) throw BerthException.invalid("file with no instructions");
        return build(escape, nodes);
    }

    private static Dockerfile build(char escape, List<Node> nodes) {
        List<Instruction.Arg> globalArgs = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        Instruction.From from = null;
        String name = null;
        List<Instruction> body = new ArrayList<>();
        for (Node n : nodes) {
            Instruction in;
            try {
                in = instruction(n, escape);
            } catch (ParseError e) {
                throw error(n.line, e.getMessage());
            }
            if (in instanceof Instruction.From f) {
                if (from != null) stages.add(new Stage(stages.size(), name, from, body));
                from = f;
                name = f.alias();
                body = new ArrayList<>();
            } else if (from == null) {
                if (in instanceof Instruction.Arg a) {
                    globalArgs.add(a);
                } else {
                    throw error(n.line, "no build stage in current context");
                }
            } else {
                body.add(in);
            }
        }
        if (from == null) throw BerthException.invalid("no build stage in current context");
        stages.add(new Stage(stages.size(), name, from, body));
        return new Dockerfile(escape, globalArgs, stages);
    }

    private static BerthException error(int line, String message) {
        return BerthException.invalid("dockerfile parse error on line " + line + ": " + message);
    }

    // ---- lines ----

    private static List<String> splitLines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                out.add(text.substring(start));
                break;
            }
            out.add(text.substring(start, nl + 1));
            start = nl + 1;
        }
        return out;
    }

    private static String trimNewline(String s) {
        if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
        if (s.endsWith("\r")) s = s.substring(0, s.length() - 1);
        return s;
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return s.substring(i);
    }

    private static boolean isComment(String strippedLine) {
        return strippedLine.startsWith("#");
    }

    /** [line without the continuation, non-null when the line continues]. */
    private static String[] trimContinuation(String line, char escape) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) end--;
        if (end > 0 && line.charAt(end - 1) == escape) return new String[] {line.substring(0, end - 1), ""};
        return new String[] {line, null};
    }

    private static Node nodeFromLine(int lineNo, String line, char escape) {
        String trimmed = line.strip();
        String[] parts = trimmed.split("[\\t\\u000B\\f\\r ]+", 2);
        String word = parts[0];
        String cmd = word.toLowerCase(Locale.ROOT);
        List<String> flags = List.of();
        String rest = "";
        if (parts.length == 2) {
            Object[] extracted = extractFlags(parts[1]);
            rest = (String) extracted[0];
            @SuppressWarnings("unchecked") List<String> f = (List<String>) extracted[1];
            flags = f;
        }
        Node child = null;
        if (cmd.equals("onbuild") && !rest.isEmpty()) child = nodeFromLine(lineNo, rest, escape);
        return new Node(lineNo, word, cmd, flags, rest, trimmed, List.of(), child);
    }

    private static Node withHeredocs(Node n, List<Instruction.Heredoc> docs) {
        if (n.cmd.equals("onbuild")) {
            return new Node(n.line, n.word, n.cmd, n.flags, n.rest, n.original, docs, withHeredocs(n.child, docs));
        }
        return new Node(n.line, n.word, n.cmd, n.flags, n.rest, n.original, docs, n.child);
    }

    private static boolean canContainHeredoc(Node n) {
        if (n.cmd.equals("onbuild")) return n.child != null && canContainHeredoc(n.child);
        if (!Set.of("run", "copy", "add").contains(n.cmd)) return false;
        return tryJson(n.rest) == null;
    }

    private record HeredocSpec(String name, boolean chomp, boolean expand) {}

    /** Heredoc markers among the line's words (quotes kept raw, so a quoted {@code "<<EOF"} is not one). */
    private static List<HeredocSpec> heredocsFromLine(String line) {
        List<HeredocSpec> out = new ArrayList<>();
        for (String w : splitWords(line, '\\')) {
            HeredocSpec h = parseHeredoc(w);
            if (h != null) out.add(h);
        }
        return out;
    }

    static HeredocSpec parseHeredoc(String word) {
        Matcher m = HEREDOC.matcher(word);
        if (!m.matches() || m.group(3).isEmpty()) return null;
        String rest = m.group(3);
        String name = VariableExpander.expand(rest, Map.of());
        if (name.isEmpty()) return null;
        boolean quoted = rest.contains("'") || rest.contains("\"");
        return new HeredocSpec(name, !m.group(2).isEmpty(), !quoted);
    }

    /** BuildKit's extractBuilderFlags: leading {@code --words}, returning [rest, flags]. */
    private static Object[] extractFlags(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        final int inSpaces = 0, inWord = 1, inQuote = 2;
        int phase = inSpaces;
        char quote = 0;
        boolean blankOK = false;
        for (int pos = 0; pos <= line.length(); pos++) {
            char ch = pos < line.length() ? line.charAt(pos) : 0;
            if (phase == inSpaces) {
                if (pos == line.length()) break;
                if (Character.isWhitespace(ch)) continue;
                if (ch != '-' || pos + 1 == line.length() || line.charAt(pos + 1) != '-') {
                    return new Object[] {line.substring(pos), words};
                }
                phase = inWord;
            }
            if (pos == line.length()) {
                if (!word.toString().equals("--") && (blankOK || !word.isEmpty())) words.add(word.toString());
                break;
            }
            if (phase == inWord) {
                if (Character.isWhitespace(ch)) {
                    phase = inSpaces;
                    if (word.toString().equals("--")) return new Object[] {line.substring(pos).strip(), words};
                    if (blankOK || !word.isEmpty()) words.add(word.toString());
                    word = new StringBuilder();
                    blankOK = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOK = true;
                    phase = inQuote;
                    continue;
                }
                if (ch == '\\') {
                    if (pos + 1 == line.length()) continue;
                    ch = line.charAt(++pos);
                }
                word.append(ch);
                continue;
            }
            if (ch == quote) {
                phase = inWord;
                continue;
            }
            if (ch == '\\') {
                if (pos + 1 == line.length()) {
                    phase = inWord;
                    continue;
                }
                ch = line.charAt(++pos);
            }
            word.append(ch);
        }
        return new Object[] {"", words};
    }

    /** BuildKit's parseWords: split on unquoted whitespace, keeping quotes and escapes in the words. */
    static List<String> splitWords(String rest, char escape) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        final int inSpaces = 0, inWord = 1, inQuote = 2;
        int phase = inSpaces;
        char quote = 0;
        boolean blankOK = false;
        for (int pos = 0; pos <= rest.length(); pos++) {
            char ch = pos < rest.length() ? rest.charAt(pos) : 0;
            if (phase == inSpaces) {
                if (pos == rest.length()) break;
                if (Character.isWhitespace(ch)) continue;
                phase = inWord;
            }
            if (pos == rest.length()) {
                if (blankOK || !word.isEmpty()) words.add(word.toString());
                break;
            }
            if (phase == inWord) {
                if (Character.isWhitespace(ch)) {
                    phase = inSpaces;
                    if (blankOK || !word.isEmpty()) words.add(word.toString());
                    word = new StringBuilder();
                    blankOK = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOK = true;
                    phase = inQuote;
                }
                if (ch == escape) {
                    if (pos + 1 == rest.length()) continue;
                    word.append(ch);
                    ch = rest.charAt(++pos);
                }
                word.append(ch);
                continue;
            }
            if (ch == quote) {
                phase = inWord;
            }
            if (ch == escape && quote != '\'') {
                if (pos + 1 == rest.length()) {
                    phase = inWord;
                    continue;
                }
                word.append(ch);
                ch = rest.charAt(++pos);
            }
            word.append(ch);
        }
        return words;
    }

    /** The JSON array's strings, null when {@code rest} is not a JSON array (shell form). */
    private static List<String> tryJson(String rest) {
        String r = rest.strip();
        if (!r.startsWith("[")) return null;
        JsonNode node;
        try {
            node = JSON.readTree(r);
        } catch (Exception e) {
            return null;
        }
        if (node == null || !node.isArray()) return null;
        List<String> out = new ArrayList<>();
        for (JsonNode e : node) {
            if (!e.isTextual()) {
                throw new ParseError("when using JSON array syntax, arrays must be comprised of strings only");
            }
            out.add(e.textValue());
        }
        return out;
    }

    private static List<String> whitespaceWords(String rest) {
        String r = rest.strip();
        return r.isEmpty() ? List.of() : List.of(r.split("\\s+"));
    }

    // ---- instructions ----

    /** Flags an instruction accepts, with BuildKit's BFlags rules. */
    private static final class Flags {
        private final List<String> given;
        private final Map<String, Boolean> allowed = new LinkedHashMap<>(); // name -> boolean flag?
        private final Set<String> repeatable = new java.util.HashSet<>();
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        Flags(List<String> given) {
            this.given = given;
        }

        Flags string(String name) {
            allowed.put(name, false);
            return this;
        }

        Flags strings(String name) {
            allowed.put(name, false);
            repeatable.add(name);
            return this;
        }

        Flags bool(String name) {
            allowed.put(name, true);
            return this;
        }

        Flags parse() {
            for (String a : given) {
                if (a.equals("--")) return this;
                if (!a.startsWith("--")) throw new ParseError("arg should start with -- : " + a);
                int eq = a.indexOf('=');
                String flagName = eq >= 0 ? a.substring(0, eq) : a;
                String value = eq >= 0 ? a.substring(eq + 1) : null;
                String name = flagName.substring(2);
                Boolean isBool = allowed.get(name);
                if (isBool == null) throw new ParseError("unknown flag: " + flagName);
                if (values.containsKey(name) && !repeatable.contains(name)) {
                    throw new ParseError("duplicate flag specified: " + flagName);
                }
                if (isBool) {
                    if (value == null) {
                        value = "true";
                    } else {
                        String lower = value.toLowerCase(Locale.ROOT);
                        if (!lower.equals("true") && !lower.equals("false")) {
                            throw new ParseError("expecting boolean value for flag " + flagName + ", not: " + value);
                        }
                        value = lower;
                    }
                } else if (value == null) {
                    throw new ParseError("missing a value on flag: " + flagName);
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
            return this;
        }

        String get(String name) {
            List<String> v = values.get(name);
            return v == null ? null : v.getLast();
        }

        boolean bool(String name, boolean unused) {
            return "true".equals(get(name));
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }
    }

    private static Instruction instruction(Node n, char escape) {
        int line = n.line;
        String orig = n.original;
        String rest = n.rest;
        switch (n.cmd) {
            case "from": {
                List<String> args = whitespaceWords(rest);
                String alias = null;
                if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
                    alias = args.get(2).toLowerCase(Locale.ROOT);
                    if (!STAGE_NAME.matcher(alias).matches()) {
                        throw new ParseError("invalid name for build stage: \"" + args.get(2)
                                + "\", name can't start with a number or contain symbols");
                    }
                } else if (args.size() != 1) {
                    throw new ParseError("FROM requires either one or three arguments");
                }
                Flags f = new Flags(n.flags).string("platform").parse();
                return new Instruction.From(line, orig, args.getFirst(), alias, f.get("platform"));
            }
            case "run": {
                Flags f = new Flags(n.flags).strings("mount").string("network").string("security").parse();
                List<Instruction.Mount> mounts = new ArrayList<>();
                for (String m : f.all("mount")) mounts.add(parseMount(m));
                if (f.get("network") != null && !Set.of("default", "none", "host").contains(f.get("network"))) {
                    throw new ParseError("unsupported network mode \"" + f.get("network") + "\"");
                }
                if (f.get("security") != null && !Set.of("sandbox", "insecure").contains(f.get("security"))) {
                    throw new ParseError("unsupported security mode \"" + f.get("security") + "\"");
                }
                CommandLine c = commandLine(rest);
                return new Instruction.Run(line, orig, c.args, c.shell, mounts, f.get("network"), f.get("security"),
                        n.heredocs);
            }
            case "cmd": {
                new Flags(n.flags).parse();
                CommandLine c = commandLine(rest);
                return new Instruction.Cmd(line, orig, c.args, c.shell);
            }
            case "entrypoint": {
                new Flags(n.flags).parse();
                CommandLine c = commandLine(rest);
                return new Instruction.Entrypoint(line, orig, c.args, c.shell);
            }
            case "label": {
                new Flags(n.flags).parse();
                return new Instruction.Label(line, orig, keyValues(rest, "LABEL", escape));
            }
            case "env": {
                new Flags(n.flags).parse();
                return new Instruction.Env(line, orig, keyValues(rest, "ENV", escape));
            }
            case "maintainer": {
                if (rest.isEmpty()) throw new ParseError("MAINTAINER requires exactly one argument");
                new Flags(n.flags).parse();
                return new Instruction.Maintainer(line, orig, rest);
            }
            case "expose": {
                List<String> ports = new ArrayList<>(listArgs(rest));
                if (ports.isEmpty()) throw new ParseError("EXPOSE requires at least one argument");
                new Flags(n.flags).parse();
                ports.sort(null);
                return new Instruction.Expose(line, orig, ports);
            }
            case "add":
            case "copy": {
                boolean copy = n.cmd.equals("copy");
                String upper = copy ? "COPY" : "ADD";
                List<String> args = listArgs(rest);
                if (args.size() < 2) {
                    throw new ParseError(upper + " requires at least two arguments, but only one was provided. "
                            + "Destination could not be determined.");
                }
                Flags f = new Flags(n.flags).string("chown").string("chmod").bool("link").strings("exclude");
                if (copy) f.string("from").bool("parents");
                else f.string("checksum").bool("keep-git-dir");
                f.parse();
                String dest = args.getLast();
                if (parseHeredoc(dest) != null) {
                    throw new ParseError(upper + " cannot accept a heredoc as a destination");
                }
                Map<String, Instruction.Heredoc> byName = new LinkedHashMap<>();
                for (Instruction.Heredoc h : n.heredocs) byName.put(h.name(), h);
                List<String> sources = new ArrayList<>();
                List<Instruction.Heredoc> docs = new ArrayList<>();
                for (String src : args.subList(0, args.size() - 1)) {
                    HeredocSpec h = parseHeredoc(src);
                    if (h != null && byName.containsKey(h.name())) docs.add(byName.get(h.name()));
                    else sources.add(src);
                }
                if (copy) {
                    return new Instruction.Copy(line, orig, sources, dest, f.get("from"), f.get("chown"), f.get("chmod"),
                            f.bool("link", true), docs);
                }
                return new Instruction.Add(line, orig, sources, dest, f.get("chown"), f.get("chmod"), f.bool("link", true),
                        f.get("checksum"), f.bool("keep-git-dir", true), docs);
            }
            case "volume": {
                List<String> vols = listArgs(rest);
                if (vols.isEmpty()) throw new ParseError("VOLUME requires at least one argument");
                new Flags(n.flags).parse();
                List<String> out = new ArrayList<>();
                for (String v : vols) {
                    if (v.isBlank()) throw new ParseError("VOLUME specified can not be an empty string");
                    out.add(v.strip());
                }
                return new Instruction.Volume(line, orig, out);
            }
            case "user": {
                if (rest.isEmpty()) throw new ParseError("USER requires exactly one argument");
                new Flags(n.flags).parse();
                return new Instruction.User(line, orig, rest);
            }
            case "workdir": {
                if (rest.isEmpty()) throw new ParseError("WORKDIR requires exactly one argument");
                new Flags(n.flags).parse();
                return new Instruction.Workdir(line, orig, rest);
            }
            case "stopsignal": {
                if (rest.isEmpty()) throw new ParseError("STOPSIGNAL requires exactly one argument");
                return new Instruction.Stopsignal(line, orig, rest);
            }
            case "arg": {
                List<String> words = splitWords(rest, escape);
                if (words.isEmpty()) throw new ParseError("ARG requires at least one argument");
                new Flags(n.flags).parse();
                List<Instruction.ArgDef> defs = new ArrayList<>();
                for (String w : words) {
                    int eq = w.indexOf('=');
                    if (eq < 0) {
                        defs.add(new Instruction.ArgDef(w, null));
                    } else {
                        if (eq == 0) throw new ParseError("ARG names can not be blank");
                        defs.add(new Instruction.ArgDef(w.substring(0, eq), w.substring(eq + 1)));
                    }
                }
                return new Instruction.Arg(line, orig, defs);
            }
            case "onbuild": {
                if (n.child == null) throw new ParseError("ONBUILD requires at least one argument");
                new Flags(n.flags).parse();
                String trigger = n.child.word.toUpperCase(Locale.ROOT);
                if (trigger.equals("ONBUILD")) {
                    throw new ParseError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                }
                if (trigger.equals("MAINTAINER") || trigger.equals("FROM")) {
                    throw new ParseError(trigger + " isn't allowed as an ONBUILD trigger");
                }
                String expression = ONBUILD_PREFIX.matcher(orig).replaceAll("");
                for (Instruction.Heredoc h : n.heredocs) expression += "\n" + h.content() + h.name();
                return new Instruction.Onbuild(line, orig, expression, instruction(n.child, escape));
            }
            case "healthcheck": {
                return healthcheck(n);
            }
            case "shell": {
                new Flags(n.flags).parse();
                if (rest.isBlank()) throw new ParseError("SHELL requires at least one argument");
                List<String> json = tryJson(rest);
                if (json == null) throw new ParseError("SHELL requires the arguments to be in JSON form");
                if (json.isEmpty()) throw new ParseError("SHELL requires at least one argument");
                return new Instruction.Shell(line, orig, json);
            }
            default:
                throw new ParseError("unknown instruction: " + n.word);
        }
    }

    private record CommandLine(List<String> args, boolean shell) {}

    private static CommandLine commandLine(String rest) {
        String r = rest.strip();
        if (r.isEmpty()) return new CommandLine(List.of(), true);
        List<String> json = tryJson(r);
        if (json != null) return new CommandLine(json, false);
        return new CommandLine(List.of(r), true);
    }

    /** ADD/COPY/VOLUME/EXPOSE: a JSON array, else whitespace-separated words. */
    private static List<String> listArgs(String rest) {
        List<String> json = tryJson(rest);
        return json != null ? json : whitespaceWords(rest);
    }

    private static List<Instruction.KeyValue> keyValues(String rest, String key, char escape) {
        List<String> words = splitWords(rest, escape);
        if (words.isEmpty()) throw new ParseError(key + " requires at least one argument");
        List<Instruction.KeyValue> out = new ArrayList<>();
        if (!words.getFirst().contains("=")) {
            String[] parts = rest.split("[\\t\\u000B\\f\\r ]+", 2);
            if (parts.length < 2) throw new ParseError(key + " must have two arguments");
            out.add(new Instruction.KeyValue(parts[0], parts[1]));
            return out;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq < 0) {
                throw new ParseError("Syntax error - can't find = in \"" + w + "\". Must be of the form: name=value");
            }
            if (eq == 0) throw new ParseError(key + " names can not be blank");
            out.add(new Instruction.KeyValue(w.substring(0, eq), w.substring(eq + 1)));
        }
        return out;
    }

    private static Instruction.Mount parseMount(String spec) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String field : splitCsv(spec)) {
            int eq = field.indexOf('=');
            String k = (eq < 0 ? field : field.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String v = eq < 0 ? "" : field.substring(eq + 1);
            if (k.isEmpty()) continue;
            opts.put(k, v);
        }
        String type = opts.getOrDefault("type", "bind");
        if (!Set.of("bind", "cache", "tmpfs", "secret", "ssh").contains(type)) {
            throw new ParseError("unsupported mount type \"" + type + "\"");
        }
        if (opts.containsKey("dst") && !opts.containsKey("target")) opts.put("target", opts.get("dst"));
        if (opts.containsKey("destination") && !opts.containsKey("target")) opts.put("target", opts.get("destination"));
        if (opts.containsKey("src") && !opts.containsKey("source")) opts.put("source", opts.get("src"));
        if (!opts.containsKey("target") && !type.equals("secret") && !type.equals("ssh")) {
            throw new ParseError("mount destination not specified");
        }
        return new Instruction.Mount(type, java.util.Collections.unmodifiableMap(opts));
    }

    /** Comma-separated fields, with double-quoted fields allowed (Go's csv reader, as BuildKit uses). */
    private static List<String> splitCsv(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inQuote = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                if (inQuote && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    inQuote = !inQuote;
                }
            } else if (c == ',' && !inQuote) {
                out.add(cur.toString());
                cur = new StringBuilder();
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static Instruction healthcheck(Node n) {
        String rest = n.rest;
        int sep = 0;
        while (sep < rest.length() && !Character.isWhitespace(rest.charAt(sep))) sep++;
        if (sep == 0) throw new ParseError("HEALTHCHECK requires at least one argument");
        String typ = rest.substring(0, sep).toUpperCase(Locale.ROOT);
        String cmdText = rest.substring(sep).strip();
        if (typ.equals("NONE")) {
            if (!cmdText.isEmpty()) throw new ParseError("HEALTHCHECK NONE takes no arguments");
            return new Instruction.Healthcheck(n.line, n.original, List.of("NONE"), null, null, null, null, null);
        }
        Flags f = new Flags(n.flags).string("interval").string("timeout").string("start-period")
                .string("start-interval").string("retries").parse();
        if (!typ.equals("CMD")) throw new ParseError("Unknown type \"" + typ + "\" in HEALTHCHECK (try CMD)");
        CommandLine c = commandLine(cmdText);
        if (c.args.isEmpty()) throw new ParseError("Missing command after HEALTHCHECK CMD");
        List<String> test = new ArrayList<>();
        test.add(c.shell ? "CMD-SHELL" : "CMD");
        test.addAll(c.args);
        Integer retries = null;
        if (f.get("retries") != null) {
            long r;
            try {
                r = Long.parseLong(f.get("retries"));
            } catch (NumberFormatException e) {
                throw new ParseError("strconv.ParseInt: parsing \"" + f.get("retries") + "\": invalid syntax");
            }
            if (r < 1) throw new ParseError("--retries must be at least 1 (not " + r + ")");
            retries = (int) r;
        }
        return new Instruction.Healthcheck(n.line, n.original, List.copyOf(test), interval(f, "interval"),
                interval(f, "timeout"), interval(f, "start-period"), interval(f, "start-interval"), retries);
    }

    private static java.time.Duration interval(Flags f, String name) {
        String v = f.get(name);
        if (v == null || v.isEmpty()) return null;
        java.time.Duration d;
        try {
            d = GoDuration.parse(v);
        } catch (IllegalArgumentException e) {
            throw new ParseError(e.getMessage());
        }
        if (d.compareTo(java.time.Duration.ofMillis(1)) < 0) {
            throw new ParseError("Interval \"" + name + "\" cannot be less than 1ms");
        }
        return d;
    }
}
