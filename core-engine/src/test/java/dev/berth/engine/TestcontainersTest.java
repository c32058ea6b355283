package dev.berth.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dev.berth.engine.testing.BerthClientProviderStrategy;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.CniChains;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ContainerFetchException;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Testcontainers (a real Java client of the Docker API: docker-java underneath) runs busybox containers on
 * Berth: what a user's integration test does first.
 * <p>
 * Ryuk, Testcontainers' reaper container, is disabled through {@code TESTCONTAINERS_RYUK_DISABLED=true}
 * in core-engine's surefire configuration (Testcontainers reads it from the environment only). Its image,
 * {@code testcontainers/ryuk}, comes from Docker Hub, which the test machines cannot reach. Cleanup is
 * therefore this class's: every container is closed by try-with-resources, which stops and removes it, the
 * tests assert that it is gone, and {@link BusyboxOnBerth#close()} removes anything left.
 * <p>
 * Testcontainers' client is one per JVM ({@link BerthClientProviderStrategy}): keep every Testcontainers
 * test in this class.
 */
class TestcontainersTest {
    private static final Path CNI = Path.of("/usr/lib/cni");
    private static final String BRIDGE = "bt0";
    private static final String SUBNET = "10.69.0.0/24";
    private static final String NETWORK_BRIDGE = "bt1";
    private static final String NETWORK_SUBNET = "10.69.1.0/24";

    static BusyboxOnBerth engine;
    static DockerImageName image;
    static final Map<String, Set<String>> chainsBefore = new HashMap<>();
    @TempDir
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        Processes.requireBinary("iptables");
        if (!Files.isExecutable(CNI.resolve("bridge"))) {
            String msg = "containernetworking-plugins is not installed";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
        assertEquals("true", System.getenv("TESTCONTAINERS_RYUK_DISABLED"),
                "run through Maven: core-engine's surefire configuration disables Ryuk (its image is on Docker Hub)");
        for (String table : List.of("nat", "filter")) {
            chainsBefore.put(table, CniChains.chains(table));
        }
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge(BRIDGE, SUBNET), config);
        image = DockerImageName.parse(engine.ref());
        System.setProperty(BerthClientProviderStrategy.HOST_PROPERTY, engine.daemon().host());
        // Testcontainers' system check ("server Version >= 1.6.0") runs: nothing turns it off.
        assertEquals(null, System.getenv("TESTCONTAINERS_CHECKS_DISABLE"));
        DockerClientFactory factory = DockerClientFactory.instance();
        factory.client(); // throws with the reason when Testcontainers cannot use the daemon
        assertTrue(factory.isUsing(BerthClientProviderStrategy.class),
                "Testcontainers chose another Docker (DOCKER_HOST in the environment wins): " + factory.getTransportConfig().getDockerHost());
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty(BerthClientProviderStrategy.HOST_PROPERTY);
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            for (String dev : List.of(BRIDGE, NETWORK_BRIDGE)) {
                if (Files.exists(Path.of("/sys/class/net", dev))) {
                    Processes.run(Map.of(), null, 10, "ip", "link", "del", dev);
                }
            }
            for (String table : List.of("nat", "filter")) {
                if (chainsBefore.containsKey(table)) {
                    CniChains.removeCreated(table, chainsBefore.get(table));
                }
            }
        }
    }

    static DockerClient client() {
        return DockerClientFactory.instance().client();
    }

    static boolean exists(String containerId) {
        return client().listContainersCmd().withShowAll(true).exec().stream().map(Container::getId).anyMatch(containerId::equals);
    }

    /** busybox httpd serving the image's /etc (etc/hello says "hello from berth"). */
    static GenericContainer<?> httpd(String name) {
        return new GenericContainer<>(image)
                .withCreateContainerCmdModifier(c -> c.withName(name))
                .withExposedPorts(8080)
                .withCommand("sh", "-c", "echo starting httpd; exec busybox httpd -f -v -p 8080 -h /etc");
    }

    @Test
    void exposedPortIsMappedAndAnswersFromTheHost() throws Exception {
        String id;
        try (GenericContainer<?> web = httpd("tcbench-web")
                .waitingFor(Wait.forLogMessage(".*starting httpd.*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)))) {
            web.start();
            id = web.getContainerId();
            int port = web.getMappedPort(8080);
            Ports.Binding[] bindings = web.getContainerInfo().getNetworkSettings().getPorts().getBindings()
                    .get(ExposedPort.tcp(8080));
            assertTrue(bindings != null && bindings.length > 0, "inspect has NetworkSettings.Ports[8080/tcp]");
            assertEquals(String.valueOf(port), bindings[0].getHostPortSpec());
            assertTrue(exists(id));

            String response = httpGet(web.getHost(), port, "/hello");
            assertTrue(response.lines().findFirst().orElse("").contains(" 200"), response);
            assertTrue(response.endsWith("hello from berth\n"), response);
        }
        assertTrue(!exists(id), "closing the container removed it");
    }

    @Test
    void envCommandAndLogsByStream() {
        try (GenericContainer<?> c = new GenericContainer<>(image)
                .withCreateContainerCmdModifier(cmd -> cmd.withName("tcbench-env"))
                .withEnv("GREETING", "hello tc")
                .withEnv(Map.of("SECOND", "2"))
                .withCommand("sh", "-c", "echo \"out:$GREETING:$SECOND\"; echo err:oops >&2; echo done; exec sleep 600")
                .waitingFor(Wait.forLogMessage("done\\n", 1).withStartupTimeout(Duration.ofSeconds(60)))) {
            c.start();
            assertTrue(c.isRunning());
            assertEquals("out:hello tc:2\ndone\n", c.getLogs(OutputType.STDOUT));
            assertEquals("err:oops\n", c.getLogs(OutputType.STDERR));
            String all = c.getLogs();
            assertTrue(all.contains("out:hello tc:2\n") && all.contains("err:oops\n"), all);
            List<String> env = Arrays.asList(c.getContainerInfo().getConfig().getEnv());
            assertTrue(env.contains("GREETING=hello tc") && env.contains("SECOND=2"), env.toString());
            assertEquals(List.of("sh", "-c", "echo \"out:$GREETING:$SECOND\"; echo err:oops >&2; echo done; exec sleep 600"),
                    Arrays.asList(c.getContainerInfo().getConfig().getCmd()));
            assertEquals("/tcbench-env", c.getContainerInfo().getName());
        }
    }

    @Test
    void oneShotContainerSucceedsAndAFailingOneIsReported() {
        try (GenericContainer<?> ok = new GenericContainer<>(image)
                .withCommand("sh", "-c", "echo finished")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
            ok.start();
            assertEquals("finished\n", ok.getLogs());
            assertEquals(0L, ok.getCurrentContainerInfo().getState().getExitCodeLong());
        }
        try (GenericContainer<?> bad = new GenericContainer<>(image)
                .withCommand("sh", "-c", "echo failing; exit 3")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
            assertThrows(ContainerLaunchException.class, bad::start);
        }
    }

    @Test
    void waitForHealthcheckSeesTheContainerBecomeHealthy() {
        try (GenericContainer<?> c = new GenericContainer<>(image)
                .withCommand("sh", "-c", "sleep 1; echo > /ready; sleep 300")
                .withCreateContainerCmdModifier(cmd -> cmd.withName("tcbench-health").withHealthcheck(
                        new com.github.dockerjava.api.model.HealthCheck().withTest(java.util.List.of("CMD-SHELL", "test -e /ready"))
                                .withInterval(200_000_000L).withRetries(100)))
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(60)))) {
            c.start();
            assertEquals("healthy", c.getCurrentContainerInfo().getState().getHealth().getStatus());
            assertEquals(0, c.getCurrentContainerInfo().getState().getHealth().getFailingStreak());
        }
    }

    @Test
    void unknownImageFailsToStart() {
        DockerImageName missing = DockerImageName.parse(image.getRegistry() + "/tcbench/absent:1.0");
        try (GenericContainer<?> c = new GenericContainer<>(missing).withCommand("true")) {
            ContainerFetchException e = assertThrows(ContainerFetchException.class, c::start);
            assertTrue(String.valueOf(e.getCause()).contains("manifest unknown"), String.valueOf(e.getCause()));
        }
    }

    /** Inside a container (a CI job), Testcontainers takes the address of published ports from this. */
    @Test
    void defaultBridgeNetworkHasItsGatewayForTestcontainers() {
        var ipam = client().inspectNetworkCmd().withNetworkId("bridge").exec().getIpam();
        assertTrue(ipam.getConfig().stream().anyMatch(c -> "10.69.0.1".equals(c.getGateway())), String.valueOf(ipam.getConfig()));
    }

    @Test
    void listeningPortWaitAndExec() throws Exception {
        // Wait.forListeningPort checks inside the container with an exec, and from the host.
        try (GenericContainer<?> web = httpd("tcbench-exec").withEnv("GREETING", "from exec")
                .waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofSeconds(60)))) {
            web.start();
            String response = httpGet(web.getHost(), web.getMappedPort(8080), "/hello");
            assertTrue(response.endsWith("hello from berth\n"), response);

            ExecResult r = web.execInContainer("sh", "-c", "echo \"$GREETING\"; echo to-err >&2; exit 4");
            assertEquals(4, r.getExitCode());
            assertEquals("from exec\n", r.getStdout());
            assertEquals("to-err\n", r.getStderr());
        }
    }

    @Test
    void copyFilesInAndOut() throws Exception {
        try (GenericContainer<?> c = new GenericContainer<>(image)
                .withCreateContainerCmdModifier(cmd -> cmd.withName("tcbench-copy"))
                .withCopyToContainer(Transferable.of("before start\n"), "/tmp/early.txt")
                .withCommand("sh", "-c", "cat /tmp/early.txt; echo up; exec sleep 600")
                .waitingFor(Wait.forLogMessage("up\\n", 1).withStartupTimeout(Duration.ofSeconds(60)))) {
            c.start();
            // Copied into the created container before it started: its command printed it.
            assertEquals("before start\nup\n", c.getLogs(OutputType.STDOUT));
            c.copyFileToContainer(Transferable.of("payload\n", 0640), "/tmp/sub/payload.txt");
            assertEquals("payload\n", c.copyFileFromContainer("/tmp/sub/payload.txt",
                    (InputStream in) -> new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            assertEquals("hello from berth\n", c.copyFileFromContainer("/etc/hello",
                    (InputStream in) -> new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }

    @Test
    void containersReachEachOtherByNetworkAlias() {
        try (Network net = Network.builder()
                .createNetworkCmdModifier(cmd -> cmd.withName("tcbench-net")
                        .withOptions(Map.of("com.docker.network.bridge.name", NETWORK_BRIDGE))
                        .withIpam(new com.github.dockerjava.api.model.Network.Ipam().withConfig(
                                new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(NETWORK_SUBNET))))
                .build();
             GenericContainer<?> web = httpd("tcbench-aliased").withNetwork(net).withNetworkAliases("webalias")
                     .waitingFor(Wait.forLogMessage(".*starting httpd.*\\n", 1));
             GenericContainer<?> client = new GenericContainer<>(image).withNetwork(net)
                     // httpd may still be binding when its log line appears: retry for a bounded time.
                     .withCommand("sh", "-c", "for i in $(busybox seq 50); do busybox wget -q -O - http://webalias:8080/hello && exit 0; sleep 0.2; done; exit 1")
                     .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
            web.start();
            client.start();
            assertEquals("hello from berth\n", client.getLogs(OutputType.STDOUT));
        }
    }

    /** One HTTP/1.0 request; retried for a bounded time while the server is still binding. */
    private static String httpGet(String host, int port, String path) throws Exception {
        IOException last = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 2000);
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                if (!response.isEmpty()) {
                    return response;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no answer from " + host + ":" + port + path, last);
    }
}
