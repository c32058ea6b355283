package dev.berth.cli.format;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GoJsonTest {
    @Test
    void indentMatchesGoJsonIndentWithFourSpaces() {
        String raw = "[{\"Id\":\"sha256:a\",\"RepoTags\":[\"busybox:latest\"],\"RepoDigests\":[],\"Config\":{\"Env\":[\"A=b\"],\"Labels\":{}},\"Size\":4261234,\"Os\":\"linux\"}]";
        String expected = """
                [
                    {
                        "Id": "sha256:a",
                        "RepoTags": [
                            "busybox:latest"
                        ],
                        "RepoDigests": [],
                        "Config": {
                            "Env": [
                                "A=b"
                            ],
                            "Labels": {}
                        },
                        "Size": 4261234,
                        "Os": "linux"
                    }
                ]""";
        assertEquals(expected, GoJson.indent(raw, "    "));
    }

    @Test
    void indentLeavesStringsAloneAndDropsOldWhitespace() {
        assertEquals("{\n  \"a\": \"x , : { [\\\" \",\n  \"b\": null\n}",
                GoJson.indent("  {  \"a\" :  \"x , : { [\\\" \" ,\n \"b\":null }", "  "));
    }

    @Test
    void compactRemovesWhitespaceOutsideStrings() {
        assertEquals("[{\"a\":\"x y\",\"b\":[1,2]}]", GoJson.compact("[ {\n \"a\": \"x y\", \"b\" : [ 1, 2 ] } ]"));
    }

    @Test
    void marshalDoesNotEscapeHtmlButEscapesControlCharacters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cmd", "a && b < c > d");
        m.put("nl", "x\ny\t\u0001");
        m.put("n", 5L);
        m.put("list", List.of(true, "s"));
        m.put("nothing", null);
        assertEquals("{\"cmd\":\"a && b < c > d\",\"nl\":\"x\\ny\\t\\u0001\",\"n\":5,\"list\":[true,\"s\"],\"nothing\":null}",
                GoJson.marshal(m));
    }

    @Test
    void rowsMarshalWithSortedKeysLikeGoMaps() {
        TemplateFields row = new TemplateFields() {
            @Override
            public String typeName() {
                return "*t";
            }

            @Override
            public Map<String, Object> asMap() {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Tag", "latest");
                m.put("ID", "abc");
                m.put("Repository", "busybox");
                return m;
            }
        };
        assertEquals("{\"ID\":\"abc\",\"Repository\":\"busybox\",\"Tag\":\"latest\"}", GoJson.marshal(row));
    }

    @Test
    void aRowEscapesHtmlAsItsOwnJsonMarshalDoesWhileAPlainValueDoesNot() {
        // As docker 28 prints them: `images --format '{{json .}}'` gives "Digest":"\u003cnone\u003e",
        // `--format '{{json .Digest}}'` gives "<none>".
        TemplateFields row = new TemplateFields() {
            @Override
            public String typeName() {
                return "*t";
            }

            @Override
            public Map<String, Object> asMap() {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Digest", "<none>");
                m.put("Labels", List.of("a&b"));
                return m;
            }
        };
        assertEquals("{\"Digest\":\"\\u003cnone\\u003e\",\"Labels\":[\"a\\u0026b\"]}", GoJson.marshal(row));
        assertEquals("\"<none>\"", GoJson.marshal("<none>"));
    }
}
