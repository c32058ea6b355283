package dev.berth.engine.client;

import dev.berth.engine.testing.TestDaemon;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The desktop's sign-in path: the engine's POST /auth against a real htpasswd registry, then the
 * docker CLI's config.json, inline or through a {@code credsStore} helper.
 */
class RegistryLoginsTest {
    static TestDaemon daemon;
    static LocalRegistry registry;
    static EngineClient engine;

    @BeforeAll
    static void start() throws Exception {
        daemon = TestDaemon.start();
        registry = LocalRegistry.start(LocalRegistry.Mode.HTPASSWD);
        engine = EngineClient.create(EngineEndpoint.unix(daemon.socket()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void signInStoresInConfigJsonAsDockerDoesAndRejectsBadPasswordsWithoutStoring(@TempDir Path config) throws Exception {
        RegistryLogins logins = new RegistryLogins(engine, CredentialStore.dockerConfig(config, List.of()));
        BerthException bad = assertThrows(BerthException.class,
                () -> logins.signIn(registry.host(), LocalRegistry.USER, "wrong-password"));
        assertEquals(ErrorCategory.UNAUTHORIZED, bad.category());
        assertFalse(Files.exists(config.resolve("config.json")), "nothing stored after a rejected sign-in");

        assertEquals("Login Succeeded", logins.signIn(registry.host(), LocalRegistry.USER, LocalRegistry.PASSWORD));
        String json = Files.readString(config.resolve("config.json"));
        String auth = Base64.getEncoder().encodeToString((LocalRegistry.USER + ":" + LocalRegistry.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(json.contains("\"" + registry.host() + "\": {\n\t\t\t\"auth\": \"" + auth + "\""), json);
        assertEquals(LocalRegistry.USER, logins.user(registry.host()).orElseThrow());
        assertEquals(LocalRegistry.PASSWORD, logins.authFor(registry.host()).password());

        assertTrue(logins.signOut(registry.host()));
        assertTrue(logins.user(registry.host()).isEmpty());
        assertFalse(Files.readString(config.resolve("config.json")).contains(auth));
    }

    @Test
    void credsStoreHelperHoldsTheSecretAndConfigJsonOnlyAnEmptyEntry(@TempDir Path dir) throws Exception {
        Path config = Files.createDirectories(dir.resolve("docker"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path db = bin.resolve("store.db");
        Path helper = bin.resolve("docker-credential-regstest");
        // A fake of the docker-credential-helpers protocol: action as argument, input on stdin, JSON out.
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
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(config.resolve("config.json"), "{\"credsStore\": \"regstest\", \"detachKeys\": \"ctrl-x\"}");
        RegistryLogins logins = new RegistryLogins(engine, CredentialStore.dockerConfig(config, List.of(bin)));

        logins.signIn(registry.host(), LocalRegistry.USER, LocalRegistry.PASSWORD);
        String json = Files.readString(config.resolve("config.json"));
        assertFalse(json.contains(LocalRegistry.PASSWORD), json);
        assertFalse(json.contains(Base64.getEncoder().encodeToString(LocalRegistry.PASSWORD.getBytes(StandardCharsets.UTF_8))));
        assertTrue(json.replaceAll("\\s", "").contains("\"" + registry.host() + "\":{}"), json);
        assertTrue(json.contains("ctrl-x"), "fields Berth does not know survive");
        assertTrue(Files.readString(db).contains(registry.host() + " " + LocalRegistry.USER + " " + LocalRegistry.PASSWORD));
        assertEquals(LocalRegistry.USER, logins.user(registry.host()).orElseThrow());
        assertEquals(LocalRegistry.PASSWORD, logins.authFor(registry.host()).password());

        assertTrue(logins.signOut(registry.host()));
        assertFalse(Files.readString(db).contains(LocalRegistry.PASSWORD));
        assertTrue(logins.user(registry.host()).isEmpty());
    }
}
