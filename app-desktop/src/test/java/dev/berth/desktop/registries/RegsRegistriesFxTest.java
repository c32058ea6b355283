package dev.berth.desktop.registries;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.ui.Theme;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.LocalRegistry;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.stage.Stage;
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
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registries view against a real htpasswd registry and a real engine: add it, sign in, browse
 * repositories, tags and details, pull by tag; then no trace of the password in the desktop catalog or
 * the logs.
 */
@ExtendWith(ApplicationExtension.class)
class RegsRegistriesFxTest {
    @TempDir
    static Path dir;
    static TestDaemon daemon;
    static LocalRegistry registry;
    static String pushed;
    static final StringBuilder LOGS = new StringBuilder();
    static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (LOGS) {
                LOGS.append(r.getLoggerName()).append(' ').append(r.getLevel()).append(' ')
                        .append(new SimpleFormatter().format(r));
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
    RegistriesView view;

    @BeforeAll
    static void start() throws Exception {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.ALL);
        root.addHandler(CAPTURE);
        daemon = TestDaemon.start();
        registry = LocalRegistry.start(LocalRegistry.Mode.HTPASSWD);
        pushed = registry.push(TestImages.busybox(), "regs/app:1.0");
        synchronized (LOGS) {
            // The fixture's own htpasswd command line carries the password (the JDK logs it at FINER);
            // what matters is everything the app and the engine log from here on.
            LOGS.setLength(0);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        Logger.getLogger("").removeHandler(CAPTURE);
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
        Path dockerConfig = dir.resolve("docker");
        RegistriesModel model = new RegistriesModel(new RegistryList(catalog), engine.client(),
                CredentialStore.dockerConfig(dockerConfig, List.of()));
        view = new RegistriesView(services, model);
        stage.setScene(new Scene(view, 1100, 650));
        stage.show();
        engine.start();
    }

    static void shot(FxRobot robot, Node node, String name) throws Exception {
        Path out = Path.of(System.getProperty("user.dir")).resolve("../docs/screenshots").normalize();
        Files.createDirectories(out);
        var snap = new java.util.concurrent.atomic.AtomicReference<javafx.scene.image.WritableImage>();
        robot.interact(() -> snap.set(node.snapshot(null, null)));
        ImageIO.write(SwingFXUtils.fromFXImage(snap.get(), null), "png", out.resolve(name + ".png").toFile());
    }

    void waitFor(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            FxWait.until(20, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "; status: " + view.status.getText(), e);
        }
    }

    @Test
    void addSignInBrowseAndPullWithoutLeakingThePassword(FxRobot robot) throws Exception {
        String host = registry.host();
        waitFor("Docker Hub row", () -> view.registries.getItems().size() == 1);
        robot.clickOn("#registries-address").write(host);
        robot.clickOn("#registries-add");
        waitFor("the added registry", () -> view.registries.getItems().size() == 2);
        robot.interact(() -> view.registries.getSelectionModel().select(1));
        assertTrue(view.registries.getItems().get(1).registry().tlsMode().startsWith("plain HTTP"));

        // Browsing before sign-in says so plainly.
        robot.clickOn("#registries-browse");
        waitFor("sign-in message", () -> view.status.getText().startsWith("Sign in to " + host));
        shot(robot, view, "registries-1-added");

        robot.clickOn("#registries-user").write(LocalRegistry.USER);
        robot.clickOn("#registries-password").write("wrong-password");
        robot.clickOn("#registries-signin");
        waitFor("rejection", () -> view.status.getText().contains("not accepted"));

        robot.clickOn("#registries-password").write(LocalRegistry.PASSWORD);
        robot.clickOn("#registries-signin");
        waitFor("signed in", () -> view.registries.getItems().size() == 2 && LocalRegistry.USER.equals(
                view.registries.getItems().get(1).user()));
        shot(robot, view, "registries-2-signed-in");
        // Kept where the docker CLI keeps it: config.json's "auths", base64 of user:password as docker writes it.
        var auths = dev.berth.images.Json.MAPPER.readTree(dir.resolve("docker").resolve("config.json").toFile()).path("auths");
        assertTrue(auths.path(host).path("auth").asText().equals(Base64.getEncoder().encodeToString(
                (LocalRegistry.USER + ":" + LocalRegistry.PASSWORD).getBytes(StandardCharsets.UTF_8))), auths.toString());

        robot.interact(() -> view.registries.getSelectionModel().select(1));
        robot.clickOn("#registries-browse");
        waitFor("repositories", () -> view.repositories.getItems().contains("regs/app"));
        robot.interact(() -> view.repositories.getSelectionModel().select("regs/app"));
        waitFor("tags", () -> view.tags.getItems().contains("1.0"));
        robot.interact(() -> view.tags.getSelectionModel().select("1.0"));
        String digest = TestImages.busybox().digest().toString();
        waitFor("details", () -> view.details.getText().contains(digest) && view.details.getText().contains("Created: 2024-01-01"));
        shot(robot, view, "registries-3-browse");

        robot.clickOn("#registries-pull");
        waitFor("pull", () -> view.status.getText().startsWith("Pulled " + host + "/regs/app:1.0"));
        assertTrue(engine.client().inspectImage(pushed).repoTags().contains(pushed));

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
            String logs = LOGS.toString();
            int at = logs.indexOf(LocalRegistry.PASSWORD);
            assertFalse(at >= 0, () -> "logs hold the password: " + logs.substring(Math.max(0, at - 1500), at + 100));
            assertFalse(LOGS.toString().contains(b64), "logs hold the encoded password");
        }
        engine.close();
    }
}
