package dev.berth.engine.network;

import dev.berth.engine.testing.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The default bridge network with the real CNI plugins, a real namespace and a real server in it
 * (busybox httpd, so no runc is needed): a published port answers on the host's loopback and on its
 * own address, the container reaches its gateway, and detach undoes all of it. Needs root; in CI a
 * missing prerequisite fails, elsewhere it skips.
 */
class BridgeNetworkTest {
    private static final Path CNI = Path.of("/usr/lib/cni");
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    @TempDir
    Path dataRoot;
    @TempDir
    Path www;

    private String suffix;
    private NetworkNamespace ns;
    private BridgeNetwork net;
    private String containerId;
    private List<PortMapping> ports = List.of();
    private Process httpd;
    private final Map<String, Set<String>> chainsBefore = new java.util.HashMap<>();

    @BeforeEach
    void prerequisites() {
        Processes.requireBinary("ip");
        Processes.requireBinary("iptables");
        require(Files.isExecutable(CNI.resolve("bridge")), "containernetworking-plugins is not installed (" + CNI + "/bridge)");
        require(Files.isExecutable(BUSYBOX), "busybox-static is not installed (" + BUSYBOX + ")");
        require("root".equals(System.getProperty("user.name")), "network namespaces and iptables need root");

        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        suffix = HexFormat.of().formatHex(b);
        containerId = "berthtest" + suffix;
        for (String table : List.of("nat", "filter")) {
            chainsBefore.put(table, chains(table));
        }
        // A /24 with a random third octet: runs on the same host (other worktrees) don't share a subnet.
        String subnet = "172.29." + (100 + (b[0] & 0xff) % 150) + ".0/24";
        net = new BridgeNetwork(CniPlugins.system(),
                new BridgeNetwork.Options("berth-test-" + suffix, "bt" + suffix, subnet, dataRoot));
    }

