package dev.berth.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.format.GoJson;
import dev.berth.engine.client.model.AuthConfig;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * A small reader and writer of the {@code auths} section of docker's {@code config.json}, so that
 * {@code berth login} and {@code docker login} share credentials. Other settings in the file are
 * kept as they are.
 *
 * <p>TODO(registry): replace with {@code dev.berth.registry.DockerConfigFile} once core-registry
 * has it: that class owns config.json, credential helpers and {@code credsStore}. Until then, a
 * server that config.json hands to a credential helper is refused for storing and read as
 * anonymous, rather than silently written to the file instead of the helper.
 */
public final class ConfigFileCredentials implements CredentialStore {
    private final Path file;

    public ConfigFileCredentials(Path configDir) {
        this.file = configDir.resolve("config.json");
    }

    public Path file() {
        return file;
    }

    @Override
    public AuthConfig forRegistry(String registryHost) {
        AuthConfig found = get(CredentialStore.serverFor(registryHost));
        return found == null ? AuthConfig.ANONYMOUS : found;
    }

    @Override
    public AuthConfig get(String serverAddress) {
        ObjectNode config = read();
        if (helperFor(config, serverAddress) != null) {
            return null; // TODO(registry): ask the credential helper via DockerConfigFile
        }
        JsonNode auths = config.path("auths");
        JsonNode entry = auths.get(serverAddress);
        String key = serverAddress;
        if (entry == null) {
            String host = CredentialStore.toHostname(serverAddress);
            for (Iterator<Map.Entry<String, JsonNode>> it = auths.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (CredentialStore.toHostname(e.getKey()).equals(host)) {
                    entry = e.getValue();
                    key = e.getKey();
                    break;
                }
            }
        }
        if (entry == null || !entry.isObject()) {
            return null;
        }
        String username = null;
        String password = null;
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw BerthException.invalid("invalid credentials for " + key + " in " + file + ": auth is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw BerthException.invalid("invalid credentials for " + key + " in " + file + ": auth is not user:password");
            }
            username = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        String token = entry.path("identitytoken").asText("");
        return new AuthConfig(emptyToNull(username), emptyToNull(password), key, emptyToNull(token), null);
    }

    @Override
    public void store(AuthConfig auth) {
        ObjectNode config = read();
        String server = auth.serverAddress();
        String helper = helperFor(config, server);
        if (helper != null) {
            throw new BerthException(ErrorCategory.NOT_IMPLEMENTED, "Error saving credentials: " + file + " sends "
                    + server + " to the credential helper docker-credential-" + helper
                    + ", which berth cannot use yet; log in with docker, or remove the helper from " + file);
        }
        ObjectNode auths = config.has("auths") && config.get("auths").isObject()
                ? (ObjectNode) config.get("auths") : config.putObject("auths");
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        String user = auth.username() == null ? "" : auth.username();
        String secret = auth.password() == null ? "" : auth.password();
        entry.put("auth", Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        if (auth.identityToken() != null && !auth.identityToken().isEmpty()) {
            entry.put("identitytoken", auth.identityToken());
        }
        auths.set(server, entry);
        write(config);
    }

    @Override
    public boolean erase(String serverAddress) {
        ObjectNode config = read();
        JsonNode auths = config.get("auths");
        if (auths instanceof ObjectNode o && o.has(serverAddress)) {
            o.remove(serverAddress);
            write(config);
            return true;
        }
        return false;
    }

    private static String helperFor(ObjectNode config, String server) {
        JsonNode helpers = config.path("credHelpers");
        JsonNode helper = helpers.get(CredentialStore.toHostname(server));
        if (helper != null && helper.isTextual() && !helper.asText().isEmpty()) {
            return helper.asText();
        }
        JsonNode store = config.get("credsStore");
        return store != null && store.isTextual() && !store.asText().isEmpty() ? store.asText() : null;
    }

    private ObjectNode read() {
        if (!Files.exists(file)) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
                return JsonNodeFactory.instance.objectNode();
            }
            JsonNode node = Json.MAPPER.readTree(bytes);
            if (!(node instanceof ObjectNode o)) {
                throw BerthException.invalid(file + " is not a JSON object");
            }
            return o;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw BerthException.invalid("cannot read " + file + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw BerthException.system("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes to a temporary file next to config.json, readable by the owner only, then renames it over. */
    private void write(ObjectNode config) {
        try {
            Path dir = file.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = Files.createTempFile(dir, "config.json", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                // Tab-indented, as the docker CLI writes the file.
                String json = GoJson.indent(Json.MAPPER.writeValueAsString(config), "\t") + "\n";
                Files.writeString(tmp, json);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw BerthException.system("Error saving credentials: " + e.getMessage(), e);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
