package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;
import dev.berth.images.store.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The docker CLI's {@code config.json}. Kept as a JSON tree so that a write preserves every field
 * Berth does not know (proxies, plugins, detachKeys…): the file belongs to the user and to docker too.
 * Writes are atomic (temp file, then rename) and the file is mode 0600, as the CLI makes it, because
 * {@code auths} holds base64 passwords.
 */
public final class DockerConfigFile {
    public static final String FILE_NAME = "config.json";
    /** The key the docker CLI uses for Docker Hub, for historical reasons. */
    public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    /** One {@code auths} entry, decoded. Empty when a credential helper holds the secret. */
    public record AuthEntry(String username, String password, String identityToken) {
        public Credential toCredential() {
            return new Credential(username, password, identityToken);
        }

        public boolean isEmpty() {
            return username == null && password == null && identityToken == null;
        }
    }

    private final Path file;
    private final ObjectNode root;

    private DockerConfigFile(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    /** Loads {@code dir/config.json}; a missing file reads as empty. */
    public static DockerConfigFile load(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            byte[] bytes = Files.readAllBytes(file);
            JsonNode tree = bytes.length == 0 ? null : Json.MAPPER.readTree(bytes);
            if (tree != null && !tree.isObject()) {
                throw BerthException.invalid(file + ": expected a JSON object");
            }
            return new DockerConfigFile(file, tree == null ? Json.MAPPER.createObjectNode() : (ObjectNode) tree);
        } catch (NoSuchFileException e) {
            return new DockerConfigFile(file, Json.MAPPER.createObjectNode());
        } catch (IOException e) {
            throw BerthException.invalid("loading " + file + ": " + Json.describe(e));
        }
    }

    /** The config directory as the docker CLI finds it: {@code $DOCKER_CONFIG}, else {@code ~/.docker}. */
    public static Path defaultDirectory() {
        String env = System.getenv("DOCKER_CONFIG");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".docker");
    }

    public Path path() {
        return file;
    }

    public Optional<String> credsStore() {
        return Optional.ofNullable(text(root.get("credsStore")));
    }

    public Map<String, String> credHelpers() {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode helpers = root.get("credHelpers");
        if (helpers != null && helpers.isObject()) {
            helpers.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    /** Every {@code auths} entry, decoded, keyed as written (a host, or a URL for Docker Hub). */
    public Map<String, AuthEntry> auths() {
        Map<String, AuthEntry> out = new LinkedHashMap<>();
        JsonNode auths = root.get("auths");
        if (auths != null && auths.isObject()) {
            auths.properties().forEach(e -> out.put(e.getKey(), decode(e.getKey(), e.getValue())));
        }
        return out;
    }

    private AuthEntry decode(String key, JsonNode entry) {
        String user = text(entry.get("username"));
        String password = text(entry.get("password"));
        String auth = text(entry.get("auth"));
        if (auth != null && !auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw BerthException.invalid(file + ": the auth for " + key + " is not valid base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw BerthException.invalid(file + ": the auth for " + key + " is not user:password");
            }
            user = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        return new AuthEntry(user, password, text(entry.get("identitytoken")));
    }

    /** Writes credentials into {@code auths} the way the CLI does: {@code auth} and {@code identitytoken}. */
    public void putAuth(String key, Credential credential) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        if (credential.hasIdentityToken()) {
            // The CLI keeps the user name so `docker login` can show it, but no password.
            entry.put("auth", Base64.getEncoder().encodeToString(
                    (nullToEmpty(credential.username()) + ":").getBytes(StandardCharsets.UTF_8)));
            entry.put("identitytoken", credential.identityToken());
        } else if (!credential.isAnonymous()) {
            entry.put("auth", Base64.getEncoder().encodeToString(
                    (nullToEmpty(credential.username()) + ":" + nullToEmpty(credential.password()))
                            .getBytes(StandardCharsets.UTF_8)));
        }
        root.withObjectProperty("auths").set(key, entry);
    }

    /** Records that a helper holds the secret for {@code key}: an empty entry, as docker writes. */
    public void putEmptyAuth(String key) {
        root.withObjectProperty("auths").set(key, Json.MAPPER.createObjectNode());
    }

    public boolean removeAuth(String key) {
        JsonNode auths = root.get("auths");
        return auths instanceof ObjectNode o && o.remove(key) != null;
    }

    /** Go's json.MarshalIndent with a tab, as the docker CLI writes config.json, so diffs stay small. */
    private static final com.fasterxml.jackson.core.util.DefaultPrettyPrinter DOCKER_STYLE =
            new com.fasterxml.jackson.core.util.DefaultPrettyPrinter(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER))
                    .withObjectIndenter(new com.fasterxml.jackson.core.util.DefaultIndenter("\t", "\n"))
                    .withArrayIndenter(new com.fasterxml.jackson.core.util.DefaultIndenter("\t", "\n"));

    /** Atomically replaces the file, mode 0600, creating the directory (0700) if needed. */
    public void save() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException ignored) {
                // A racing writer made it; fine.
            }
        }
        String text = Json.MAPPER.writer(DOCKER_STYLE).writeValueAsString(root) + "\n";
        AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
