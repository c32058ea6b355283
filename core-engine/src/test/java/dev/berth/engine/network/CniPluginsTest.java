package dev.berth.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime side of the CNI protocol, against stand-in plugins (shell scripts) that record what
 * they were given: so chaining, capability filtering, DEL order and error mapping are checked
 * exactly, without root. The real plugins are exercised by {@link BridgeNetworkTest}.
 */
class CniPluginsTest {
    private static final String RESULT = """
            {"cniVersion":"1.0.0","interfaces":[{"name":"br"},{"name":"eth0","mac":"aa:bb:cc:dd:ee:01","sandbox":"/run/netns/x"}],\
            "ips":[{"address":"10.1.0.5/24","gateway":"10.1.0.1","interface":1}],\
            "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1"}],"dns":{"nameservers":["10.1.0.1"],"search":["lan"]}}""";

    @TempDir
    Path dir;
    private CniPlugins plugins;
    private final CniPlugins.Invocation inv = new CniPlugins.Invocation("c0ffee", Path.of("/run/netns/x"), "eth0");

    @BeforeEach
    void plugins() throws IOException {
        // Each records its command, stdin and CNI_* environment, then answers like a plugin would.
        for (String name : List.of("fakea", "fakeb")) {
            script(name, """
                    d=$(dirname "$0")
                    echo "$CNI_COMMAND %1$s" >> "$d/calls.log"
                    cat > "$d/in-$CNI_COMMAND-%1$s.json"
                    env | grep '^CNI_' | sort > "$d/env-$CNI_COMMAND-%1$s"
                    if [ "$CNI_COMMAND" = ADD ]; then echo '%2$s'; fi
                    """.formatted(name, RESULT));
        }
        script("fakefail", """
                d=$(dirname "$0")
                echo "$CNI_COMMAND fakefail" >> "$d/calls.log"
                echo '{"cniVersion":"1.0.0","code":7,"msg":"bad bridge name","details":"too long"}'
                exit 1
                """);
        script("fakecrash", "echo 'segfault in netlink' >&2\nexit 2\n");
        script("fakeslow", "exec sleep 60\n");
        plugins = new CniPlugins(List.of(dir.resolve("nothing-here"), dir), Duration.ofSeconds(5));
    }

    private void script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static CniConfig conf(String... types) {
        return new CniConfig("1.0.0", "testnet", java.util.Arrays.stream(types).map(t -> {
            ObjectNode p = CniConfig.JSON.createObjectNode().put("type", t).put("custom", 1);
            if (t.equals("fakea")) {
                p.putObject("capabilities").put("portMappings", true).put("bandwidth", false);
            }
            return p;
        }).toList());
    }

    private JsonNode input(String command, String type) throws IOException {
        return CniConfig.JSON.readTree(Files.readString(dir.resolve("in-" + command + "-" + type + ".json")));
    }

    @Test
    void addChainsPrevResultAndPassesOnlyDeclaredCapabilities() throws IOException {
        Map<String, Object> caps = Map.of("portMappings", List.of(PortMapping.tcp(8081, 80).toCni()),
                "bandwidth", Map.of("ingressRate", 1));

        CniResult r = plugins.add(conf("fakea", "fakeb"), inv, caps);

        assertEquals(List.of("ADD fakea", "ADD fakeb"), Files.readAllLines(dir.resolve("calls.log")));
        JsonNode a = input("ADD", "fakea");
        assertEquals("testnet", a.get("name").asText());
        assertEquals("1.0.0", a.get("cniVersion").asText());
        assertEquals(1, a.get("custom").asInt(), "plugin-specific fields pass through");
        assertFalse(a.has("prevResult"), "the first plugin has nothing before it");
        assertEquals(8081, a.at("/runtimeConfig/portMappings/0/hostPort").asInt());
        assertEquals("tcp", a.at("/runtimeConfig/portMappings/0/protocol").asText());
        assertFalse(a.get("runtimeConfig").has("bandwidth"), "declared false means not wanted");
        assertFalse(a.at("/runtimeConfig/portMappings/0").has("hostIP"), "no host IP means all addresses");

        JsonNode b = input("ADD", "fakeb");
        assertFalse(b.has("runtimeConfig"), "fakeb declares no capabilities");
        assertEquals(CniConfig.JSON.readTree(RESULT), b.get("prevResult"));

        String env = Files.readString(dir.resolve("env-ADD-fakea"));
        assertTrue(env.contains("CNI_COMMAND=ADD\n"), env);
        assertTrue(env.contains("CNI_CONTAINERID=c0ffee\n"), env);
        assertTrue(env.contains("CNI_NETNS=/run/netns/x\n"), env);
        assertTrue(env.contains("CNI_IFNAME=eth0\n"), env);
        assertTrue(env.contains("CNI_PATH=" + dir.resolve("nothing-here") + ":" + dir + "\n"), env);

        CniResult.IpConfig ip = r.ips().getFirst();
        assertEquals("10.1.0.5", ip.ip());
        assertEquals(24, ip.prefixLength());
        assertEquals("10.1.0.1", ip.gateway());
        assertEquals("aa:bb:cc:dd:ee:01", r.interfaceOf(ip).orElseThrow().mac());
        assertTrue(r.interfaceOf(ip).orElseThrow().inContainer());
        assertEquals(List.of(new CniResult.Route("0.0.0.0/0", "10.1.0.1")), r.routes());
        assertEquals(List.of("10.1.0.1"), r.dns().nameservers());
        assertEquals(List.of("lan"), r.dns().search());
        assertNull(r.dns().domain());
    }

