package dev.berth.desktop.push;

import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.client.RegistryLogins;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.errors.BerthException;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The push wizard's model against a real engine and an htpasswd registry; pull back by digest. */
class RegsPushModelTest {
    static TestDaemon daemon;
    static LocalRegistry registry;
    static EngineClient engine;
    static String seeded;

    @BeforeAll
    static void start() throws Exception {
        daemon = TestDaemon.start();
        registry = LocalRegistry.start(LocalRegistry.Mode.HTPASSWD);
        seeded = registry.push(TestImages.busybox(), "regs/seed:1");
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
    void notSignedInThenSignedInPushTagsReportsLayersAndPullsBackByDigest(@TempDir Path config) throws Exception {
        RegistryLogins logins = new RegistryLogins(engine, CredentialStore.dockerConfig(config, List.of()));
        logins.signIn(registry.host(), LocalRegistry.USER, LocalRegistry.PASSWORD);
        try (var s = engine.pullImage(seeded, null, logins.authFor(registry.host()))) {
            s.forEachRemaining(m -> { });
        }
        logins.signOut(registry.host());
        PushModel model = new PushModel(engine, logins);
        PushTarget target = PushTarget.on(registry.host(), "regs/pushed", "2");

        BerthException denied = assertThrows(BerthException.class, () -> model.push(seeded, target, p -> { }));
        assertTrue(denied.getMessage().startsWith("Not signed in to " + registry.host())
                || denied.getMessage().startsWith("Sign in to " + registry.host()), denied.getMessage());

        logins.signIn(registry.host(), LocalRegistry.USER, LocalRegistry.PASSWORD);
        List<PushModel.Progress> seen = new ArrayList<>();
        String digest = model.push(seeded, target, seen::add);
        assertEquals(TestImages.busybox().digest().toString(), digest);
        assertTrue(engine.inspectImage(seeded).repoTags().contains(target.reference()), "the wizard tagged the image");
        var layers = seen.getLast().layers();
        assertTrue(!layers.isEmpty() && layers.values().stream().allMatch(s -> s.startsWith("Mounted from")
                || s.equals("Layer already exists") || s.equals("Pushed")), layers.toString());

        String byDigest = registry.host() + "/regs/pushed@" + digest;
        try (var s = engine.pullImage(byDigest, null, logins.authFor(registry.host()))) {
            s.forEachRemaining(m -> assertTrue(!m.isError(), m.errorMessage()));
        }
        assertTrue(engine.inspectImage(byDigest).repoDigests().contains(byDigest));
        assertEquals("docker pull " + byDigest, target.pullCommand(digest));

        // Pushed again under another tag: the registry has every blob, and each layer says so in Docker's words.
        List<PushModel.Progress> again = new ArrayList<>();
        PushTarget retag = PushTarget.on(registry.host(), "regs/pushed", "3");
        assertEquals(digest, model.push(seeded, retag, again::add));
        var repeated = again.getLast().layers();
        assertTrue(!repeated.isEmpty() && repeated.values().stream().allMatch("Layer already exists"::equals),
                repeated.toString());
    }
}
