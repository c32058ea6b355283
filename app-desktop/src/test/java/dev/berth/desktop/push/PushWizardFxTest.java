package dev.berth.desktop.push;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.registries.RegistriesModel;
import dev.berth.desktop.registries.RegistriesView;
import dev.berth.desktop.registries.RegistryList;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.ui.Theme;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.client.RegistryLogins;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.LocalRegistry;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import dev.berth.desktop.FxWait;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import javax.imageio.ImageIO;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The push wizard through the UI, against a real engine and Debian's docker-registry with htpasswd
 * auth standing in for Docker Hub: add and sign in to the registry, browse and pull, open the wizard
 * from the registries view, a bad password then a good one inline, push (layers settle, digest and
 * pull command shown), pull back by digest; the registry stopped mid-push (at its first blob upload)
 * gives the network message with Retry, and Retry after restarting it succeeds. No trace of the password in the
 * desktop catalog or the logs. Screenshots of every step go to docs/screenshots/.
 */
@ExtendWith(ApplicationExtension.class)
class PushWizardFxTest {
    @TempDir
    static Path dir;
    static TestDaemon daemon;
    static LocalRegistry registry;
    static CuttingProxy proxy;
    static final StringBuilder LOGS = new StringBuilder();
    static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (LOGS) {
                LOGS.append(r.getLoggerName()).append(' ').append(new SimpleFormatter().format(r));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    EngineConnection engine;
    CredentialStore credentials;
    RegistriesView view;

    @BeforeAll
    static void start() throws Exception {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.ALL);
        root.addHandler(CAPTURE);
        // FAST: the stopped registry fails the push in well under a second instead of DEFAULT's backoff.
        daemon = TestDaemon.startWithRegistryRetry(dev.berth.registry.RetryPolicy.FAST);
        registry = LocalRegistry.start(LocalRegistry.Mode.HTPASSWD);
        registry.push(TestImages.busybox(), "pushwiz/app:1.0");
        proxy = new CuttingProxy(registry.port());
        synchronized (LOGS) {
            LOGS.setLength(0); // the fixture's htpasswd command line carries the password
        }
    }

    @AfterAll
    static void stop() throws Exception {
        Logger.getLogger("").removeHandler(CAPTURE);
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    @Start
    void start(Stage stage) {
        Theme.LIGHT.apply();
        FxUiExecutor ui = new FxUiExecutor();
        engine = new EngineConnection(EngineEndpoint.unix(daemon.socket()), ui, Duration.ofMillis(200));
        DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("desktop.db"));
        AppServices services = new AppServices(ui, engine, catalog);
        credentials = CredentialStore.dockerConfig(dir.resolve("docker"), List.of());
        view = new RegistriesView(services, new RegistriesModel(new RegistryList(catalog), engine.client(), credentials));
        stage.setScene(new Scene(view, 1100, 650));
        stage.show();
        engine.start();
    }

    static void shot(FxRobot robot, Node node, String name) throws Exception {
        Path out = Path.of(System.getProperty("user.dir")).resolve("../docs/screenshots").normalize();
        Files.createDirectories(out);
        var snap = new AtomicReference<javafx.scene.image.WritableImage>();
        robot.interact(() -> snap.set(node.snapshot(null, null)));
        ImageIO.write(SwingFXUtils.fromFXImage(snap.get(), null), "png", out.resolve(name + ".png").toFile());
    }

    /** Sets a field's text as typing would (robot typing costs seconds per field on a loaded machine). */
    static void type(FxRobot robot, String id, String text) {
        javafx.scene.control.TextInputControl field = robot.lookup(id).queryAs(javafx.scene.control.TextInputControl.class);
        robot.interact(() -> {
            field.requestFocus();
            field.setText(text);
        });
    }

    String text(FxRobot robot, String id) {
        Node n = robot.lookup(id).query();
        return n instanceof Label l ? l.getText() : ((TextField) n).getText();
    }

    void waitFor(FxRobot robot, String what, int seconds, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            FxWait.until(seconds, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            String wizard = robot.lookup("#push-message").tryQuery().map(n -> ((Label) n).getText()).orElse("-");
            throw new AssertionError("timed out waiting for " + what + "; registries: " + text(robot, "#registries-status")
                    + "; wizard: " + wizard, e);
        }
    }

