package dev.berth.images.dockerfile;

import dev.berth.errors.BerthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Cases ported from BuildKit's frontend/dockerfile/shell/envVarTest (PWD=/home, SHELL=bash, NULL=""). */
class VariableExpanderTest {
    static final Map<String, String> ENV = Map.of("PWD", "/home", "SHELL", "bash", "NULL", "");

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = 0, ignoreLeadingAndTrailingWhitespace = true, value = {
            "hello                    | hello",
            "he'll'o                  | hello",
            "he\\'llo                 | he'llo",
            "abc\\tdef                | abctdef",
            "\"abc\\tdef\"            | abc\\tdef",
            "\"abc\\\\tdef\"          | abc\\tdef",
            "'abc\\tdef'              | abc\\tdef",
            "hello\\                  | hello",
            "hello\\\\                | hello\\",
            "\"hel'lo\"               | hel'lo",
            "'hello\\'                | hello\\",
            "'hello\\there'           | hello\\there",
            "\"''\"                   | ''",
            "$.                       | $.",
            "he$1x                    | hex",
            "he$.x                    | he$.x",
            "he$pwd.                  | he.",
            "he$PWD                   | he/home",
            "he\\$PWD                 | he$PWD",
            "he\\\\$PWD               | he\\/home",
            "\"he\\$PWD\"             | he$PWD",
            "\"he\\\\$PWD\"           | he\\/home",
            "\\${}                    | ${}",
            "\\${}aaa                 | ${}aaa",
            "he\\${}                  | he${}",
            "he${hi}                  | he",
            "he${hi}xx                | hexx",
            "he${PWD}                 | he/home",
            "he${XXX:-000}xx          | he000xx",
            "he${PWD:-000}xx          | he/homexx",
            "he${XXX:-$PWD}xx         | he/homexx",
            "he${XXX:-${PWD:-yyy}}xx  | he/homexx",
            "he${XXX:-${YYY:-yyy}}xx  | heyyyxx",
            "he${NULL:-def}           | hedef",
            "he${NULL-def}            | he",
            "he${XXX-def}             | hedef",
            "he${PWD?}                | he/home",
            "he${PWD:?}               | he/home",
            "he${NULL?}               | he",
            "he${XXX:+${PWD}}xx       | hexx",
            "he${PWD:+${XXX}}xx       | hexx",
            "he${PWD:+${SHELL}}xx     | hebashxx",
            "he${XXX:+000}xx          | hexx",
            "he${PWD:+000}xx          | he000xx",
            "he${NULL:+000}xx         | hexx",
            "he${NULL+000}xx          | he000xx",
            "'he${XX}'                | he${XX}",
            "\"he${PWD}\"             | he/home",
            "\"he'$PWD'\"             | he'/home'",
            "\"$PWD\"                 | /home",
            "'$PWD'                   | $PWD",
            "'\\$PWD'                 | \\$PWD",
            "'\"hello\"'              | \"hello\"",
            "'he\\$PWD'               | he\\$PWD",
            "he${PWD+${PWD}:}xx${PWD} | he/home:xx/home",
            "$                        | $",
            "${PWD#/h}                | ome",
            "${PWD%me}                | /ho",
            "${SHELL##*a}             | sh",
            "${SHELL%%a*}             | b",
    })
    void expands(String in, String out) {
        assertEquals(out, new VariableExpander('\\').processWord(in, ENV));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = 0, ignoreLeadingAndTrailingWhitespace = true, value = {
            "he'llo                   | unexpected end of statement while looking for matching single-quote",
            "he\\\\'llo               | unexpected end of statement while looking for matching single-quote",
            "\"hello                  | unexpected end of statement while looking for matching double-quote",
            "\"hello\\\"              | unexpected end of statement while looking for matching double-quote",
            "${}                      | syntax error: bad substitution",
            "he${}xx                  | syntax error: bad substitution",
            "he${.}                   | unsupported modifier (.) in substitution",
            "he${XXX:YYY}             | unsupported modifier (:Y) in substitution",
            "he${XXX?}                | XXX: is not allowed to be unset",
            "he${XXX:?}               | XXX: is not allowed to be unset",
            "he${NULL:?}              | NULL: is not allowed to be empty",
            "he${XXX:?custom}         | XXX: custom",
            "he${PWD                  | syntax error: missing '}'",
            "he${PWD=000}xx           | unsupported modifier (=) in substitution",
    })
    void errors(String in, String message) {
        BerthException e = assertThrows(BerthException.class, () -> new VariableExpander('\\').processWord(in, ENV));
        assertEquals(message, e.getMessage());
    }

    @Test
    void backtickEscape() {
        VariableExpander ex = new VariableExpander('`');
        assertEquals("c:\\dir$PWD", ex.processWord("c:\\dir`$PWD", ENV));
        assertEquals("a\"b", ex.processWord("\"a`\"b\"", ENV));
    }

    @Test
    void wordSplitting() {
        Map<String, String> env = Map.of("V", "x  y", "E", "");
        VariableExpander ex = new VariableExpander('\\');
        assertEquals(List.of("a", "b", "c"), ex.processWords("a b   c", env));
        assertEquals(List.of("a b", "c"), ex.processWords("\"a b\" c", env));
        assertEquals(List.of("x", "y"), ex.processWords("$V", env));
        assertEquals(List.of("x  y"), ex.processWords("\"$V\"", env));
        assertEquals(List.of("ab"), ex.processWords("a\"\"b", env));
        assertEquals(List.of("a b", "c"), ex.processWords("a\\ b c", env));
        assertEquals(List.of(), ex.processWords("$E", env));
        assertEquals(List.of("prex", "ypost"), ex.processWords("pre${V}post", env));
        assertEquals(List.of("/a", "/b"), VariableExpander.expandWords("/a /b", env));
        assertEquals("two words", VariableExpander.expand("\"two words\"", env));
    }
}