    private static void require(boolean ok, String msg) {
        if (ok) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(msg);
        }
        org.junit.jupiter.api.Assumptions.abort(msg);
    }

    @AfterEach
    void cleanUp() throws Exception {
        List<Throwable> errors = new ArrayList<>();
        if (httpd != null) {
            httpd.destroyForcibly();
            httpd.waitFor(5, TimeUnit.SECONDS);
        }
        if (net != null) {
            try {
                net.detach(containerId, ns == null ? null : ns.path(), ports);
            } catch (Exception e) {
                errors.add(e);
            }
        }
        if (ns != null) {
            try {
                ns.delete();
            } catch (Exception e) {
                errors.add(e);
            }
        }
        if (net != null && Files.exists(Path.of("/sys/class/net", net.options().bridge()))) {
            Processes.run(Map.of(), null, 10, "ip", "link", "del", net.options().bridge());
        }
        for (String table : List.of("nat", "filter")) {
            if (chainsBefore.containsKey(table)) {
                removeChainsWeCreated(table, chainsBefore.get(table));
            }
        }
        if (!errors.isEmpty()) {
            AssertionError e = new AssertionError("cleanup failed");
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }

    @Test
    void publishedPortAnswersFromTheHostUntilDetached() throws Exception {
        ns = NetworkNamespace.create("berth-test-" + suffix);
        assertTrue(Files.exists(Path.of("/run/netns/berth-test-" + suffix)));
        assertThrows(dev.berth.errors.BerthException.class, () -> NetworkNamespace.create(ns.name()),
                "a taken name is a conflict");

        int hostPort = freePort();
        ports = List.of(PortMapping.tcp(hostPort, 8080));
        BridgeNetwork.Attachment a = net.attach(containerId, ns.path(), ports);

        String prefix = net.options().subnet().substring(0, net.options().subnet().lastIndexOf('.') + 1);
        assertTrue(a.ip().startsWith(prefix), a.toString());
        assertEquals(24, a.prefixLength());
        assertEquals(prefix + "1", a.gateway(), "host-local gives the bridge the subnet's first address");
        assertEquals("eth0", a.ifname());
        assertTrue(a.mac() != null && a.mac().matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"), a.toString());
        String addr = Processes.run(Map.of(), null, 10, "ip", "-n", ns.name(), "-4", "addr", "show", "eth0")
                .assertOk().stdout();
        assertTrue(addr.contains(a.ip() + "/24"), addr);
        String lo = Processes.run(Map.of(), null, 10, "ip", "-n", ns.name(), "link", "show", "lo").assertOk().stdout();
        assertTrue(lo.contains("UP"), "the loopback plugin brought lo up: " + lo);
        Path lease = net.ipamDir().resolve(net.options().name()).resolve(a.ip());
        assertTrue(Files.exists(lease), "host-local records the lease under the data root: " + lease);
        assertEquals("1", Files.readString(
                Path.of("/proc/sys/net/ipv4/conf", net.options().bridge(), "route_localnet")).strip(),
                "127.0.0.1 DNAT to the bridge needs route_localnet on it");

        net.check(containerId, ns.path(), ports);

        String marker = "berth network test " + suffix;
        Files.writeString(www.resolve("index.html"), marker + "\n");
        httpd = new ProcessBuilder("ip", "netns", "exec", ns.name(), BUSYBOX.toString(), "httpd", "-f",
                "-p", "8080", "-h", www.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();

        String body = awaitHttp("127.0.0.1", hostPort);
        assertTrue(body.contains(marker), body);
        Optional<String> hostAddress = hostAddress();
        if (hostAddress.isPresent()) {
            String viaHost = httpGet(hostAddress.get(), hostPort);
            assertTrue(viaHost.contains(marker), "via " + hostAddress.get() + ": " + viaHost);
        }

        assertTrue(pings(ns, a.gateway()), "the container reaches its gateway " + a.gateway());

        // A fresh instance, as after a daemon restart: the cached ADD result and leases are on disk.
        new BridgeNetwork(CniPlugins.system(), net.options()).detach(containerId, ns.path(), ports);

        assertThrows(IOException.class, () -> httpGet("127.0.0.1", hostPort), "the port is unpublished");
        assertFalse(Files.exists(lease), "DEL released the lease");
        for (String table : List.of("nat", "filter")) {
            String rules = iptables(table);
            assertFalse(rules.contains(a.ip() + "/32"), "no " + table + " rule for the container is left:\n" + rules);
            assertFalse(rules.contains("--dport " + hostPort + " "), "no DNAT is left for the port:\n" + rules);
        }
        net.detach(containerId, ns.path(), ports); // idempotent

        httpd.destroyForcibly();
        httpd.waitFor(5, TimeUnit.SECONDS);
        ns.delete();
        assertFalse(ns.exists());
        ns.delete(); // idempotent
        net.detach(containerId, ns.path(), ports); // and still fine with the namespace gone
    }

    @Test
    void aFailedAttachLeavesNoLease() throws Exception {
        // No namespace at that path: bridge ADD fails after host-local may have allocated.
        Path missing = Path.of("/run/netns/berth-test-missing-" + suffix);
        dev.berth.errors.BerthException e = assertThrows(dev.berth.errors.BerthException.class,
                () -> net.attach(containerId, missing, List.of()));
        assertTrue(e.getMessage().startsWith("CNI plugin "), e.getMessage());
        Path leases = net.ipamDir().resolve(net.options().name());
        if (Files.isDirectory(leases)) {
            try (var s = Files.list(leases)) {
                List<String> left = s.map(p -> p.getFileName().toString())
                        .filter(n -> n.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")).toList();
                assertEquals(List.of(), left, "leases left after a failed attach");
            }
        }
    }

    @Test
    void aHostPortInUseIsAConflictAndChangesNothing() throws Exception {
        ns = NetworkNamespace.create("berth-test-" + suffix);
        try (ServerSocket taken = new ServerSocket(0)) {
            ports = List.of(PortMapping.tcp(taken.getLocalPort(), 80));
            dev.berth.errors.BerthException e = assertThrows(dev.berth.errors.BerthException.class,
                    () -> net.attach(containerId, ns.path(), ports));
            assertEquals(dev.berth.errors.ErrorCategory.CONFLICT, e.category());
            assertEquals("Bind for 0.0.0.0:" + taken.getLocalPort() + " failed: port is already allocated", e.getMessage());
            assertFalse(iptables("nat").contains("--dport " + taken.getLocalPort() + " "));
            assertFalse(Files.exists(net.ipamDir().resolve(net.options().name())), "no address was leased");
        }
    }

    private static boolean pings(NetworkNamespace ns, String ip) {
        for (int i = 0; i < 3; i++) {
            if (Processes.run(Map.of(), null, 10, "ip", "netns", "exec", ns.name(), BUSYBOX.toString(), "ping",
                    "-c", "1", "-W", "2", ip).exitCode() == 0) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A raw HTTP/1.0 request: no client-side connection pool can make a dead port look alive. */
    private static String httpGet(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            s.setSoTimeout(3000);
            s.getOutputStream().write("GET / HTTP/1.0\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String awaitHttp(String host, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                String body = httpGet(host, port);
                if (body.startsWith("HTTP/1.") && body.contains(" 200 ")) {
                    return body;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no HTTP answer on " + host + ":" + port + " within 15 s", last);
    }

    /** An IPv4 address of this host that is not loopback and not one of our test bridges. */
    private Optional<String> hostAddress() throws IOException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback() || nif.getName().startsWith("bt") || nif.getName().startsWith("berth")
                    || nif.getName().startsWith("veth")) {
                continue;
            }
            for (InetAddress ia : Collections.list(nif.getInetAddresses())) {
                if (ia instanceof Inet4Address) {
                    return Optional.of(ia.getHostAddress());
                }
            }
        }
        return Optional.empty();
    }

    private static String iptables(String table) {
        return dev.berth.engine.testing.CniChains.iptables(table);
    }

    private static Set<String> chains(String table) {
        return dev.berth.engine.testing.CniChains.chains(table);
    }

    private static void removeChainsWeCreated(String table, Set<String> before) {
        dev.berth.engine.testing.CniChains.removeCreated(table, before);
    }
}
