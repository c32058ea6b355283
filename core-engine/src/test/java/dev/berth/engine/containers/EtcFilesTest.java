package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated /etc files' contents, Docker's rules: loopback resolvers filtered, embedded DNS on user networks, --add-host. */
class EtcFilesTest {
    private static final String HOST = "nameserver 127.0.0.53\nnameserver 2001:db8::1\nsearch corp.test\noptions edns0 trust-ad\n";

    private static EtcFiles.Inputs inputs(String mode, String embedded, ObjectNode hc) {
        return new EtcFiles.Inputs("h1", mode, List.of("10.65.0.2"), embedded, hc, "10.65.0.1");
    }

    @Test
    void resolvConfPerNetworkKind() {
        ObjectNode hc = Json.MAPPER.createObjectNode();
        assertEquals("search corp.test\nnameserver 8.8.8.8\nnameserver 8.8.4.4\noptions edns0 trust-ad\n",
                EtcFiles.resolvConf(inputs("bridge", null, hc), HOST), "only loopback/IPv6 resolvers: Docker's fallback");
        assertEquals("search corp.test\nnameserver 10.0.0.2\n",
                EtcFiles.resolvConf(inputs("bridge", null, hc), "nameserver 127.0.0.1\nnameserver 10.0.0.2\nsearch corp.test\n"));
        assertEquals("search corp.test\nnameserver 10.64.2.1\noptions edns0 trust-ad ndots:0\n",
                EtcFiles.resolvConf(inputs("mynet", "10.64.2.1", hc), HOST));
        assertTrue(EtcFiles.resolvConf(inputs("host", null, hc), HOST).contains("nameserver 127.0.0.53"));
        hc.putArray("Dns").add("10.9.9.9");
        hc.putArray("DnsSearch").add("a.test");
        hc.putArray("DnsOptions").add("ndots:2");
        assertEquals("search a.test\nnameserver 10.9.9.9\noptions ndots:2\n", EtcFiles.resolvConf(inputs("bridge", null, hc), HOST));
    }

    @Test
    void hostsHasLocalhostExtrasAndOwnAddress() throws IOException {
        ObjectNode hc = Json.MAPPER.createObjectNode();
        hc.putArray("ExtraHosts").add("db:10.1.2.3").add("gw:host-gateway").add("v6:::1");
        String hosts = EtcFiles.hosts(inputs("bridge", null, hc));
        assertTrue(hosts.startsWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"), hosts);
        assertTrue(hosts.contains("10.1.2.3\tdb\n") && hosts.contains("10.65.0.1\tgw\n") && hosts.contains("::1\tv6\n"), hosts);
        assertTrue(hosts.endsWith("10.65.0.2\th1\n"), hosts);
        assertArrayEquals(new String[] {"x", "1.2.3.4"}, EtcFiles.extraHost("x=1.2.3.4"));
        assertThrows(BerthException.class, () -> EtcFiles.extraHost("nohost"));
        assertThrows(BerthException.class, () -> EtcFiles.extraHost("x:not-an-ip"));
    }
}
