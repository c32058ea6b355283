package dev.berth.cli.format;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoTemplateTest {
    private static final Map<String, Object> IMAGE = inspect();

    private static Map<String, Object> inspect() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Env", List.of("PATH=/bin", "HOME=/root"));
        config.put("Cmd", List.of("sh"));
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("b", "2"); // out of order on purpose: printing sorts, json keeps the engine's order
        labels.put("a", "1");
        config.put("Labels", labels);
        config.put("Entrypoint", null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", "sha256:abc");
        m.put("RepoTags", List.of("busybox:latest", "busybox:1"));
        m.put("Size", BigInteger.valueOf(4261234));
        m.put("Config", config);
        m.put("Os", "linux");
        m.put("Empty", "");
        return m;
    }

    private static String run(String template, Object data) throws TemplateException {
        return GoTemplate.parse(template).execute(data);
    }

    @Test
    void fieldsAndChains() throws TemplateException {
        assertEquals("sha256:abc linux 4261234", run("{{.Id}} {{.Os}} {{.Size}}", IMAGE));
        assertEquals("[sh]", run("{{.Config.Cmd}}", IMAGE));
        assertEquals("map[a:1 b:2]", run("{{.Config.Labels}}", IMAGE), "maps print with sorted keys");
        assertEquals("<nil>", run("{{.Config.Entrypoint}}", IMAGE));
        assertEquals("<no value>", run("{{.Nope}}", IMAGE), "a missing key prints <no value> by default");
    }

    @Test
    void missingKeysFailInStrictModeWithGosWording() throws TemplateException {
        GoTemplate t = GoTemplate.parse("{{.Id}} {{.Nope}}");
        TemplateException e = assertThrows(TemplateException.class, () -> t.execute(IMAGE, GoTemplate.Options.STRICT));
        assertEquals("template: :1:10: executing \"\" at <.Nope>: map has no entry for key \"Nope\"", e.getMessage());
        assertFalse(e.isParseError());
    }

    @Test
    void unknownFieldsOfRowsAreErrors() throws TemplateException {
        TemplateFields row = new TemplateFields() {
            @Override
            public String typeName() {
                return "*formatter.imageContext";
            }

            @Override
            public Map<String, Object> asMap() {
                return Map.of("ID", "abc");
            }
        };
        assertEquals("abc", run("{{.ID}}", row));
        TemplateException e = assertThrows(TemplateException.class, () -> run("{{.Nope}}", row));
        assertEquals("template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.imageContext",
                e.getMessage());
    }

    @Test
    void jsonFunction() throws TemplateException {
        assertEquals("{\"Env\":[\"PATH=/bin\",\"HOME=/root\"],\"Cmd\":[\"sh\"],\"Labels\":{\"b\":\"2\",\"a\":\"1\"},\"Entrypoint\":null}",
                run("{{json .Config}}", IMAGE));
        assertEquals("\"a<b>&c\"", run("{{json .X}}", Map.of("X", "a<b>&c")), "no HTML escaping, like docker's json");
        assertEquals("[\"sh\"]", run("{{.Config.Cmd | json}}", IMAGE));
    }

    @Test
    void stringFunctions() throws TemplateException {
        assertEquals("busybox:latest,busybox:1", run("{{join .RepoTags \",\"}}", IMAGE));
        assertEquals("[a b c]", run("{{split \"a:b:c\" \":\"}}", IMAGE));
        assertEquals("LINUX linux Hello World-Wide", run("{{upper .Os}} {{lower \"LINUX\"}} {{title \"hello world-wide\"}}", IMAGE));
        assertEquals("  x ", run("{{pad \"x\" 2 1}}", IMAGE));
        assertEquals("", run("{{pad .Empty 2 1}}", IMAGE));
        assertEquals("sha256", run("{{truncate .Id 6}}", IMAGE));
        assertEquals("2", run("{{len .RepoTags}}", IMAGE));
        assertEquals("busybox:1", run("{{index .RepoTags 1}}", IMAGE));
        assertEquals("1", run("{{index .Config.Labels \"a\"}}", IMAGE));
        assertEquals("linux/x", run("{{printf \"%s/%s\" .Os \"x\"}}", IMAGE));
        assertEquals("a 1 2\n", run("{{println \"a\" 1 2}}", IMAGE));
        assertEquals("a1 2", run("{{print \"a\" 1 2}}", IMAGE), "Sprint spaces only between non-strings");
    }

    @Test
    void conditionals() throws TemplateException {
        String t = "{{if eq .Os \"windows\"}}win{{else if eq .Os \"linux\"}}lin{{else}}other{{end}}";
        assertEquals("lin", run(t, IMAGE));
        assertEquals("other", run(t, Map.of("Os", "plan9")));
        assertEquals("N/A", run("{{if .Empty}}{{.Empty}}{{else}}N/A{{end}}", IMAGE));
        assertEquals("yes", run("{{if and .Os (not .Empty)}}yes{{end}}", IMAGE));
        assertEquals("linux", run("{{or .Empty .Os}}", IMAGE));
        assertEquals("true false true", run("{{gt .Size 1000}} {{lt 2 1}} {{ne .Os \"x\"}}", IMAGE));
    }

    @Test
    void rangeAndWith() throws TemplateException {
        assertEquals("busybox:latest;busybox:1;", run("{{range .RepoTags}}{{.}};{{end}}", IMAGE));
        assertEquals("0=busybox:latest 1=busybox:1 ", run("{{range $i, $t := .RepoTags}}{{$i}}={{$t}} {{end}}", IMAGE));
        assertEquals("a=1,b=2,", run("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}},{{end}}", IMAGE), "maps range in key order");
        assertEquals("none", run("{{range .L}}x{{else}}none{{end}}", Map.of("L", List.of())));
        assertEquals("sh", run("{{with .Config}}{{index .Cmd 0}}{{end}}", IMAGE));
        assertEquals("-", run("{{with .Empty}}{{.}}{{else}}-{{end}}", IMAGE));
        assertEquals("linux", run("{{$os := .Os}}{{range .RepoTags}}{{end}}{{$os}}", IMAGE));
        assertEquals("sha256:abc", run("{{range .RepoTags}}{{$.Id}}{{end}}", Map.of("RepoTags", List.of("x"), "Id", "sha256:abc")),
                "$ is the root inside range");
    }

    @Test
    void trimMarkersAndComments() throws TemplateException {
        assertEquals("a,b", run("{{- \"a\" -}} , {{- \"b\" -}}\n", IMAGE));
        assertEquals("ab", run("a  {{- /* comment */ -}}  b", IMAGE));
        assertEquals("x\n", run("{{/* only a comment */}}x\n", IMAGE));
    }

    @Test
    void parenthesesAndPipes() throws TemplateException {
        assertEquals("BUSYBOX:1", run("{{(index .RepoTags 1) | upper}}", IMAGE));
        assertEquals("sh", run("{{(index .Config.Cmd 0)}}", IMAGE));
        assertEquals("PATH=/bin", run("{{index (.Config.Env) 0}}", IMAGE));
    }

    @Test
    void parseErrorsAreWordedAsGos() {
        TemplateException e = assertThrows(TemplateException.class, () -> GoTemplate.parse("{{.Id"));
        assertEquals("template: :1: unclosed action", e.getMessage());
        assertTrue(e.isParseError());
        e = assertThrows(TemplateException.class, () -> GoTemplate.parse("{{nope .Id}}"));
        assertEquals("template: :1: function \"nope\" not defined", e.getMessage());
        e = assertThrows(TemplateException.class, () -> GoTemplate.parse("{{if .Id}}x"));
        assertEquals("template: :1: unexpected EOF", e.getMessage());
        e = assertThrows(TemplateException.class, () -> GoTemplate.parse("line1\n{{end}}"));
        assertEquals("template: :2: unexpected {{end}}", e.getMessage());
    }

    @Test
    void headersReplaceTransformingFunctionsWithIdentity() throws TemplateException {
        Map<String, String> headers = Map.of("Repository", "REPOSITORY", "Tag", "TAG");
        GoTemplate t = GoTemplate.parse("{{.Repository | lower}}\t{{upper .Tag}}");
        assertEquals("REPOSITORY\tTAG", t.execute(headers, GoTemplate.Options.HEADER));
        assertEquals("repository\tTAG", t.execute(headers));
    }

    @Test
    void textWithoutActionsIsKept() throws TemplateException {
        assertEquals("plain {text}", run("plain {text}", IMAGE));
        List<Object> items = new ArrayList<>(Arrays.asList("a", null));
        assertEquals("[a <nil>]", run("{{.}}", items));
    }
}
