package dev.berth.desktop.push;

import dev.berth.desktop.core.UiExecutor;
import dev.berth.desktop.registries.RegistryList;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.client.RegistryLogins;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.LocalRegistry;
import dev.berth.registry.RetryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The push wizard's path (model, engine backend, the engine's /auth and push) against a registry with
 * Docker Hub's token auth (a bearer-token server in front of docker-registry), not only htpasswd:
 * sign in inline, push, pull back by digest.
 */
class TokenRegistryPushWizardTest {
    static TestDaemon daemon;
    static LocalRegistry registry;
    static EngineClient engine;
    static String seeded;

    @BeforeAll
    static void start() throws Exception {
        daemon = TestDaemon.startWithRegistryRetry(RetryPolicy.FAST);
        registry = LocalRegistry.start(LocalRegistry.Mode.TOKEN);
        seeded = registry.push(TestImages.busybox(), "flow6/tokseed:1");
        engine = EngineClient.create(EngineEndpoint.unix(daemon.socket()));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (registry != null) {
                registry.close();
            }
        } finally {
            if (daemon != null) {
                daemon.close();
            }
        }
    }

    @Test
    void signInInlinePushAndPullBackByDigestThroughTokenAuth(@TempDir Path dir) throws Exception {
        String host = registry.host();
        CredentialStore credentials = CredentialStore.dockerConfig(dir.resolve("docker"), List.of());
        RegistryLogins logins = new RegistryLogins(engine, credentials);
        logins.signIn(host, LocalRegistry.USER, LocalRegistry.PASSWORD);
        try (var s = engine.pullImage(seeded, null, logins.authFor(host))) {
            s.forEachRemaining(m -> assertFalse(m.isError(), m.errorMessage()));
        }
        logins.signOut(host);

        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("desktop.db"))) {
            new RegistryList(catalog).add(host, false);
            PushWizardModel m = new PushWizardModel(new EngineBackend(engine, catalog, credentials), UiExecutor.synchronous());
            m.load(seeded, host);
            assertEquals(host, m.registryProperty().get());
            m.next();
            assertEquals(PushWizardModel.Step.TARGET, m.stepProperty().get());
            m.repositoryProperty().set("flow6/tokpushed");
            m.tagProperty().set("2");
            m.next();
            assertEquals(PushWizardModel.Step.SIGN_IN, m.stepProperty().get(), "not signed in: the wizard asks");
            m.signIn(LocalRegistry.USER, "wrong-password");
            assertEquals(PushWizardModel.Step.SIGN_IN, m.stepProperty().get());
            assertTrue(m.messageProperty().get().startsWith("The user name or password was not accepted"), m.messageProperty().get());
            m.signIn(LocalRegistry.USER, LocalRegistry.PASSWORD);
            String expected = TestImages.busybox().digest().toString();
            assertEquals(expected, m.digestProperty().get(), m.messageProperty().get());
            String byDigest = host + "/flow6/tokpushed@" + expected;
            assertEquals("docker pull " + byDigest, m.pullCommandProperty().get());
            assertTrue(m.layers().stream().allMatch(PushWizardModel.Layer::settled), m.layers().toString());

            engine.removeImage(seeded, true, false);
            try (var s = engine.pullImage(byDigest, null, logins.authFor(host))) {
                s.forEachRemaining(msg -> assertFalse(msg.isError(), msg.errorMessage()));
            }
            assertTrue(engine.inspectImage(byDigest).repoDigests().contains(byDigest));
        }
    }
}
