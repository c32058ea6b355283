package dev.berth.engine;

import dev.berth.engine.testing.CniChains;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real docker CLI on Berth's default bridge: {@code run -p} publishes a port that answers from
 * the host, {@code port} and {@code inspect} report the mapping and address, a container reaches its
 * gateway, and {@code rm -f} takes the port and the namespace away. The daemon gets a bridge device
 * and subnet of its own; the iptables chains the plugins leave are removed afterwards.
 */
class DockerCliNetworkTest {
    private static final Path CNI = Path.of("/usr/lib/cni");

    static BusyboxOnBerth engine;
    static String ref;
    static String bridge;
    static String subnetPrefix;
    static final Map<String, Set<String>> chainsBefore = new HashMap<>();
    @TempDir
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        Processes.requireBinary("ip");
        Processes.requireBinary("iptables");
        if (!Files.isExecutable(CNI.resolve("bridge"))) {
            String msg = "containernetworking-plugins is not installed";
            if ("true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        bridge = "bn" + HexFormat.of().formatHex(b);
        // A /24 with a random third octet, apart from BridgeNetworkTest's 100-249 range.
        subnetPrefix = "172.29." + (2 + (b[0] & 0xff) % 90) + ".";
        for (String table : List.of("nat", "filter")) {
            chainsBefore.put(table, CniChains.chains(table));
        }
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge(bridge, subnetPrefix + "0/24"), config);
        ref = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            if (bridge != null && Files.exists(Path.of("/sys/class/net", bridge))) {
                Processes.run(Map.of(), null, 10, "ip", "link", "del", bridge);
            }
            for (String table : List.of("nat", "filter")) {
                if (chainsBefore.containsKey(table)) {
                    CniChains.removeCreated(table, chainsBefore.get(table));
                }
            }
        }
    }

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    @Test
    void publishedPortInspectGatewayAndCleanup() throws Exception {
        int port = freePort();
        String id = docker("run", "-d", "--name", "web", "-p", port + ":8080", ref,
                "busybox", "httpd", "-f", "-p", "8080", "-h", "/etc").assertOk().stdout().strip();
        String netns = "berth-" + id.substring(0, 12);
        assertTrue(Files.exists(Path.of("/run/netns", netns)), "the container's namespace exists");

        String body = httpGet(port, "/hello");
        assertTrue(body.startsWith("HTTP/1.") && body.lines().findFirst().orElse("").contains(" 200"), body);

        String mapping = docker("port", "web").assertOk().stdout();
        assertTrue(mapping.lines().anyMatch(l -> l.equals("8080/tcp -> 0.0.0.0:" + port)), mapping);
        assertEquals("0.0.0.0:" + port, docker("port", "web", "8080/tcp").assertOk().stdout().lines().findFirst().orElse(""));

        String ip = docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "web").assertOk().stdout().strip();
        String gateway = docker("inspect", "-f", "{{.NetworkSettings.Gateway}}", "web").assertOk().stdout().strip();
        assertTrue(ip.startsWith(subnetPrefix) && !ip.equals(subnetPrefix + "1"), ip);
        assertEquals(subnetPrefix + "1", gateway);
        assertEquals(ip + " 24 " + gateway, docker("inspect", "-f",
                "{{.NetworkSettings.Networks.bridge.IPAddress}} {{.NetworkSettings.IPPrefixLen}} {{.NetworkSettings.Networks.bridge.Gateway}}",
                "web").assertOk().stdout().strip());
        String mac = docker("inspect", "-f", "{{.NetworkSettings.MacAddress}}", "web").assertOk().stdout().strip();
        assertTrue(mac.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"), mac);
        String ps = docker("ps", "--format", "{{.Names}} {{.Ports}}").assertOk().stdout();
        assertTrue(ps.contains("web 0.0.0.0:" + port + "->8080/tcp"), ps);

        String pinger = docker("run", "-d", ref, "busybox", "ping", "-c1", "-W2", gateway).assertOk().stdout().strip();
        assertEquals("0", docker("wait", pinger).assertOk().stdout().strip(), docker("logs", pinger).stdout());
        assertTrue(!Files.exists(Path.of("/run/netns", "berth-" + pinger.substring(0, 12))),
                "an exited container's namespace is deleted");
        docker("rm", pinger).assertOk();

        docker("rm", "-f", "web").assertOk();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            fail("port " + port + " still answers after rm -f");
        } catch (IOException expected) {
            // refused: nothing listens and no DNAT rule is left
        }
        try (Stream<Path> left = Files.exists(Path.of("/run/netns")) ? Files.list(Path.of("/run/netns")) : Stream.empty()) {
            List<String> mine = left.map(p -> p.getFileName().toString())
                    .filter(n -> n.equals(netns) || n.startsWith("berth-" + pinger.substring(0, 12))).toList();
            assertEquals(List.of(), mine, "no namespace of these containers remains");
        }
        assertTrue(!CniChains.iptables("nat").contains("--dport " + port + " "), "no DNAT rule for the port remains");
    }

    @Test
    void anEmptyHostPortAndPublishAllGetFreePorts() throws Exception {
        for (String[] flags : List.of(new String[]{"-p", "8080"}, new String[]{"-P", "--expose", "8080"})) {
            String id = docker(Stream.concat(Stream.of("run", "-d"), Stream.concat(Stream.of(flags),
                    Stream.of(ref, "busybox", "httpd", "-f", "-p", "8080", "-h", "/etc"))).toArray(String[]::new))
                    .assertOk().stdout().strip();
            String mapped = docker("port", id, "8080/tcp").assertOk().stdout().lines().findFirst().orElse("");
            assertTrue(mapped.matches("0\\.0\\.0\\.0:\\d+"), String.join(" ", flags) + ": " + mapped);
            int port = Integer.parseInt(mapped.substring(mapped.indexOf(':') + 1));
            String body = httpGet(port, "/hello");
            assertTrue(body.lines().findFirst().orElse("").contains(" 200"), body);
            docker("rm", "-f", id).assertOk();
        }
    }

    @Test
    void noneHasLoopbackOnlyAndHostSharesTheHostNetwork() throws IOException {
        String none = docker("run", "-d", "--network", "none", ref, "sh", "-c", "cat /proc/net/dev").assertOk().stdout().strip();
        assertEquals("0", docker("wait", none).assertOk().stdout().strip());
        String dev = docker("logs", none).assertOk().stdout();
        assertTrue(dev.contains("lo:") && !dev.contains("eth0:"), dev);
        assertEquals("", docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", none).assertOk().stdout().strip());
        docker("rm", none).assertOk();

        String host = docker("run", "-d", "--network", "host", ref, "sh", "-c", "cat /proc/net/dev").assertOk().stdout().strip();
        assertEquals("0", docker("wait", host).assertOk().stdout().strip());
        String hostIf = Files.readAllLines(Path.of("/proc/net/dev")).stream().skip(2)
                .map(l -> l.strip().split(":")[0]).filter(n -> !n.equals("lo")).findFirst().orElseThrow();
        String hostDev = docker("logs", host).assertOk().stdout();
        assertTrue(hostDev.contains(hostIf + ":"), "the host's " + hostIf + " is visible: " + hostDev);
        docker("rm", host).assertOk();
    }

    private static String httpGet(int port, String path) throws Exception {
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                if (!response.isEmpty()) {
                    return response;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100); // httpd may not listen yet
        }
        throw new AssertionError("no HTTP answer on 127.0.0.1:" + port, last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