    @Test
    void delRunsInReverseWithTheCachedResultAndGoesOnPastAFailure() throws IOException {
        CniResult cached = CniResult.parse(CniConfig.JSON.readTree(RESULT));

        BerthException e = assertThrows(BerthException.class,
                () -> plugins.del(conf("fakea", "fakefail", "fakeb"), inv, Map.of(), cached));

        assertEquals(List.of("DEL fakeb", "DEL fakefail", "DEL fakea"), Files.readAllLines(dir.resolve("calls.log")),
                "a failing plugin must not leave the ones before it in the chain un-deleted");
        assertTrue(e.getMessage().contains("bad bridge name"), e.getMessage());
        assertEquals(CniConfig.JSON.readTree(RESULT), input("DEL", "fakea").get("prevResult"));
        assertEquals(CniConfig.JSON.readTree(RESULT), input("DEL", "fakeb").get("prevResult"));
        assertTrue(Files.readString(dir.resolve("env-DEL-fakeb")).contains("CNI_COMMAND=DEL\n"));
    }

    @Test
    void checkSendsTheAddResultToEveryPlugin() throws IOException {
        CniResult cached = CniResult.parse(CniConfig.JSON.readTree(RESULT));
        plugins.check(conf("fakea", "fakeb"), inv, Map.of(), cached);
        assertEquals(List.of("CHECK fakea", "CHECK fakeb"), Files.readAllLines(dir.resolve("calls.log")));
        assertEquals(CniConfig.JSON.readTree(RESULT), input("CHECK", "fakea").get("prevResult"));
    }

    @Test
    void anErrorObjectBecomesABerthExceptionWithThePluginsMessage() {
        BerthException e = assertThrows(BerthException.class, () -> plugins.add(conf("fakefail", "fakea"), inv, Map.of()));
        assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category(), "code 7 is an invalid network config");
        assertEquals("CNI plugin fakefail ADD failed: bad bridge name: too long", e.getMessage());
        assertFalse(Files.exists(dir.resolve("in-ADD-fakea.json")), "the chain stops at the first ADD failure");
    }

    @Test
    void aCrashWithoutAnErrorObjectReportsStderr() {
        BerthException e = assertThrows(BerthException.class, () -> plugins.add(conf("fakecrash"), inv, Map.of()));
        assertEquals(ErrorCategory.SYSTEM, e.category());
        assertTrue(e.getMessage().contains("exit 2") && e.getMessage().contains("segfault in netlink"), e.getMessage());
    }

    @Test
    void aHungPluginIsKilledAtTheTimeout() {
        CniPlugins quick = new CniPlugins(List.of(dir), Duration.ofMillis(500));
        long start = System.nanoTime();
        BerthException e = assertThrows(BerthException.class, () -> quick.add(conf("fakeslow"), inv, Map.of()));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ErrorCategory.UNAVAILABLE, e.category());
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertTrue(ms < 10_000, "took " + ms + " ms");
    }

    @Test
    void aMissingPluginSaysWhereItLooked() {
        BerthException e = assertThrows(BerthException.class, () -> plugins.add(conf("nosuch"), inv, Map.of()));
        assertTrue(e.getMessage().contains("nosuch not found in " + dir.resolve("nothing-here")), e.getMessage());
    }

    @Test
    void badInputIsRejectedBeforeAnythingRuns() {
        assertThrows(BerthException.class, () -> new CniPlugins.Invocation("../etc", Path.of("/x"), "eth0"));
        assertThrows(BerthException.class, () -> new CniPlugins.Invocation("abc", Path.of("/x"), "a-very-long-ifname0"));
        assertThrows(BerthException.class, () -> plugins.add(conf("../fakea"), inv, Map.of()));
        assertThrows(BerthException.class, () -> CniConfig.parse("{\"name\":\"x\",\"cniVersion\":\"1.0.0\",\"plugins\":[]}"));
        assertThrows(BerthException.class, () -> CniConfig.parse("{\"name\":\"x\",\"cniVersion\":\"1.0.0\",\"plugins\":[{}]}"));
        assertThrows(BerthException.class, () -> CniConfig.parse("not json"));
        assertThrows(BerthException.class, () -> new PortMapping(null, 0, 80, "tcp"));
        assertThrows(BerthException.class, () -> new PortMapping(null, 80, 80, "icmp"));
        assertThrows(BerthException.class, () -> NetworkNamespace.named("../../etc"));
        assertThrows(BerthException.class,
                () -> new BridgeNetwork.Options("berth", "a-bridge-name-too-long", "172.29.0.0/16", dir));
    }

    @Test
    void conflistRoundTrips() {
        CniConfig c = conf("fakea", "fakeb");
        CniConfig back = CniConfig.parse(c.toJson());
        assertEquals(c.toJson(), back.toJson());
        assertEquals("fakeb", back.pluginType(1));
    }

    @Test
    void theDefaultBridgeConflistIsExactlyThis() throws IOException {
        BridgeNetwork net = new BridgeNetwork(plugins, BridgeNetwork.Options.defaults(Path.of("/var/lib/berth")));
        JsonNode expected = CniConfig.JSON.readTree("""
                {"cniVersion":"1.0.0","name":"berth","plugins":[
                 {"type":"bridge","bridge":"berth0","isGateway":true,"ipMasq":true,"capabilities":{"ips":true},"hairpinMode":true,
                  "ipam":{"type":"host-local","ranges":[[{"subnet":"172.29.0.0/16"}]],"routes":[{"dst":"0.0.0.0/0"}],
                          "dataDir":"/var/lib/berth/network/ipam"}},
                 {"type":"portmap","capabilities":{"portMappings":true},"snat":true},
                 {"type":"firewall"}]}""");
        assertEquals(expected, CniConfig.JSON.readTree(net.config().toJson()));
        assertEquals(Path.of("/var/lib/berth/network/ipam"), net.ipamDir());
    }
}
