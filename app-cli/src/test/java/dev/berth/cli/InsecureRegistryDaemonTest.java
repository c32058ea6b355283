package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.images.Json;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dockerd's {@code --insecure-registry} and daemon.json's {@code insecure-registries} on {@code berth daemon}
 * (run as a child process, as a user starts it), with Debian's docker-registry speaking plain HTTP on a
 * non-loopback address (a dummy interface made for the test) and the real docker CLI as the client:
 * refused in Go's words without the setting, pull and push with it, and {@code /info} saying so.
 */
class InsecureRegistryDaemonTest {
    private static final String DEVICE = "cli7d0";
    private static final String ADDRESS = "10.98.0.1";

    @TempDir
    static Path home;
    static LocalRegistry loopback;
    static String busybox;
    static final List<Process> registries = new ArrayList<>();
    static String plainHost;
    static String tlsHost;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        Processes.requireBinary("ip");
        deleteDevice();
        // A dummy device where the kernel has the module; else a bridge without ports, which holds an address as well.
        if (Processes.run(Map.of(), null, 10, "ip", "link", "add", DEVICE, "type", "dummy").exitCode() != 0) {
            Processes.run(Map.of(), null, 10, "ip", "link", "add", DEVICE, "type", "bridge").assertOk();
        }
        Processes.run(Map.of(), null, 10, "ip", "addr", "add", ADDRESS + "/32", "dev", DEVICE).assertOk();
        Processes.run(Map.of(), null, 10, "ip", "link", "set", DEVICE, "up").assertOk();
        loopback = LocalRegistry.start(LocalRegistry.Mode.OPEN);
        busybox = loopback.push(TestImages.busybox(), "cli7/busybox:1.0");
        plainHost = startRegistry("plain", false);
        tlsHost = startRegistry("tls", true);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (Process registry : registries) {
                registry.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (loopback != null) {
                loopback.close();
            }
        } finally {
            deleteDevice();
        }
    }

    private static void deleteDevice() {
        if (Files.exists(Path.of("/sys/class/net", DEVICE))) {
            Processes.run(Map.of(), null, 10, "ip", "link", "del", DEVICE).assertOk();
        }
    }

    /** docker-registry on 10.98.0.1: plain HTTP, or TLS with a self-signed certificate no one trusts. */
    private static String startRegistry(String name, boolean tls) throws Exception {
        // The port was free when probed; another process may take it before the registry binds. Then try another.
        for (int attempt = 1; ; attempt++) {
            String host = startRegistryOnce(name + "-" + attempt, tls);
            if (host != null || attempt == 3) {
                if (host == null) {
                    throw new IllegalStateException("docker-registry found its port taken three times");
                }
                return host;
            }
        }
    }

    /** @return the registry's host:port, or null when its port was taken before it could bind */
    private static String startRegistryOnce(String name, boolean tls) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(ADDRESS))) {
            port = s.getLocalPort();
        }
        String host = ADDRESS + ":" + port;
        Path dir = Files.createDirectories(home.resolve("registry-" + name));
        String tlsConfig = "";
        if (tls) {
            Processes.run(Map.of(), null, 60, Processes.requireBinary("openssl"), "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-days", "1", "-subj", "/CN=" + ADDRESS, "-addext", "subjectAltName=IP:" + ADDRESS,
                    "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString()).assertOk();
            tlsConfig = "  tls:\n    certificate: " + dir.resolve("cert.pem") + "\n    key: " + dir.resolve("key.pem") + "\n";
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: %s
                  secret: cli7-test-secret
                %s""".formatted(dir.resolve("storage"), host, tlsConfig));
        Process registry = new ProcessBuilder(Processes.requireBinary("docker-registry"), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        registries.add(registry);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!registry.isAlive()) {
                String log = readQuietly(dir.resolve("registry.log"));
                if (log.contains("address already in use")) {
                    return null;
                }
                throw new AssertionError("docker-registry exited: " + log);
            }
            // a TLS listener is up once it accepts a connection; the plain one once it answers
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress(ADDRESS, port), 1000);
                if (tls || get(host, "/v2/") == 200) {
                    return host;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("docker-registry did not start: " + readQuietly(dir.resolve("registry.log")));
    }

    private static int get(String path) throws IOException {
        return get(plainHost, path);
    }

    private static int get(String host, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host + path).toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(5000);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void withoutTheSettingAPlainHttpRegistryIsRefusedInDockersWords() throws Exception {
        try (BerthDaemon d = BerthDaemon.start("plain")) {
            d.docker("pull", busybox).assertOk(); // loopback needs no setting, as in Docker
            String target = plainHost + "/cli7/refused:1";
            d.docker("tag", busybox, target).assertOk();
            String expected = "Get \"https://" + plainHost + "/v2/\": http: server gave HTTP response to HTTPS client";
            Processes.Result push = d.docker("push", target);
            assertEquals(1, push.exitCode(), push.toString());
            assertTrue(push.stderr().contains(expected), push.toString());
            Processes.Result pull = d.docker("pull", target);
            assertEquals(1, pull.exitCode(), pull.toString());
            assertTrue(pull.stderr().startsWith("Error response from daemon: " + expected), pull.toString());
            assertEquals(404, get("/v2/cli7/refused/tags/list"), "nothing reached the registry");
            Processes.Result untrusted = d.docker("pull", tlsHost + "/cli7/refused:1");
            assertEquals(1, untrusted.exitCode(), untrusted.toString());
            assertTrue(untrusted.stderr().startsWith("Error response from daemon: Get \"https://" + tlsHost + "/v2/\": "
                    + "tls: failed to verify certificate: x509: certificate signed by unknown authority"), untrusted.toString());

            JsonNode config = registryConfig(d);
            assertEquals(List.of("::1/128", "127.0.0.0/8"), strings(config.get("InsecureRegistryCIDRs")));
            assertEquals(List.of("docker.io"), fieldNames(config.get("IndexConfigs")));
            assertTrue(config.at("/IndexConfigs/docker.io/Secure").asBoolean());
            assertTrue(d.docker("info").stdout().contains(" Insecure Registries:\n  ::1/128\n  127.0.0.0/8\n"));
        }
    }

    @Test
    void theFlagRepeatedWithANameAndACidrLetsPullAndPushSpeakHttp() throws Exception {
        try (BerthDaemon d = BerthDaemon.start("flag", "--insecure-registry", plainHost,
                "--insecure-registry", "10.99.0.0/16", "--insecure-registry", tlsHost)) {
            d.docker("pull", busybox).assertOk();
            String target = plainHost + "/cli7/flag:1";
            d.docker("tag", busybox, target).assertOk();
            Processes.Result push = d.docker("push", target);
            push.assertOk();
            assertTrue(push.stdout().contains("1: digest: sha256:"), push.toString());
            assertEquals(200, get("/v2/cli7/flag/manifests/1"));
            d.docker("rmi", target, busybox).assertOk();
            Processes.Result pull = d.docker("pull", target);
            pull.assertOk();
            assertTrue(pull.stdout().contains("Downloaded newer image for " + target), pull.toString());

            // TLS without verification: a TLS-only registry answers plain HTTP with 400, so this went over TLS
            String overTls = tlsHost + "/cli7/tls:1";
            d.docker("tag", target, overTls).assertOk();
            d.docker("push", overTls).assertOk();
            d.docker("rmi", overTls).assertOk();
            d.docker("pull", overTls).assertOk();

            JsonNode config = registryConfig(d);
            assertEquals(List.of("10.99.0.0/16", "::1/128", "127.0.0.0/8"), strings(config.get("InsecureRegistryCIDRs")));
            assertEquals(java.util.stream.Stream.of(plainHost, tlsHost, "docker.io").sorted().toList(),
                    fieldNames(config.get("IndexConfigs")));
            JsonNode index = config.get("IndexConfigs").get(plainHost);
            assertEquals(plainHost, index.get("Name").asText());
            assertFalse(index.get("Secure").asBoolean());
            assertFalse(index.get("Official").asBoolean());
            String info = d.docker("info").stdout();
            assertTrue(info.contains("\n  10.99.0.0/16\n  ::1/128\n  127.0.0.0/8\n"), info);
            assertTrue(info.contains(" Insecure Registries:\n  "), info);
            assertTrue(info.contains("\n  " + plainHost + "\n") && info.contains("\n  " + tlsHost + "\n"), info);
            // berth info lists them as docker info does
            CliRun.Result berthInfo = new CliRun(null, home).env("DOCKER_HOST", "unix://" + d.dir().resolve("d.sock")).run("info");
            assertEquals(insecureSection(info), insecureSection(berthInfo.out()), berthInfo.out());
        }
    }

    @Test
    void daemonJsonNamesACidrThatCoversTheRegistry() throws Exception {
        Path file = home.resolve("daemon.json");
        Files.writeString(file, "{\"insecure-registries\": [\"http://10.98.0.0/24\"], \"log-driver\": \"json-file\"}");
        try (BerthDaemon d = BerthDaemon.start("file", "--config-file", file.toString())) {
            d.docker("pull", busybox).assertOk();
            String target = plainHost + "/cli7/cidr:1";
            d.docker("tag", busybox, target).assertOk();
            d.docker("push", target).assertOk();
            d.docker("rmi", target).assertOk();
            d.docker("pull", target).assertOk();
            assertEquals(List.of("10.98.0.0/24", "::1/128", "127.0.0.0/8"),
                    strings(registryConfig(d).get("InsecureRegistryCIDRs")));
            String log = d.log();
            assertTrue(log.contains("insecure registry http://10.98.0.0/24 should not contain 'http://'"), log);
            assertTrue(log.contains("\"log-driver\" is not used by Berth; ignored"), log);
        }
    }

    @Test
    void malformedOrDoublySetEntriesStopTheDaemonBeforeItStarts() throws Exception {
        Path file = home.resolve("both.json");
        Files.writeString(file, "{\"insecure-registries\": [\"a.example:5000\"]}");
        CliRun.Result both = new CliRun(null, home).run("daemon", "-H", "unix://" + home.resolve("never.sock"),
                "--insecure-registry", "b.example:5000", "--config-file", file.toString());
        assertEquals(1, both.status(), both.toString());
        assertEquals("the following directives are specified both as a flag and in the configuration file: "
                + "insecure-registries: (from flag: [b.example:5000], from file: [a.example:5000])\n", both.err());

        CliRun.Result scheme = new CliRun(null, home).run("daemon", "-H", "unix://" + home.resolve("never.sock"),
                "--insecure-registry", "ftp://a.example", "--config-file", home.resolve("absent.json").toString());
        assertEquals(1, scheme.status(), scheme.toString());
        assertTrue(scheme.err().contains("unable to configure the Berth daemon with file " + home.resolve("absent.json")
                + ": open " + home.resolve("absent.json") + ": no such file or directory"), scheme.toString());

        Files.writeString(file, "{}");
        CliRun.Result bad = new CliRun(null, home).run("daemon", "-H", "unix://" + home.resolve("never.sock"),
                "--insecure-registry", "ftp://a.example", "--config-file", file.toString());
        assertEquals(1, bad.status(), bad.toString());
        assertEquals("insecure registry ftp://a.example should not contain '://'\n", bad.err());
        assertFalse(Files.exists(home.resolve("never.sock")));
    }

    /** The lines under " Insecure Registries:", sorted: docker prints the names in Go's map order. */
    private static List<String> insecureSection(String info) {
        String section = info.substring(info.indexOf(" Insecure Registries:\n"));
        section = section.substring(0, section.indexOf("127.0.0.0/8\n") + 12);
        return section.lines().sorted().toList();
    }

    private static JsonNode registryConfig(BerthDaemon d) throws IOException {
        Processes.Result r = d.docker("info", "--format", "{{json .RegistryConfig}}");
        r.assertOk();
        return Json.MAPPER.readTree(r.stdout());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** {@code berth daemon} in a child JVM on a private socket and data root, without a default bridge. */
    private record BerthDaemon(Process process, Path dir, Path config) implements AutoCloseable {
        static BerthDaemon start(String name, String... flags) throws Exception {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "cli7");
            Path socket = dir.resolve("d.sock");
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "daemon", "-H", "unix://" + socket, "--data-root", dir.resolve("data").toString(), "-b", "none"));
            cmd.addAll(List.of(flags));
            if (!List.of(flags).contains("--config-file")) {
                Path none = dir.resolve("daemon.json"); // never the host's /etc/berth/daemon.json
                Files.writeString(none, "{}");
                cmd.addAll(List.of("--config-file", none.toString()));
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("daemon.log").toFile()).start();
            BerthDaemon d = new BerthDaemon(p, dir, Files.createDirectories(dir.resolve("docker-" + name)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(socket)) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    String log = d.log();
                    d.close();
                    throw new IllegalStateException("berth daemon did not start: " + log);
                }
                Thread.sleep(50);
            }
            return d;
        }

        Processes.Result docker(String... args) {
            return Processes.docker("unix://" + dir.resolve("d.sock"), config, args);
        }

        String log() {
            return readQuietly(dir.resolve("daemon.log"));
        }

        @Override
        public void close() throws IOException {
            process.destroy(); // SIGTERM: the daemon's shutdown hook closes the engine
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Processes.run(Map.of(), null, 60, "rm", "-rf", dir.toString());
        }
    }
}
