package dev.berth.engine.build;

import dev.berth.registry.Credential;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class RegistryConfigHeaderTest {
    static String header(String json) {
        return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachRegistryGetsItsOwnEntry() {
        var f = RegistryConfigHeader.forRegistries(header("""
                {"https://index.docker.io/v1/":{"username":"hub","password":"p1"},
                 "reg.example:5000":{"username":"mine","password":"p2"},
                 "https://other.example/v2/":{"username":"other","password":"p3"}}"""));
        Credential hub = f.apply("docker.io");
        Credential mine = f.apply("reg.example:5000");
        Credential other = f.apply("other.example");
        assertNotEquals(Credential.ANONYMOUS, hub);
        assertNotEquals(hub, mine);
        assertNotEquals(mine, other);
        assertEquals(Credential.ANONYMOUS, f.apply("unknown.example"));
        assertEquals(hub, RegistryConfigHeader.decode(header("{\"https://index.docker.io/v1/\":{\"username\":\"hub\",\"password\":\"p1\"}}")));
    }

    @Test
    void malformedHeadersAreAnonymous() {
        assertEquals(Credential.ANONYMOUS, RegistryConfigHeader.forRegistries("!!!").apply("docker.io"));
        assertEquals(Credential.ANONYMOUS, RegistryConfigHeader.forRegistries(header("[1]")).apply("docker.io"));
        assertEquals(Credential.ANONYMOUS, RegistryConfigHeader.decode(null));
    }
}
