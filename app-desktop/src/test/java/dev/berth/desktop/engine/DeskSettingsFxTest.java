package dev.berth.desktop.engine;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.store.DesktopCatalog.SavedConnection;
import dev.berth.desktop.system.LoginAutostart;
import dev.berth.desktop.ui.SettingsView;
import dev.berth.desktop.ui.Theme;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.testing.TestDaemon;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import dev.berth.desktop.FxWait;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settings driven by clicks and typing: a TLS tcp:// connection added with its CA, certificate and key
 * files and made active (the app then talks to a real daemon behind a TLS endpoint that requires the
 * client certificate); a file that cannot be read is refused in words; "Start at login" writes and
 * removes the XDG autostart entry, and a failure to write it says why and leaves the box unticked.
 * None of it (building the view included) uses the catalog on the FX thread.
 */
@ExtendWith(ApplicationExtension.class)
class DeskSettingsFxTest {
    @TempDir
    static Path dir;
    static TestDaemon daemon;
    static TlsProxy proxy;
    static Path configHome;
    FxUiExecutor ui;
    EngineConnection connection;
    DesktopCatalog catalog;
    ScrollPane scroll;
    /** Where the catalog was used on the FX thread (it must not be: a read can wait seconds behind a writer). */
    final java.util.List<String> fxCatalogUse = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        javax.net.ssl.SSLContext ctx = TlsFiles.create(dir, "desk5-client");
        daemon = TestDaemon.start();
        proxy = new TlsProxy(ctx, daemon.socket());
        configHome = Files.createDirectories(dir.resolve("config"));
        // LoginAutostart.forUser() reads this instead of XDG_CONFIG_HOME, which a running JVM cannot change
        System.setProperty("berth.xdgConfigHome", configHome.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("berth.xdgConfigHome");
        if (proxy != null) {
            proxy.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    @Start
    void show(Stage stage) {
        Theme.LIGHT.apply();
        ui = new FxUiExecutor();
        catalog = DesktopCatalog.open(dir.resolve("settings.db"));
        catalog.watchAccess(t -> {
            if (javafx.application.Platform.isFxApplicationThread()) {
                fxCatalogUse.add(java.util.Arrays.stream(new Throwable().getStackTrace()).limit(12)
                        .map(String::valueOf).collect(java.util.stream.Collectors.joining("\n  ")));
            }
        });
        // connected to nothing at first: the TLS connection added in the view is what reaches the engine
        connection = new EngineConnection(EngineEndpoint.unix(dir.resolve("nothing.sock")), ui, Duration.ofMillis(200));
        scroll = new ScrollPane(new SettingsView(new AppServices(ui, connection, catalog)));
        scroll.setFitToWidth(true);
        stage.setScene(new Scene(scroll, 1100, 880));
        stage.sizeToScene();
        stage.show();
        connection.start();
    }

    @AfterEach
    void close() {
        try {
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(java.util.List.of(), fxCatalogUse, "catalog use on the FX thread");
        } finally {
            connection.close();
            ui.close();
            catalog.close();
        }
    }

    private static void waitFor(String what, Callable<Boolean> c) throws Exception {
        try {
            FxWait.until(15, c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for: " + what, e);
        }
    }

    private static void type(FxRobot robot, String field, String text) {
        robot.clickOn(field);
        robot.interact(() -> robot.lookup(field).queryAs(javafx.scene.control.TextField.class).clear());
        robot.write(text);
    }

    @Test
    void aTlsConnectionTypedIntoSettingsIsSavedAndConnectsWithTheClientCertificate(FxRobot robot) throws Exception {
        String host = "tcp://127.0.0.1:" + proxy.port();
        Label error = robot.lookup("#settings-connection-error").queryAs(Label.class);

        // a CA file that is not there: refused in words, nothing saved
        type(robot, "#settings-connection-name", "desk5-tls");
        type(robot, "#settings-connection-host", host);
        type(robot, "#settings-connection-tlscacert", dir.resolve("missing.pem").toString());
        robot.clickOn("#settings-connection-add");
        waitFor("the refusal", () -> error.getText().contains("Cannot read"));
        assertTrue(catalog.connections().stream().noneMatch(c -> c.name().equals("desk5-tls")), "nothing saved");

        type(robot, "#settings-connection-tlscacert", dir.resolve("ca.pem").toString());
        type(robot, "#settings-connection-tlscert", dir.resolve("cert.pem").toString());
        type(robot, "#settings-connection-tlskey", dir.resolve("key.pem").toString());
        robot.clickOn("#settings-connection-add");
        waitFor("the saved row", () -> robot.lookup(".list-cell").queryAll().stream()
                .anyMatch(c -> String.valueOf(((ListCell<?>) c).getText()).contains("desk5-tls")));
        assertEquals("", error.getText());
        ListCell<?> row = robot.lookup(".list-cell").queryAll().stream().map(c -> (ListCell<?>) c)
                .filter(c -> String.valueOf(c.getText()).contains("desk5-tls")).findFirst().orElseThrow();
        assertTrue(row.getText().contains(host) && row.getText().contains("(TLS)"), row.getText());
        assertTrue(ConnectionsModel.tls(catalog, "desk5-tls").isPresent(), "the TLS files are kept with the connection");

        robot.clickOn(row);
        robot.clickOn("#settings-connection-use");
        waitFor("connected through TLS (" + connection.lastErrorProperty().get() + ")",
                () -> connection.state() == EngineConnection.State.CONNECTED && connection.endpoint().uri().contains(":" + proxy.port()));
        assertTrue(proxy.clients().stream().anyMatch(c -> c.contains("CN=desk5-client")), proxy.clients().toString());
        assertTrue(connection.client().info().serverVersion() != null, "the engine answers through the connection");
        waitFor("the active mark", () -> robot.lookup(".list-cell").queryAll().stream()
                .anyMatch(c -> String.valueOf(((ListCell<?>) c).getText()).contains("desk5-tls")
                        && String.valueOf(((ListCell<?>) c).getText()).contains("(active)")));
        assertEquals(host, ConnectionsModel.activeHost(catalog).orElseThrow(), "kept for the next start");
        assertTrue(catalog.connections().stream().filter(SavedConnection::isDefault).map(SavedConnection::name).toList()
                .contains("desk5-tls"));
    }

    @Test
    void theThemeIsChosenFromTheListAppliedAtOnceAndKept(FxRobot robot) throws Exception {
        String dark = Theme.DARK.userAgentStylesheet();
        String light = Theme.LIGHT.userAgentStylesheet();
        assertNotEquals(dark, light);
        assertEquals(light, javafx.application.Application.getUserAgentStylesheet());
        robot.clickOn("#settings-theme");
        robot.clickOn("DARK");
        waitFor("the dark theme applied", () -> dark.equals(javafx.application.Application.getUserAgentStylesheet()));
        waitFor("kept in the catalog", () -> catalog.setting("theme").orElse("").equals("dark"));
        robot.clickOn("#settings-theme");
        robot.clickOn("LIGHT");
        waitFor("the light theme applied", () -> light.equals(javafx.application.Application.getUserAgentStylesheet()));
        waitFor("kept in the catalog", () -> catalog.setting("theme").orElse("").equals("light"));
    }

    @Test
    void startAtLoginWritesAndRemovesTheAutostartEntryAndSaysWhyWhenItCannot(FxRobot robot) throws Exception {
        robot.interact(() -> scroll.setVvalue(scroll.getVmax()));
        LoginAutostart entry = new LoginAutostart(configHome);
        CheckBox box = robot.lookup("#settings-login-autostart").queryAs(CheckBox.class);
        Label problem = robot.lookup("#settings-login-error").queryAs(Label.class);
        assertFalse(box.isSelected());

        robot.clickOn(box);
        waitFor("the entry written", () -> Files.isRegularFile(entry.file()));
        String text = Files.readString(entry.file());
        assertTrue(text.startsWith("[Desktop Entry]") && text.contains("\nExec="), text);
        assertTrue(box.isSelected());
        assertEquals("", problem.getText());

        robot.clickOn(box);
        waitFor("the entry removed", () -> !Files.exists(entry.file()));
        assertFalse(box.isSelected());

        // a file where the autostart folder should be: the entry cannot be written
        Files.delete(configHome.resolve("autostart"));
        Files.writeString(configHome.resolve("autostart"), "not a folder");
        try {
            robot.clickOn(box);
            waitFor("the reason", () -> problem.getText().startsWith("Could not write " + entry.file()));
            assertFalse(box.isSelected(), "the box is unticked again");
        } finally {
            Files.delete(configHome.resolve("autostart"));
        }
    }
}
