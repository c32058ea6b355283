package dev.berth.desktop.detail.inspect;

import dev.berth.images.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTreeNodeTest {
    @Test
    void buildsTheTree() throws Exception {
        JsonTreeNode root = JsonTreeNode.of("container", Json.MAPPER.readTree("""
                {"Id":"abc","State":{"Status":"running","Pid":42,"Dead":false},"Args":["-c","x"],"Path":null}
                """));
        assertEquals("{4}", root.value());
        assertEquals("running", root.find("State.Status").value());
        assertEquals("42", root.find("State.Pid").value());
        assertEquals("[2]", root.find("Args").value());
        assertEquals("x", root.find("Args.[1]").value());
        assertEquals("null", root.find("Path").value());
        assertTrue(root.find("Id").isLeaf());
        assertNull(root.find("State.Nope"));
    }
}
