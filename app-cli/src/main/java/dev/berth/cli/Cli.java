package dev.berth.cli;

import dev.berth.cli.auth.DockerConfigCredentials;
import dev.berth.cli.auth.CredentialStore;
import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.EngineEndpoint;

import java.nio.file.Path;

/**
 * One CLI run's context: the streams, the global options, and the engine client, created on first
 * use so that commands which never talk to the engine ({@code --help}, {@code logout}) stay fast.
 */
public final class Cli implements AutoCloseable {
    public static final String VERSION = "0.1.0";
    static final String USER_AGENT = "Berth-Client/" + VERSION + " (linux)";

    private final Io io;
    private String host;
    private Path configDir;
    private boolean debug;
    private String logLevel = "info";
    private EngineClient client;
    private CredentialStore credentials;

    public Cli(Io io) {
        this.io = io;
    }

    public Io io() {
        return io;
    }

    void host(String host) {
        this.host = host;
    }

    void configDir(Path dir) {
        this.configDir = dir;
    }

    void debug(boolean debug) {
        this.debug = debug;
    }

    void logLevel(String level) {
        this.logLevel = level;
    }

    public boolean debug() {
        return debug || "debug".equals(logLevel);
    }

    /** Where the engine is, resolved from {@code -H}, {@code BERTH_HOST}, {@code DOCKER_HOST}, or the default. */
    public EngineEndpoint endpoint() {
        return EngineEndpoint.resolve(host, io.env());
    }

    /** The engine client, connected lazily; the API version is negotiated on its first call. */
    public EngineClient client() {
        if (client == null) {
            String pinned = io.env().get("BERTH_API_VERSION");
            if (pinned == null || pinned.isBlank()) {
                pinned = io.env().get("DOCKER_API_VERSION");
            }
            client = EngineClient.builder(endpoint())
                    .apiVersion(pinned)
                    .userAgent(USER_AGENT)
                    .debugLog(debug() ? line -> io.err().println("DEBU " + line) : null)
                    .tls(tlsSettings())
                    .build();
        }
        return client;
    }

    /** docker's config directory: {@code --config}, else {@code DOCKER_CONFIG}, else {@code ~/.docker}. */
    public Path configDir() {
        if (configDir != null) {
            return configDir;
        }
        String env = io.env().get("DOCKER_CONFIG");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String home = io.env().getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".docker");
    }

    public CredentialStore credentials() {
        if (credentials == null) {
            credentials = new DockerConfigCredentials(configDir());
        }
        return credentials;
    }

    public void debugLog(String message) {
        if (debug()) {
            io.err().println("DEBU " + message);
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        if (lean != null) {
            lean.close();
        }
    }

    private Boolean tls;
    private Boolean tlsVerify;
    private final java.util.Map<String, Path> tlsFiles = new java.util.HashMap<>();

    void tls(boolean on) {
        this.tls = on;
    }

    void tlsVerify(boolean on) {
        this.tlsVerify = on;
    }

    /** {@code tlscacert}, {@code tlscert} or {@code tlskey}. */
    void tlsFile(String flag, Path file) {
        tlsFiles.put(flag, file);
    }

    /**
     * docker's TLS options: {@code --tlsverify} (or {@code DOCKER_TLS_VERIFY}) implies {@code --tls};
     * the files default to ca.pem, cert.pem and key.pem in {@code DOCKER_CERT_PATH}, else the config
     * directory, and a default client pair is used only if it exists. Null for plain HTTP.
     */
    dev.berth.engine.client.EngineTls tlsSettings() {
        boolean verify = tlsVerify != null ? tlsVerify : notBlank(io.env().get("DOCKER_TLS_VERIFY"));
        boolean on = verify || (tls != null ? tls : notBlank(io.env().get("DOCKER_TLS")));
        if (!on) {
            return null;
        }
        String certPath = io.env().get("DOCKER_CERT_PATH");
        Path dir = notBlank(certPath) ? Path.of(certPath) : configDir();
        Path ca = tlsFiles.getOrDefault("tlscacert", dir.resolve("ca.pem"));
        Path cert = tlsFiles.getOrDefault("tlscert", dir.resolve("cert.pem"));
        Path key = tlsFiles.getOrDefault("tlskey", dir.resolve("key.pem"));
        boolean explicitPair = tlsFiles.containsKey("tlscert") || tlsFiles.containsKey("tlskey");
        if (!explicitPair && !(java.nio.file.Files.exists(cert) && java.nio.file.Files.exists(key))) {
            cert = null;
            key = null;
        }
        return new dev.berth.engine.client.EngineTls(verify ? ca : null, cert, key, verify);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private LeanEngine lean;

    /** The lean GETs of {@code ps} and {@code images}; null answers mean: ask {@link #client()} instead. */
    public LeanEngine lean() {
        if (lean == null) {
            lean = new LeanEngine(this);
        }
        return lean;
    }
}
