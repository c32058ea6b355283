package dev.berth.registry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthChallengeTest {
    @Test
    void parsesDockerHubsBearerChallenge() {
        List<AuthChallenge> cs = AuthChallenge.parse(List.of("Bearer realm=\"https://auth.docker.io/token\","
                + "service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\""));
        assertEquals(1, cs.size());
        AuthChallenge c = cs.getFirst();
        assertTrue(c.isBearer());
        assertEquals("https://auth.docker.io/token", c.param("realm"));
        assertEquals("registry.docker.io", c.param("service"));
        assertEquals("repository:library/busybox:pull", c.param("scope"));
    }

    @Test
    void parsesSeveralChallengesAndPrefersBearer() {
        List<AuthChallenge> cs = AuthChallenge.parse(List.of(
                "Basic realm=\"Registry Realm\", Bearer realm=\"https://x/token\",service=x, error=\"insufficient_scope\""));
        assertEquals(2, cs.size());
        assertTrue(cs.get(0).isBasic());
        assertEquals("Registry Realm", cs.get(0).param("realm"));
        assertEquals("insufficient_scope", cs.get(1).param("error"));
        assertTrue(AuthChallenge.preferred(cs).isBearer());
    }

    @Test
    void toleratesEscapesAndGarbage() {
        AuthChallenge c = AuthChallenge.parse(List.of("Basic realm=\"a \\\"quoted\\\" realm\"")).getFirst();
        assertEquals("a \"quoted\" realm", c.param("realm"));
        assertTrue(AuthChallenge.parse(List.of("", "  ,  ")).isEmpty());
        assertNull(AuthChallenge.preferred(AuthChallenge.parse(List.of("Negotiate"))));
    }

    @Test
    void registryHostsFollowDocker() {
        assertEquals("registry-1.docker.io", RegistryHosts.apiHost("docker.io"));
        assertEquals("localhost:5000", RegistryHosts.apiHost("localhost:5000"));
        assertTrue(RegistryHosts.isLoopback("localhost:5000"));
        assertTrue(RegistryHosts.isLoopback("127.1.2.3:80"));
        assertTrue(RegistryHosts.isLoopback("[::1]:5000"));
        assertFalse(RegistryHosts.isLoopback("128.0.0.1"));
        assertFalse(RegistryHosts.isLoopback("127.0.0.1.example.com"));
        assertTrue(RegistryHosts.isInsecure("myreg:5000", java.util.Set.of("myreg:5000")));
        assertFalse(RegistryHosts.isInsecure("ghcr.io", java.util.Set.of()));
    }

    @Test
    void retryPolicyDecisions() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        for (int s : new int[] {408, 429, 500, 502, 503, 504}) {
            assertTrue(p.isRetriedStatus(s), "status " + s);
        }
        for (int s : new int[] {400, 401, 403, 404, 501}) {
            assertFalse(p.isRetriedStatus(s), "status " + s);
        }
        assertEquals(Duration.ofSeconds(3), p.delayAfter(1, RetryPolicy.parseRetryAfter("3")));
        assertEquals(p.maxRetryAfter(), p.delayAfter(1, RetryPolicy.parseRetryAfter("86400")), "bounded");
        assertTrue(p.delayAfter(10, null).compareTo(p.backoffMax()) <= 0);
        assertNull(RetryPolicy.parseRetryAfter("soon"));
        assertTrue(p.isRetriedFailure(new java.net.SocketException("Connection reset")));
        assertFalse(p.isRetriedFailure(new javax.net.ssl.SSLHandshakeException("bad cert")));
    }

    @Test
    void errorsAreWordedAsDocker() {
        var errors = RegistryErrors.parse("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"
                .getBytes());
        var f = new RegistryErrors.Failure(404, "Not Found", errors, "u", null);
        assertEquals("manifest unknown: manifest unknown", f.describe());
        assertEquals(dev.berth.errors.ErrorCategory.NOT_FOUND, RegistryErrors.categoryOf(f));
        var html = new RegistryErrors.Failure(502, "Bad Gateway", RegistryErrors.parse("<html>".getBytes()), "u", null);
        assertEquals("received unexpected HTTP status: 502 Bad Gateway", html.describe());
        assertEquals(dev.berth.errors.ErrorCategory.UNAVAILABLE, RegistryErrors.categoryOf(html));
    }
}
