package dev.berth.registry;

import dev.berth.errors.BerthException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dockerd's reading of --insecure-registry entries (moby registry/config.go loadInsecureRegistries). */
class InsecureRegistriesTest {
    @Test
    void namesMatchExactlyAndCidrsByAddress() {
        InsecureRegistries r = InsecureRegistries.parse(List.of("reg.example:5000", "10.98.0.0/24", "fd00::/8"));
        assertTrue(r.isInsecure("reg.example:5000"));
        assertFalse(r.isInsecure("reg.example:5001"), "a name is matched with its port, as dockerd's IndexConfigs");
        assertFalse(r.isInsecure("reg.example"));
        assertTrue(r.isInsecure("10.98.0.1:5000"));
        assertTrue(r.isInsecure("10.98.0.255"));
        assertFalse(r.isInsecure("10.98.1.1:5000"));
        assertTrue(r.isInsecure("[fd12::1]:5000"));
        assertTrue(r.isInsecure("127.0.0.1:5000"));
        assertTrue(r.isInsecure("localhost:5000"));
        assertTrue(r.isInsecure("[::1]:5000"));
        assertFalse(r.isInsecure("ghcr.io"));
        assertEquals(List.of("reg.example:5000"), r.names());
        assertEquals(List.of("10.98.0.0/24", "fd00::/8", "::1/128", "127.0.0.0/8"), r.cidrs());
    }

    @Test
    void cidrsAreNormalisedAndDeduplicatedAsGoPrintsThem() {
        InsecureRegistries r = InsecureRegistries.parse(List.of("10.98.0.7/24", "10.98.0.0/24", "127.0.0.0/8"));
        assertEquals(List.of("10.98.0.0/24", "127.0.0.0/8", "::1/128"), r.cidrs());
    }

    @Test
    void schemesAreDroppedWithAWarningOrRefused() {
        InsecureRegistries r = InsecureRegistries.parse(List.of("http://reg.example:5000", "HTTPS://10.1.0.0/16"));
        assertEquals(List.of("reg.example:5000"), r.names());
        assertEquals(List.of("insecure registry http://reg.example:5000 should not contain 'http://' and 'http://' has been "
                + "removed from the insecure registry config", "insecure registry HTTPS://10.1.0.0/16 should not contain "
                + "'HTTPS://' and 'HTTPS://' has been removed from the insecure registry config"), r.warnings());
        assertEquals("insecure registry ftp://reg should not contain '://'",
                assertThrows(BerthException.class, () -> InsecureRegistries.parse(List.of("ftp://reg"))).getMessage());
        assertEquals("insecure registry reg_x:5000 is not valid: invalid host \"reg_x\"",
                assertThrows(BerthException.class, () -> InsecureRegistries.parse(List.of("reg_x:5000"))).getMessage());
        assertEquals("insecure registry reg:99999 is not valid: invalid port \"99999\"",
                assertThrows(BerthException.class, () -> InsecureRegistries.parse(List.of("reg:99999"))).getMessage());
        assertEquals("invalid index name (-reg). Cannot begin or end with a hyphen",
                assertThrows(BerthException.class, () -> InsecureRegistries.parse(List.of("-reg"))).getMessage());
    }
}
