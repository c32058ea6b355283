package dev.berth.engine;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.CniChains;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.engine.testing.UdpEchoInNetns;
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
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Port ranges with the real docker CLI: {@code -p 8000-8001:80-81} becomes one binding per port (the
 * CLI expands it), each answering from the host; {@code /udp} with a host address; {@code -p 80-81}
 * gets a free host port each; a host range for one container port takes the first free port of it;
 * mismatched ranges are the CLI's error and a range as a container port is moby's 400.
 */
class DockerCliPortRangeTest {
    static final String BRIDGE = "br87a";
    static final String SUBNET = "10.87.1.0/24";

    static BusyboxOnBerth engine;
    static String ref;
    static final Map<String, Set<String>> chainsBefore = new HashMap<>();
    @TempDir
    static Path config;
    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        Processes.requireBinary("iptables");
        if (!Files.isExecutable(Path.of("/usr/lib/cni/bridge"))) {
            String msg = "containernetworking-plugins is not installed";
            if ("true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        for (String table : List.of("nat", "filter")) {
            chainsBefore.put(table, CniChains.chains(table));
        }
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge(BRIDGE, SUBNET), config);
        ref = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                Processes.run(Map.of(), null, 10, "ip", "link", "del", BRIDGE);
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

    private static final String TWO_SERVERS = "mkdir -p /w80 /w81; echo eighty > /w80/index.html; echo eighty-one > /w81/index.html; "
            + "httpd -p 80 -h /w80; exec httpd -f -p 81 -h /w81";

    @Test
    void aRangeMapsEachPortAndBothAnswer() throws Exception {
        int p = twoFreePorts();
        String id = docker("run", "-d", "--name", "rt-range", "-p", p + "-" + (p + 1) + ":80-81", ref, "sh", "-c", TWO_SERVERS)
                .assertOk().stdout().strip();
        try {
            assertEquals("eighty", body(httpGet(p)));
            assertEquals("eighty-one", body(httpGet(p + 1)));
            assertEquals("{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"" + p + "\"}],\"81/tcp\":[{\"HostIp\":\"\",\"HostPort\":\""
                    + (p + 1) + "\"}]}", docker("inspect", "-f", "{{json .HostConfig.PortBindings}}", id).assertOk().stdout().strip());
            assertEquals("{\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"" + p + "\"}],\"81/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\""
                    + (p + 1) + "\"}]}", docker("inspect", "-f", "{{json .NetworkSettings.Ports}}", id).assertOk().stdout().strip());
            assertEquals(List.of("80/tcp -> 0.0.0.0:" + p, "81/tcp -> 0.0.0.0:" + (p + 1)),
                    docker("port", id).assertOk().stdout().lines().sorted().toList());
            assertEquals("0.0.0.0:" + (p + 1), docker("port", id, "81").assertOk().stdout().strip());
            String ps = docker("ps", "--filter", "id=" + id, "--format", "{{.Ports}}").assertOk().stdout().strip();
            // The CLI groups a range only where host and container ports are equal, on Docker too.
            assertEquals("0.0.0.0:" + p + "->80/tcp, 0.0.0.0:" + (p + 1) + "->81/tcp", ps);
        } finally {
            docker("rm", "-f", id).assertOk();
        }
        assertEquals(null, tryGet(p), "the ports went with the container");
        assertEquals(null, tryGet(p + 1), "the ports went with the container");
    }

    @Test
    void aUdpRangeOnAHostAddressCarriesDatagramsToBothPorts() throws Exception {
        int p = twoFreeUdpPorts();
        String id = docker("run", "-d", "--name", "rt-udp", "-p", "127.0.0.1:" + p + "-" + (p + 1) + ":80-81/udp", ref,
                "sleep", "300").assertOk().stdout().strip();
        try (UdpEchoInNetns e80 = UdpEchoInNetns.start("berth-" + id.substring(0, 12), 80);
             UdpEchoInNetns e81 = UdpEchoInNetns.start("berth-" + id.substring(0, 12), 81)) {
            assertEquals("80:ping", UdpEchoInNetns.ask("127.0.0.1", p, "ping"));
            assertEquals("81:pong", UdpEchoInNetns.ask("127.0.0.1", p + 1, "pong"));
            assertEquals(List.of("80/udp -> 127.0.0.1:" + p, "81/udp -> 127.0.0.1:" + (p + 1)),
                    docker("port", id).assertOk().stdout().lines().sorted().toList());
            assertEquals("{\"80/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"" + p + "\"}],\"81/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\""
                    + (p + 1) + "\"}]}", docker("inspect", "-f", "{{json .HostConfig.PortBindings}}", id).assertOk().stdout().strip());
        } finally {
            docker("rm", "-f", id).assertOk();
        }
    }

    @Test
    void aContainerRangeAloneGetsAFreeHostPortEach() throws Exception {
        String id = docker("run", "-d", "--name", "rt-random", "-p", "80-81", ref, "sh", "-c", TWO_SERVERS).assertOk().stdout().strip();
        try {
            int h80 = hostPort(docker("port", id, "80/tcp").assertOk().stdout());
            int h81 = hostPort(docker("port", id, "81/tcp").assertOk().stdout());
            assertNotEquals(h80, h81);
            assertEquals("eighty", body(httpGet(h80)));
            assertEquals("eighty-one", body(httpGet(h81)));
        } finally {
            docker("rm", "-f", id).assertOk();
        }
    }

