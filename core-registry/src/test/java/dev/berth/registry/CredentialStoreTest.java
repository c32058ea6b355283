package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.images.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialStoreTest {
    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAuthsIdentityTokensAndDockerHubsLegacyKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), """
                {"auths": {
                  "https://index.docker.io/v1/": {"auth": "%s"},
                  "localhost:5000": {"auth": "%s"},
                  "https://ghcr.io": {"auth": "%s", "identitytoken": "refresh-me"}
                }}""".formatted(b64("hubuser:hubpass"), b64("local:pw:with:colons"), b64("gh:")));
        CredentialStore store = CredentialStore.dockerConfig(dir, List.of());
        assertEquals(Credential.basic("hubuser", "hubpass"), store.get("docker.io"));
        assertEquals(Credential.basic("local", "pw:with:colons"), store.get("localhost:5000"));
        Credential gh = store.get("ghcr.io");
        assertTrue(gh.hasIdentityToken());
        assertEquals("refresh-me", gh.identityToken());
        assertTrue(store.get("quay.io").isAnonymous());
        assertFalse(store.get("docker.io").toString().contains("hubpass"), "toString never shows secrets");
    }

    @Test
    void missingFileMeansAnonymous(@TempDir Path dir) {
        assertTrue(CredentialStore.dockerConfig(dir.resolve("nope"), List.of()).get("docker.io").isAnonymous());
    }

    @Test
    void storeAndErasePreserveUnknownFieldsAndWriteMode0600(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), """
                {"proxies": {"default": {"httpProxy": "http://proxy:3128"}}, "detachKeys": "ctrl-x",
                 "auths": {"other:1": {"auth": "%s"}}}""".formatted(b64("o:p")));
        CredentialStore store = CredentialStore.dockerConfig(dir, List.of());
        store.store("localhost:5000", Credential.basic("me", "secret"));
        store.store("docker.io", Credential.identityToken("hub", "tok"));
        JsonNode json = Json.MAPPER.readTree(dir.resolve("config.json").toFile());
        assertEquals("ctrl-x", json.get("detachKeys").asText());
        assertEquals("http://proxy:3128", json.at("/proxies/default/httpProxy").asText());
        assertEquals(b64("me:secret"), json.at("/auths/localhost:5000/auth").asText());
        assertEquals("tok", json.get("auths").get("https://index.docker.io/v1/").get("identitytoken").asText());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("config.json"))));
        assertEquals(Credential.basic("me", "secret"), store.get("localhost:5000"));
        assertEquals(Credential.basic("o", "p"), store.get("other:1"));

        assertTrue(store.erase("localhost:5000"));
        assertFalse(store.erase("localhost:5000"));
        assertTrue(store.get("localhost:5000").isAnonymous());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("config.json")), files.toList(), "no temp file left behind");
        }
    }

    /** A docker-credential helper in shell: stores secrets in a file, speaks the real protocol. */
    private static Path writeHelper(Path bin, String name) throws Exception {
        Files.createDirectories(bin);
        Path helper = bin.resolve("docker-credential-" + name);
        Path db = bin.resolve(name + ".db");
        Files.writeString(helper, """
                #!/bin/sh
                db="%s"
                case "$1" in
                  get) read -r server
                       line=$(grep -F "$server " "$db" 2>/dev/null | tail -n1)
                       if [ -z "$line" ]; then echo "credentials not found in native keychain"; exit 1; fi
                       set -- $line
                       printf '{"ServerURL":"%%s","Username":"%%s","Secret":"%%s"}\\n' "$1" "$2" "$3" ;;
                  store) json=$(cat)
                       server=$(echo "$json" | sed 's/.*"ServerURL":"\\([^"]*\\)".*/\\1/')
                       user=$(echo "$json" | sed 's/.*"Username":"\\([^"]*\\)".*/\\1/')
                       secret=$(echo "$json" | sed 's/.*"Secret":"\\([^"]*\\)".*/\\1/')
                       echo "$server $user $secret" >> "$db" ;;
                  erase) read -r server
                       grep -vF "$server " "$db" > "$db.new" 2>/dev/null; mv "$db.new" "$db" ;;
                  *) exit 2 ;;
                esac
                """.formatted(db));
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return helper;
    }

    @Test
    void credentialHelpersAreUsedPerRegistryAndAsTheDefaultStore(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("bin");
        writeHelper(bin, "pass");
        writeHelper(bin, "special");
        Files.writeString(dir.resolve("config.json"), """
                {"credsStore": "pass", "credHelpers": {"special.example:5000": "special"}, "auths": {}}""");
        CredentialStore store = CredentialStore.dockerConfig(dir, List.of(bin));

        store.store("localhost:5000", Credential.basic("alice", "pw1"));
        store.store("special.example:5000", Credential.basic("bob", "pw2"));
        store.store("docker.io", Credential.identityToken(null, "idtok"));
        assertEquals(Credential.basic("alice", "pw1"), store.get("localhost:5000"));
        assertEquals(Credential.basic("bob", "pw2"), store.get("special.example:5000"));
        assertTrue(Files.readString(bin.resolve("special.db")).contains("bob"));
        assertFalse(Files.readString(bin.resolve("pass.db")).contains("bob"));
        Credential hub = store.get("docker.io");
        assertTrue(hub.hasIdentityToken(), "<token> username means an identity token");
        assertEquals("idtok", hub.identityToken());
        String config = Files.readString(dir.resolve("config.json"));
        assertFalse(config.contains("pw1"), "a helper keeps the secret out of config.json");
        assertTrue(Json.MAPPER.readTree(config).at("/auths/localhost:5000").isObject());

        assertTrue(store.get("unknown.example").isAnonymous(), "helper's not-found is anonymous, not an error");
        store.erase("localhost:5000");
        assertTrue(store.get("localhost:5000").isAnonymous());
    }
}