    @Test
    void pushThroughTheWizardPullBackByDigestAndRetryAfterTheRegistryComesBack(FxRobot robot) throws Exception {
        // Everything the app and the engine send goes through the proxy, which can stop the registry mid-push.
        String host = "127.0.0.1:" + proxy.port();
        @SuppressWarnings("unchecked") ListView<RegistriesModel.Row> rows = robot.lookup("#registries-list").queryAs(ListView.class);
        waitFor(robot, "Docker Hub row", 20, () -> rows.getItems().size() == 1);
        type(robot, "#registries-address", host);
        robot.clickOn("#registries-add");
        waitFor(robot, "the added registry", 20, () -> rows.getItems().size() == 2);
        robot.interact(() -> rows.getSelectionModel().select(1));
        type(robot, "#registries-user", LocalRegistry.USER);
        type(robot, "#registries-password", LocalRegistry.PASSWORD);
        robot.clickOn("#registries-signin");
        waitFor(robot, "signed in", 20, () -> rows.getItems().size() == 2 && LocalRegistry.USER.equals(rows.getItems().get(1).user()));

        // Browse, then pull the tag with the images view's per-layer progress.
        robot.interact(() -> rows.getSelectionModel().select(1));
        robot.clickOn("#registries-browse");
        @SuppressWarnings("unchecked") ListView<String> repos = robot.lookup("#registries-repositories").queryAs(ListView.class);
        @SuppressWarnings("unchecked") ListView<String> tags = robot.lookup("#registries-tags").queryAs(ListView.class);
        waitFor(robot, "repositories", 20, () -> repos.getItems().contains("pushwiz/app"));
        robot.interact(() -> repos.getSelectionModel().select("pushwiz/app"));
        waitFor(robot, "tags", 20, () -> tags.getItems().contains("1.0"));
        robot.interact(() -> tags.getSelectionModel().select("1.0"));
        robot.clickOn("#registries-pull");
        String source = host + "/pushwiz/app:1.0";
        waitFor(robot, "pull", 30, () -> text(robot, "#registries-status").startsWith("Pulled " + source));
        ListView<?> pullLayers = robot.lookup("#registries-pull-layers").queryAs(ListView.class);
        assertFalse(pullLayers.getItems().isEmpty(), "the pull showed per-layer progress");

        // Signed out, so the wizard asks inline.
        robot.clickOn("#registries-signout");
        waitFor(robot, "signed out", 20, () -> rows.getItems().get(1).user() == null);
        robot.interact(() -> rows.getSelectionModel().select(1));
        robot.clickOn("#registries-push");
        waitFor(robot, "the wizard", 20, () -> wizard() != null && wizard().model.imageProperty().get() != null);
        PushWizard w = wizard();
        PushWizardModel m = w.model;
        assertEquals(source, m.imageProperty().get(), "pre-filled with the browsed tag");
        assertEquals(host, m.registryProperty().get());
        shot(robot, w.root, "push-wizard-1-image");

        robot.clickOn("#push-next");
        waitFor(robot, "target step", 10, () -> m.stepProperty().get() == PushWizardModel.Step.TARGET);
        type(robot, "#push-repository", "Pushwiz/Bad");
        waitFor(robot, "inline validation", 10, () -> text(robot, "#push-message").contains("not a valid repository name"));
        type(robot, "#push-repository", "pushwiz/pushed");
        type(robot, "#push-tag", "2");
        waitFor(robot, "a valid target", 10, () -> text(robot, "#push-preview").equals(host + "/pushwiz/pushed:2")
                && text(robot, "#push-message").isEmpty());
        shot(robot, w.root, "push-wizard-2-target");

        robot.clickOn("#push-next");
        waitFor(robot, "sign-in step", 20, () -> m.stepProperty().get() == PushWizardModel.Step.SIGN_IN);
        type(robot, "#push-user", LocalRegistry.USER);
        type(robot, "#push-password", "wrong-password");
        robot.clickOn("#push-signin");
        waitFor(robot, "rejection", 20, () -> text(robot, "#push-message")
                .startsWith("The user name or password was not accepted by " + host));
        shot(robot, w.root, "push-wizard-3-sign-in");
        type(robot, "#push-password", LocalRegistry.PASSWORD);
        robot.clickOn("#push-signin");

        String expected = TestImages.busybox().digest().toString();
        waitFor(robot, "the pushed digest", 60, () -> expected.equals(m.digestProperty().get()));
        assertEquals("Digest: " + expected, text(robot, "#push-digest"));
        String byDigest = host + "/pushwiz/pushed@" + expected;
        assertEquals("docker pull " + byDigest, text(robot, "#push-pull-command"));
        assertFalse(m.layers().isEmpty());
        assertTrue(m.layers().stream().allMatch(PushWizardModel.Layer::settled), m.layers().toString());
        assertTrue(engine.client().inspectImage(source).repoTags().contains(host + "/pushwiz/pushed:2"), "the wizard tagged it");
        shot(robot, w.root, "push-wizard-4-pushed");

        // Pull it back by digest, with the credentials the wizard stored.
        RegistryLogins logins = new RegistryLogins(engine.client(), credentials);
        try (var s = engine.client().pullImage(byDigest, null, logins.authFor(host))) {
            s.forEachRemaining(msg -> assertFalse(msg.isError(), msg.errorMessage()));
        }
        assertTrue(engine.client().inspectImage(byDigest).repoDigests().contains(byDigest));

        // The registry stops in the middle of the next push (at its first blob upload, after the layer
        // checks): a plain network message with Retry; once it is back, Retry succeeds.
        robot.clickOn("#push-back");
        waitFor(robot, "target step again", 10, () -> m.stepProperty().get() == PushWizardModel.Step.TARGET);
        type(robot, "#push-repository", "pushwiz/other");
        proxy.cutOn("POST /v2/pushwiz/other/blobs/uploads/", registry::kill);
        robot.clickOn("#push-next");
        waitFor(robot, "the network error", 90, () -> m.retryableProperty().get());
        assertTrue(proxy.triggered(), "the registry stopped during the push, not before it");
        assertTrue(text(robot, "#push-message").startsWith("The connection to " + host + " was lost"), text(robot, "#push-message"));
        assertTrue(robot.lookup("#push-retry").query().isVisible());
        assertTrue(m.digestProperty().get() == null);
        shot(robot, w.root, "push-wizard-5-network-error");
        registry.restart();
        robot.clickOn("#push-retry");
        waitFor(robot, "the retried push", 60, () -> expected.equals(m.digestProperty().get()));
        assertEquals("docker pull " + host + "/pushwiz/other@" + expected, text(robot, "#push-pull-command"));
        assertFalse(m.retryableProperty().get());
        shot(robot, w.root, "push-wizard-6-retried");

        // Nothing secret in Berth's own catalog or in what was logged.
        String b64 = Base64.getEncoder().encodeToString((LocalRegistry.USER + ":" + LocalRegistry.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        boolean listed = false;
        for (Path f : List.of(dir.resolve("desktop.db"), dir.resolve("desktop.db-wal"))) {
            if (Files.exists(f)) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(content.contains(LocalRegistry.PASSWORD), f + " holds the password");
                assertFalse(content.contains(b64), f + " holds the encoded password");
                listed |= content.contains(host);
            }
        }
        assertTrue(listed, "the catalog (file or WAL) holds the registry list, so the grep looked in the right place");
        synchronized (LOGS) {
            assertFalse(LOGS.toString().contains(LocalRegistry.PASSWORD), "logs hold the password");
            assertFalse(LOGS.toString().contains(b64), "logs hold the encoded password");
            assertFalse(LOGS.toString().contains("wrong-password"), "logs hold the rejected password");
        }
        robot.interact(w::close);
        engine.close();
    }

    static PushWizard wizard() {
        return Window.getWindows().stream().filter(PushWizard.class::isInstance).map(PushWizard.class::cast)
                .findFirst().orElse(null);
    }
}
