package dev.berth.engine.client;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineEndpointTest {
    private static final Map<String, String> BOTH = Map.of(
            "BERTH_HOST", "unix:///from/berth.sock",
            "DOCKER_HOST", "unix:///from/docker.sock",
            "XDG_RUNTIME_DIR", "/run/user/1000");

    @Test
    void explicitHostWinsOverEverything() {
        EngineEndpoint e = EngineEndpoint.resolve("unix:///flag.sock", BOTH, 1000);
        assertEquals(Path.of("/flag.sock"), e.socketPath());
        assertEquals("--host", e.source());
    }

    @Test
    void berthHostComesBeforeDockerHost() {
        assertEquals("unix:///from/berth.sock", EngineEndpoint.resolve(null, BOTH, 1000).uri());
        assertEquals("BERTH_HOST", EngineEndpoint.resolve("  ", BOTH, 1000).source());
    }

    @Test
    void dockerHostIsUsedWhenBerthHostIsUnset() {
        EngineEndpoint e = EngineEndpoint.resolve(null, Map.of("DOCKER_HOST", "tcp://10.0.0.5:2376"), 1000);
        assertEquals(EngineEndpoint.Kind.TCP, e.kind());
        assertEquals("10.0.0.5", e.host());
        assertEquals(2376, e.port());
        assertEquals("DOCKER_HOST", e.source());
    }

    @Test
    void defaultSocketDependsOnTheUser() {
        assertEquals(Path.of("/run/berth/berth.sock"), EngineEndpoint.resolve(null, Map.of(), 0).socketPath());
        assertEquals(Path.of("/run/user/1000/berth/berth.sock"),
                EngineEndpoint.resolve(null, Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), 1000).socketPath());
        // Without XDG_RUNTIME_DIR, the conventional runtime dir for the uid.
        assertEquals(Path.of("/run/user/1234/berth/berth.sock"), EngineEndpoint.resolve(null, Map.of(), 1234).socketPath());
    }

    @Test
    void tcpForms() {
        assertEquals("tcp://example.com:2375", EngineEndpoint.parse("tcp://example.com").uri());
        assertEquals("tcp://localhost:2375", EngineEndpoint.parse("tcp://:2375").uri());
        assertEquals("tcp://[::1]:2375", EngineEndpoint.parse("tcp://[::1]:2375").uri());
        assertEquals("::1", EngineEndpoint.parse("tcp://[::1]:2375").host());
        assertEquals("tcp://h:80", EngineEndpoint.parse("http://h:80/some/prefix").uri());
    }

    @Test
    void bareAbsolutePathIsASocket() {
        assertEquals("unix:///tmp/x.sock", EngineEndpoint.parse("/tmp/x.sock").uri());
    }

    @Test
    void unsupportedSchemesAreRejectedWithTheirSource() {
        BerthException e = assertThrows(BerthException.class, () -> EngineEndpoint.resolve(null, Map.of("DOCKER_HOST", "ssh://me@box"), 1000));
        assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
        assertTrue(e.getMessage().contains("DOCKER_HOST"), e.getMessage());
        assertThrows(BerthException.class, () -> EngineEndpoint.parse("example.com:2375"));
    }
}
