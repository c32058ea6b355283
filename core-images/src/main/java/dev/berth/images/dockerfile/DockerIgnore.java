package dev.berth.images.dockerfile;

import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code .dockerignore} with Docker's semantics: moby's {@code ignorefile.ReadAll} for reading
 * (comments, {@code !} exceptions, cleaned paths, leading {@code /} dropped) and
 * {@code patternmatcher.MatchesOrParentMatches} for matching (last matching pattern wins, a path
 * is excluded when it or one of its parent directories matches).
 */
public final class DockerIgnore {
    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    public static DockerIgnore parse(String text) {
        List<String> patterns = new ArrayList<>();
        if (text != null) {
            if (text.startsWith("\uFEFF")) text = text.substring(1);
            for (String line : text.split("\n", -1)) {
                if (line.startsWith("#")) continue;
                String p = line.strip();
                if (p.isEmpty()) continue;
                boolean invert = p.charAt(0) == '!';
                if (invert) p = p.substring(1).strip();
                if (!p.isEmpty()) {
                    p = clean(p);
                    if (p.length() > 1 && p.charAt(0) == '/') p = p.substring(1);
                }
                patterns.add(invert ? "!" + p : p);
            }
        }
        return of(patterns);
    }

    /** From already-read patterns (e.g. the API's excludes), as patternmatcher.New does. */
    public static DockerIgnore of(List<String> patterns) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : patterns) {
            String p = raw.strip();
            if (p.isEmpty()) continue;
            p = clean(p);
            boolean exclusion = false;
            if (p.charAt(0) == '!') {
                if (p.length() == 1) throw BerthException.invalid("illegal exclusion pattern: \"!\"");
                exclusion = true;
                p = p.substring(1);
            }
            rules.add(new Rule(p, exclusion));
        }
        return new DockerIgnore(rules);
    }

    /** The cleaned patterns, exceptions prefixed with {@code !}. */
    public List<String> patterns() {
        List<String> out = new ArrayList<>();
        for (Rule r : rules) out.add(r.exclusion ? "!" + r.pattern : r.pattern);
        return out;
    }

    public boolean hasExceptions() {
        return rules.stream().anyMatch(r -> r.exclusion);
    }

    /** Whether the context path (slash-separated, relative to the context root) is excluded. */
    public boolean matches(String relativePath) {
        String file = clean(relativePath);
        if (file.startsWith("/")) file = file.substring(1);
        int slash = file.lastIndexOf('/');
        String parent = slash < 0 ? "." : file.substring(0, slash);
        String[] parentDirs = parent.split("/");
        boolean matched = false;
        for (Rule r : rules) {
            if (r.exclusion != matched) continue;
            boolean match = r.match(file);
            if (!match && !parent.equals(".")) {
                StringBuilder prefix = new StringBuilder();
                for (String dir : parentDirs) {
                    if (!prefix.isEmpty()) prefix.append('/');
                    prefix.append(dir);
                    if (r.match(prefix.toString())) {
                        match = true;
                        break;
                    }
                }
            }
            if (match) matched = !r.exclusion;
        }
        return matched;
    }

    /** Alias of {@link #matches}. */
    public boolean excluded(String relativePath) {
        return matches(relativePath);
    }

    /**
     * Whether an excluded directory can be skipped without walking it: no exception pattern could
     * re-include anything at or below it. Conservative: a {@code **} or a wildcard that may match the
     * directory's path keeps it walked.
     */
    public boolean canSkipDirectory(String relativeDir) {
        if (!matches(relativeDir)) return false;
        String dir = clean(relativeDir);
        String[] dirParts = dir.split("/");
        for (Rule r : rules) {
            if (!r.exclusion) continue;
            String[] pat = r.pattern.split("/");
            boolean mayMatchBelow = true;
            for (int i = 0; i < dirParts.length; i++) {
                if (i >= pat.length) break;
                if (pat[i].contains("**")) break;
                if (!new Rule(pat[i], false).match(dirParts[i])) {
                    mayMatchBelow = false;
                    break;
                }
            }
            if (mayMatchBelow) return false;
        }
        return true;
    }

    /** Go's {@code filepath.Clean} for slash paths. */
    static String clean(String path) {
        if (path.isEmpty()) return ".";
        boolean rooted = path.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.getLast().equals("..")) out.removeLast();
                else if (!rooted) out.add("..");
                continue;
            }
            out.add(part);
        }
        String joined = String.join("/", out);
        if (rooted) return "/" + joined;
        return joined.isEmpty() ? "." : joined;
    }

    private enum MatchType { EXACT, PREFIX, SUFFIX, REGEXP }

    /** One pattern, compiled like patternmatcher's Pattern.compile. */
    private static final class Rule {
        final String pattern;
        final boolean exclusion;
        private MatchType type;
        private Pattern regexp;

        Rule(String pattern, boolean exclusion) {
            this.pattern = pattern;
            this.exclusion = exclusion;
            compile();
        }

        private void compile() {
            StringBuilder re = new StringBuilder("^");
            type = MatchType.EXACT;
            String p = pattern;
            for (int i = 0; i < p.length(); i++) {
                char ch = p.charAt(i);
                if (ch == '*') {
                    if (i + 1 < p.length() && p.charAt(i + 1) == '*') {
                        boolean first = i == 0;
                        i++;
                        if (i + 1 < p.length() && p.charAt(i + 1) == '/') i++;
                        if (i + 1 >= p.length()) {
                            if (type == MatchType.EXACT) {
                                type = MatchType.PREFIX;
                            } else {
                                re.append(".*");
                                type = MatchType.REGEXP;
                            }
                        } else {
                            re.append("(.*/)?");
                            type = MatchType.REGEXP;
                        }
                        if (first) type = MatchType.SUFFIX;
                    } else {
                        re.append("[^/]*");
                        type = MatchType.REGEXP;
                    }
                } else if (ch == '?') {
                    re.append("[^/]");
                    type = MatchType.REGEXP;
                } else if (".+()|{}$^".indexOf(ch) >= 0) {
                    re.append('\\').append(ch);
                } else if (ch == '\\') {
                    if (i + 1 < p.length()) re.append('\\').append(p.charAt(++i));
                    else re.append("\\\\");
                } else if (ch == '[' || ch == ']') {
                    re.append(ch);
                    type = MatchType.REGEXP;
                } else {
                    re.append(ch);
                }
            }
            re.append('$');
            if (type == MatchType.REGEXP) {
                try {
                    regexp = Pattern.compile(re.toString().replace("[!", "[^"));
                } catch (PatternSyntaxException e) {
                    throw BerthException.invalid("syntax error in pattern");
                }
            }
        }

        boolean match(String path) {
            return switch (type) {
                case EXACT -> path.equals(pattern);
                case PREFIX -> path.startsWith(pattern.substring(0, pattern.length() - 2));
                case SUFFIX -> {
                    String suffix = pattern.substring(2);
                    if (path.endsWith(suffix)) yield true;
                    yield !suffix.isEmpty() && suffix.charAt(0) == '/' && path.equals(suffix.substring(1));
                }
                case REGEXP -> regexp.matcher(path).matches();
            };
        }
    }
}
