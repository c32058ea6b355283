package dev.berth.registry;

import dev.berth.images.testing.ImageFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's reference registry (distribution 2.8) on a free loopback port with its own storage, as jib
 * runs registry:2 in its integration tests. Modes: open, htpasswd Basic auth, or token auth backed by a
 * {@link TokenServer} whose signing certificate the registry trusts. {@link #close()} stops the process
 * and deletes everything it wrote.
 */
public final class LocalRegistry implements AutoCloseable {
    public enum Mode { OPEN, HTPASSWD, TOKEN }

    public static final String USER = "berth";
    public static final String PASSWORD = "correct-horse-battery";
    /** distribution starts in well under a second; this bounds a broken install. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    static final int START_ATTEMPTS = 3;

    private final Mode mode;
    private final Path dir;
    private final int port;
    private volatile Process process; // replaced by restart()
    private final TokenServer tokenServer;

    private LocalRegistry(Mode mode, Path dir, int port, Process process, TokenServer tokenServer) {
        this.mode = mode;
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.tokenServer = tokenServer;
    }

    public static LocalRegistry start(Mode mode) throws Exception {
        return start(mode, true);
    }

    /** {@code deleteEnabled=false} is distribution's default: manifest DELETE answers 405 UNSUPPORTED. */
    public static LocalRegistry start(Mode mode, boolean deleteEnabled) throws Exception {
        Prerequisites.require(Prerequisites.REGISTRY);
        if (mode == Mode.HTPASSWD) {
            Prerequisites.require(Prerequisites.HTPASSWD);
        }
        Path dir = Files.createTempDirectory("berth-registry-");
        TokenServer tokens = null;
        try {
            String authConfig = "";
            if (mode == Mode.HTPASSWD) {
                Path htpasswd = dir.resolve("htpasswd");
                Process p = new ProcessBuilder(Prerequisites.HTPASSWD.toString(), "-Bbn", USER, PASSWORD)
                        .redirectErrorStream(true).start();
                byte[] line = p.getInputStream().readAllBytes();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("htpasswd failed: " + new String(line, StandardCharsets.UTF_8));
                }
                Files.write(htpasswd, line);
                authConfig = "auth:\n  htpasswd:\n    realm: berth-test\n    path: " + htpasswd + "\n";
            } else if (mode == Mode.TOKEN) {
                tokens = tokenServer(dir);
                authConfig = "auth:\n  token:\n    realm: " + tokens.realm() + "\n    service: " + TokenServer.SERVICE
                        + "\n    issuer: " + TokenServer.ISSUER + "\n    rootcertbundle: " + dir.resolve("token.pem") + "\n";
            }
            IOException lastFailure = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int port = freePort();
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
                          delete:
                            enabled: %s
                        http:
                          addr: 127.0.0.1:%d
                          secret: berth-test-secret
                        %s""".formatted(dir.resolve("storage"), deleteEnabled, port, authConfig));
                Process process = new ProcessBuilder(Prerequisites.REGISTRY.toString(), "serve", config.toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
                try {
                    awaitReady(process, port, dir.resolve("registry.log"));
                    return new LocalRegistry(mode, dir, port, process, tokens);
                } catch (IOException e) {
                    // Most likely another process took the port between our probe and the bind.
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    lastFailure = e;
                }
            }
            throw lastFailure;
        } catch (Exception | Error e) {
            if (tokens != null) {
                tokens.close();
            }
            deleteTree(dir);
            throw e;
        }
    }

    private static TokenServer tokenServer(Path dir) throws Exception {
        Path keystore = dir.resolve("token.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        run(keytool.toString(), "-genkeypair", "-alias", "token", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=berth-test-token", "-validity", "2", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("token", "changeit".toCharArray());
        X509Certificate cert = (X509Certificate) ks.getCertificate("token");
        // The registry's rootcertbundle, written here rather than by a second keytool JVM (seconds on a loaded machine).
        Files.writeString(dir.resolve("token.pem"), "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return new TokenServer(key, cert, USER, PASSWORD);
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", List.of(command).subList(0, 2)) + " failed: "
                    + new String(out, StandardCharsets.UTF_8));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitReady(Process process, int port, Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited: " + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v2/").toURL()
                        .openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                int status = c.getResponseCode();
                c.disconnect();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(50);
        }
        throw new IOException("docker-registry not ready within " + READY_TIMEOUT.toSeconds() + "s: "
                + Files.readString(log));
    }

    /** {@code 127.0.0.1:PORT}: the registry name to use in references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Mode mode() {
        return mode;
    }

    TokenServer tokenServer() {
        return tokenServer;
    }

    public Credential credential() {
        return Credential.basic(USER, PASSWORD);
    }

    /** Options for a client of this registry: fast retries, and the right credentials for {@code host}. */
    RegistryOptions options(String host, Credential credential) {
        return RegistryOptions.defaults().withRetry(RetryPolicy.FAST)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))
                .withCredentials(CredentialStore.of(java.util.Map.of(host, credential)));
    }

    public RegistryClient client() {
        return RegistryClient.create(host(), options(host(), mode == Mode.OPEN ? Credential.ANONYMOUS : credential()));
    }

    /** Ends the process abruptly, as a crash or `kill -9` would. */
    /** Pushes a fixture under {@code repoAndTag} (e.g. {@code e2e/busybox:1.0}); returns the full reference. */
    public String push(dev.berth.images.testing.ImageFixture fixture, String repoAndTag) throws IOException {
        Path staging = Files.createTempDirectory("berth-seed-");
        try {
            dev.berth.images.store.BlobStore store = new dev.berth.images.store.BlobStore(staging);
            store.put(fixture.manifest());
            for (ImageFixture child : fixture.children()) {
                store.put(child.manifest());
            }
            for (byte[] b : fixture.blobs().values()) {
                store.put(b);
            }
            String ref = host() + "/" + repoAndTag;
            client().push(dev.berth.images.ImageReference.parse(ref), fixture.digest(), fixture.mediaType(), store, null,
                    ProgressListener.NONE);
            return ref;
        } finally {
            deleteTree(staging);
        }
    }

    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        kill();
        if (tokenServer != null) {
            tokenServer.close();
        }
        deleteTree(dir);
    }

    /**
     * Starts the registry again after {@link #kill()}, on the same port with the same storage and users,
     * as a registry coming back after an outage.
     */
    public void restart() throws IOException, InterruptedException {
        kill();
        Process p = new ProcessBuilder(Prerequisites.REGISTRY.toString(), "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
                .start();
        process = p;
        awaitReady(p, port, dir.resolve("registry.log"));
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Token mode only: from now on no token grants the catalog, as Docker Hub (which lists nothing). */
    public void refuseCatalog() {
        tokenServer.refuseCatalog = true;
    }

    /** Token mode only: {@code token} is accepted as {@link #USER}'s password too, as Hub accepts access tokens. */
    public void acceptAccessToken(String token) {
        tokenServer.accessToken = token;
    }
}
