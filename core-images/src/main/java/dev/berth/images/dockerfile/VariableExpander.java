package dev.berth.images.dockerfile;

import java.util.List;
import java.util.Map;

/** Docker's shell-lex word processing (BuildKit shell/lex.go): quotes, escapes, $VAR and ${VAR...}. */
public final class VariableExpander {
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
        throw new UnsupportedOperationException();
    }

    /** Several words: split on unquoted whitespace, including whitespace that came from unquoted expansions. */
    public List<String> processWords(String word, Map<String, String> scope) {
        throw new UnsupportedOperationException();
    }
}