    @Test
    void aHostRangeForOnePortTakesTheFirstFreeOne() throws Exception {
        int p = twoFreePorts();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", p)); // a host process holds the first port of the range
            String id = docker("run", "-d", "--name", "rt-hostrange", "-p", p + "-" + (p + 1) + ":80", ref, "sh", "-c", TWO_SERVERS)
                    .assertOk().stdout().strip();
            try {
                assertEquals("0.0.0.0:" + (p + 1), docker("port", id, "80").assertOk().stdout().strip());
                assertEquals("eighty", body(httpGet(p + 1)));
                assertEquals("{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"" + p + "-" + (p + 1) + "\"}]}",
                        docker("inspect", "-f", "{{json .HostConfig.PortBindings}}", id).assertOk().stdout().strip(),
                        "the binding is kept as asked, as Docker does");
                // The range is used up: a second container gets Docker's conflict and no half-started state.
                var second = docker("run", "-d", "--name", "rt-hostrange2", "-p", p + "-" + (p + 1) + ":80", ref, "sleep", "30");
                assertNotEquals(0, second.exitCode());
                assertTrue(second.stderr().contains("failed: all ports in the range are already allocated")
                        || second.stderr().contains("port is already allocated"), second.stderr());
                docker("rm", "-f", "rt-hostrange2");
            } finally {
                docker("rm", "-f", id).assertOk();
            }
        }
    }

    @Test
    void mismatchedRangesAreTheClisErrorAndARangeKeyIsMobys400() throws Exception {
        var mismatched = docker("run", "-d", "--name", "rt-mismatch", "-p", "8000-8002:80-81", ref, "true");
        assertEquals(125, mismatched.exitCode(), mismatched.stdout());
        assertTrue(mismatched.stderr().contains("invalid ranges specified for container and host Ports: 80-81 and 8000-8002"),
                mismatched.stderr());
        assertEquals("", docker("ps", "-aq", "--filter", "name=rt-mismatch").assertOk().stdout().strip(), "nothing was created");

        String[] reply = post(engine.daemon().socket(), "/containers/create?name=rt-rangekey",
                "{\"Image\":\"" + ref + "\",\"HostConfig\":{\"PortBindings\":{\"80-81/tcp\":[{\"HostPort\":\"8000-8001\"}]}}}");
        assertEquals("400", reply[0], reply[1]);
        assertTrue(reply[1].contains("invalid port specification: \\\"80-81\\\""), reply[1]);
        reply = post(engine.daemon().socket(), "/containers/create?name=rt-badhostrange",
                "{\"Image\":\"" + ref + "\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"8001-8000\"}]}}}");
        assertEquals("400", reply[0], reply[1]);
        assertTrue(reply[1].contains("invalid port specification: \\\"8001-8000\\\""), reply[1]);
        assertEquals("", docker("ps", "-aq", "--filter", "name=rt-rangekey", "--filter", "name=rt-badhostrange")
                .assertOk().stdout().strip(), "nothing was created");
    }

    /** One HTTP/1.0 request over the daemon's socket: {status, body}. */
    static String[] post(Path socket, String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(("POST /v1.41" + path + " HTTP/1.0\r\nHost: berth\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ch.write(ByteBuffer.wrap(body));
            String response = new String(java.nio.channels.Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
            return new String[] {response.substring(9, 12), response};
        }
    }

    static int hostPort(String portOutput) {
        String first = portOutput.lines().findFirst().orElse("");
        assertTrue(first.matches("0\\.0\\.0\\.0:\\d+"), portOutput);
        return Integer.parseInt(first.substring(first.indexOf(':') + 1));
    }

    static String body(String response) {
        int i = response.indexOf("\r\n\r\n");
        return i < 0 ? response : response.substring(i + 4).strip();
    }

    /** Two consecutive TCP ports nothing listens on now. */
    static int twoFreePorts() throws IOException {
        for (int i = 0; i < 50; i++) {
            int p;
            try (ServerSocket s = new ServerSocket(0)) {
                p = s.getLocalPort();
            }
            if (p < 65535) {
                try (ServerSocket a = new ServerSocket(); ServerSocket b = new ServerSocket()) {
                    a.bind(new InetSocketAddress("0.0.0.0", p));
                    b.bind(new InetSocketAddress("0.0.0.0", p + 1));
                    return p;
                } catch (IOException taken) {
                    // try another pair
                }
            }
        }
        throw new IllegalStateException("no two consecutive free ports");
    }

    static int twoFreeUdpPorts() throws IOException {
        for (int i = 0; i < 50; i++) {
            int p;
            try (java.net.DatagramSocket s = new java.net.DatagramSocket(0)) {
                p = s.getLocalPort();
            }
            if (p < 65535) {
                try (java.net.DatagramSocket a = new java.net.DatagramSocket(null); java.net.DatagramSocket b = new java.net.DatagramSocket(null)) {
                    a.bind(new InetSocketAddress("127.0.0.1", p));
                    b.bind(new InetSocketAddress("127.0.0.1", p + 1));
                    return p;
                } catch (IOException taken) {
                    // try another pair
                }
            }
        }
        throw new IllegalStateException("no two consecutive free UDP ports");
    }

    static String tryGet(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(3000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String r = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return r.isEmpty() ? null : r;
        } catch (IOException e) {
            return null;
        }
    }

    static String httpGet(int port) throws Exception {
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
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
}
