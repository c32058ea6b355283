package dev.berth.images.manifest;

import dev.berth.images.Digest;
import dev.berth.images.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.berth.images.BerthAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageConfigTest {
    static final String DIFF1 = "sha256:" + "d".repeat(64);
    static final String DIFF2 = "sha256:" + "e".repeat(64);

    /** Shaped like busybox's config as docker inspect shows it, with fields we do not model. */
    static final String DOCKER_CONFIG = """
            {
              "architecture": "arm",
              "variant": "v7",
              "os": "linux",
              "created": "2024-01-01T00:00:00Z",
              "author": "someone",
              "config": {
                "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                "Cmd": ["sh"],
                "WorkingDir": "/",
                "User": "1000:1000",
                "ExposedPorts": {"80/tcp": {}},
                "Labels": {"a": "b"},
                "StopSignal": "SIGTERM",
                "ArgsEscaped": true,
                "Unknown": 5
              },
              "container_config": {"Cmd": ["old"]},
              "rootfs": {"type": "layers", "diff_ids": ["%s", "%s"]},
              "history": [
                {"created": "2024-01-01T00:00:00Z", "created_by": "ADD file:abc in /"},
                {"created": "2024-01-01T00:00:00Z", "created_by": "CMD [\\"sh\\"]", "empty_layer": true}
              ]
            }""".formatted(DIFF1, DIFF2);

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesDockerConfig() {
        ImageConfig c = ImageConfig.parse(b(DOCKER_CONFIG));
        assertEquals(List.of(Digest.parse(DIFF1), Digest.parse(DIFF2)), c.diffIds());
        assertEquals(Platform.of("linux", "arm", "v7"), c.platform());
        assertEquals(List.of("sh"), c.config().cmd());
        assertEquals("1000:1000", c.config().user());
        assertEquals("b", c.config().labels().get("a"));
        assertTrue(c.config().exposedPorts().containsKey("80/tcp"));
        assertEquals(Boolean.TRUE, c.config().argsEscaped());
        assertEquals(2, c.history().size());
        assertFalse(c.history().get(0).isEmptyLayer());
        assertTrue(c.history().get(1).isEmptyLayer());
        assertEquals("ADD file:abc in /", c.history().get(0).createdBy());
    }

    @Test
    void platformDefaultsToLinuxAmd64WhenUnset() {
        ImageConfig c = ImageConfig.parse(b("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"));
        assertEquals(Platform.of("linux", "amd64", null), c.platform());
        assertEquals(List.of(), c.diffIds());
        assertNull(c.config());
    }

    @Test
    void missingRootfsIsInvalid() {
        assertInvalid(() -> ImageConfig.parse(b("{\"architecture\":\"amd64\",\"os\":\"linux\"}")), "rootfs is missing");
        assertInvalid(() -> ImageConfig.parse(b("null")), "rootfs is missing");
    }

    @Test
    void malformedConfigsAreInvalidWithTheReason() {
        assertInvalid(() -> ImageConfig.parse(b("{\"rootfs\":")), "invalid image config");
        assertInvalid(() -> ImageConfig.parse(b(DOCKER_CONFIG.replace(DIFF2, "sha256:nope"))), "invalid image config",
                "sha256 needs 64");
        assertInvalid(() -> ImageConfig.parse(b("[1,2]")), "invalid image config");
    }

    @Test
    void serialisesWithDockerFieldNames() throws Exception {
        ImageConfig c = ImageConfig.parse(b(DOCKER_CONFIG));
        String json = Json.MAPPER.writeValueAsString(c);
        assertTrue(json.contains("\"diff_ids\":[\"" + DIFF1 + "\""), json);
        assertTrue(json.contains("\"created_by\":"), json);
        assertTrue(json.contains("\"empty_layer\":true"), json);
        assertTrue(json.contains("\"Cmd\":[\"sh\"]"), json);
        assertFalse(json.contains("\"os.version\""), "unset fields are omitted: " + json);
        assertEquals(c, ImageConfig.parse(json.getBytes(StandardCharsets.UTF_8)));
    }
}
