package dev.berth.desktop.build;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.registries.RegistriesModel;
import dev.berth.desktop.registries.RegistriesView;
import dev.berth.desktop.registries.RegistryList;
import dev.berth.desktop.store.BuildRecord;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.ui.Theme;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.LocalRegistry;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
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
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6's whole flow through the UI, real components only: a Berth daemon and Debian's
 * docker-registry with htpasswd auth (standing in for Docker Hub). Add the registry, sign in, browse
 * it; build a multi-stage Dockerfile with the build wizard, run the recorded build again from the
 * Builds view and see its cache hits; Push… from the result page, push, read the digest; pull it back
 * by digest with the docker CLI (using the login the app stored) and get the same image; cancel a
 * build in a long RUN step and find no container and no new image left; no trace of the password in
 * the desktop catalog, its WAL, or anything the app and the engine logged.
 */
@ExtendWith(ApplicationExtension.class)
class FlowBuildPushFxTest {
    @TempDir
    static Path dir;
    static BusyboxOnBerth engineFixture;
    static LocalRegistry registry;
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
    TabPane tabs;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.ALL);
        root.addHandler(CAPTURE);
        engineFixture = BusyboxOnBerth.start(TestDaemon.startWithBridge("br83flow6", "10.83.6.0/24"), dir.resolve("docker"));
        registry = LocalRegistry.start(LocalRegistry.Mode.HTPASSWD);
        registry.push(TestImages.busybox(), "flow6/seed:1.0");
        synchronized (LOGS) {
            LOGS.setLength(0); // the fixture's htpasswd command line carries the password
        }
    }

    @AfterAll
    static void stop() throws Exception {
        Logger.getLogger("").removeHandler(CAPTURE);
        try {
            if (registry != null) {
                registry.close();
            }
        } finally {
            if (engineFixture != null) {
                engineFixture.close();
            }
            if (java.nio.file.Files.exists(java.nio.file.Path.of("/sys/class/net", "br83flow6"))) { // the daemon leaves its bridge behind
                dev.berth.engine.testing.Processes.run(java.util.Map.of(), null, 10, "ip", "link", "del", "br83flow6");
            }
        }
    }

    @Start
    void start(Stage stage) {
        Theme.LIGHT.apply();
        FxUiExecutor ui = new FxUiExecutor();
        engine = new EngineConnection(EngineEndpoint.unix(engineFixture.daemon().socket()), ui, Duration.ofMillis(200));
        DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("desktop.db"));
        AppServices services = new AppServices(ui, engine, catalog);
        // The docker CLI below reads the same config dir: the pull by digest uses the login the app stored.
        CredentialStore credentials = CredentialStore.dockerConfig(dir.resolve("docker"), List.of());
        RegistriesView registries = new RegistriesView(services,
                new RegistriesModel(new RegistryList(catalog), engine.client(), credentials));
        tabs = new TabPane(new Tab("Registries", registries), new Tab("Builds", new BuildsView(services, credentials)));
        stage.setScene(new Scene(tabs, 1100, 650));
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
    static void type(FxRobot robot, Node field, String text) {
        robot.interact(() -> {
            field.requestFocus();
            ((TextInputControl) field).setText(text);
        });
    }

    static String label(FxRobot robot, String id) {
        Node n = robot.lookup(id).query();
        return n instanceof Label l ? l.getText() : ((TextInputControl) n).getText();
    }

    static void waitFor(String what, int seconds, Callable<Boolean> condition, Callable<String> state) throws Exception {
        try {
            FxWait.until(seconds, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "; " + state.call(), e);
        }
    }

    /** The one open build wizard window's view. */
    static BuildWizardView wizard() {
        List<BuildWizardView> open = Window.getWindows().stream().filter(Window::isShowing)
                .map(w -> w.getScene() == null ? null : w.getScene().getRoot())
                .filter(BuildWizardView.class::isInstance).map(BuildWizardView.class::cast).toList();
        return open.size() == 1 ? open.getFirst() : null;
    }

    static void closeWizard(FxRobot robot, BuildWizardView w) {
        robot.interact(() -> ((Stage) w.getScene().getWindow()).close());
    }

    static String state(BuildWizardModel m) {
        return "page " + m.pageProperty().get() + ", result " + m.resultProperty().get() + ", progress "
                + m.progressTextProperty().get() + ", error " + m.errorProperty().get() + "\n" + m.logTextProperty().get();
    }

    /** Opens a wizard from the Builds view and takes {@code context} through step 1 as a user would. */
    BuildWizardView openOn(FxRobot robot, Path context) throws Exception {
        robot.interact(() -> tabs.getSelectionModel().select(1));
        robot.clickOn("#builds-new");
        waitFor("the build wizard", 10, () -> wizard() != null, () -> "windows " + Window.getWindows());
        BuildWizardView w = wizard();
        Node field = robot.from(w).lookup("#build-context").query();
        type(robot, field, context.toString());
        robot.clickOn(field).type(KeyCode.END).type(KeyCode.ENTER);
        waitFor("the Dockerfile", 10, () -> !w.model().dockerfileProperty().get().isEmpty(), () -> state(w.model()));
        return w;
    }

    static Path project(String name, String dockerfile) throws Exception {
        Path p = Files.createDirectories(dir.resolve(name));
        Files.writeString(p.resolve("Dockerfile"), dockerfile);
        Files.writeString(p.resolve("hello.txt"), "hello from flow6\n");
        return p;
    }

    Set<String> imageIds() {
        return engine.client().listImages(true, null, false).stream().map(i -> i.id()).collect(Collectors.toSet());
    }

    @Test
    void addSignInBrowseBuildRebuildFromCachePushPullBackByDigestCancelAndLeakNothing(FxRobot robot) throws Exception {
        String host = registry.host();
        String base = engineFixture.ref();

        // 1. The registry: add, sign in, browse repositories and tags.
        @SuppressWarnings("unchecked") ListView<RegistriesModel.Row> rows = robot.lookup("#registries-list").queryAs(ListView.class);
        Callable<String> regState = () -> label(robot, "#registries-status");
        waitFor("Docker Hub row", 20, () -> rows.getItems().size() == 1, regState);
        type(robot, robot.lookup("#registries-address").query(), host);
        robot.clickOn("#registries-add");
        waitFor("the added registry", 20, () -> rows.getItems().size() == 2, regState);
        robot.interact(() -> rows.getSelectionModel().select(1));
        type(robot, robot.lookup("#registries-user").query(), LocalRegistry.USER);
        type(robot, robot.lookup("#registries-password").query(), LocalRegistry.PASSWORD);
        robot.clickOn("#registries-signin");
        waitFor("signed in", 20, () -> rows.getItems().size() == 2 && LocalRegistry.USER.equals(rows.getItems().get(1).user()),
                regState);
        robot.interact(() -> rows.getSelectionModel().select(1));
        robot.clickOn("#registries-browse");
        @SuppressWarnings("unchecked") ListView<String> repos = robot.lookup("#registries-repositories").queryAs(ListView.class);
        @SuppressWarnings("unchecked") ListView<String> tags = robot.lookup("#registries-tags").queryAs(ListView.class);
        waitFor("repositories", 20, () -> repos.getItems().contains("flow6/seed"), regState);
        robot.interact(() -> repos.getSelectionModel().select("flow6/seed"));
        waitFor("tags", 20, () -> tags.getItems().contains("1.0"), regState);

        // 2. A multi-stage build through the wizard.
        Path app = project("flow6app", """
                # two stages: the second copies what the first made
                FROM %s AS builder
                ARG GREETING=hello
                RUN echo "$GREETING from the builder stage" > /msg
                FROM %s
                COPY --from=builder /msg /msg
                COPY hello.txt /hello.txt
                CMD ["cat", "/msg"]
                """.formatted(base, base));
        BuildWizardView w = openOn(robot, app);
        BuildWizardModel m = w.model();
        assertEquals("", m.parseErrorProperty().get());
        assertEquals(List.of("builder"), m.stages());
        shot(robot, w, "build-wizard-1-source");
        robot.clickOn(robot.from(w).lookup("#build-next").queryButton());
        waitFor("the options page", 10, () -> m.pageProperty().get() == BuildWizardModel.Page.OPTIONS, () -> state(m));
        assertEquals(List.of("flow6app:latest"), m.tags());
        assertEquals("GREETING", m.args().getFirst().name());
        shot(robot, w, "build-wizard-2-options");
        robot.clickOn(robot.from(w).lookup("#build-start").queryButton());
        waitFor("the first build", 60, () -> m.resultProperty().get() == BuildWizardModel.Result.SUCCEEDED, () -> state(m));
        String built = m.imageIdProperty().get();
        assertTrue(built.startsWith("sha256:"), built);
        assertEquals(7, m.steps().size(), m.logTextProperty().get());
        assertTrue(m.steps().stream().skip(1).noneMatch(BuildLog.Step::cached), "a first build hits no cache");
        assertEquals(built, engine.client().inspectImage("flow6app:latest").id());
        shot(robot, w, "build-wizard-4-result");
        closeWizard(robot, w);

        // 3. The Builds view lists it; "Run again" builds it from the cache.
        @SuppressWarnings("unchecked") ListView<BuildRecord> history = robot.lookup("#builds-list").queryAs(ListView.class);
        waitFor("the build history", 10, () -> history.getItems().size() == 1, () -> history.getItems().toString());
        assertEquals("succeeded", history.getItems().getFirst().result());
        robot.interact(() -> history.getSelectionModel().select(0));
        robot.clickOn("#builds-run-again");
        waitFor("the second wizard", 10, () -> wizard() != null, () -> "windows " + Window.getWindows());
        BuildWizardView again = wizard();
        BuildWizardModel m2 = again.model();
        waitFor("the rebuild", 60, () -> m2.resultProperty().get() == BuildWizardModel.Result.SUCCEEDED, () -> state(m2));
        assertEquals(built, m2.imageIdProperty().get(), "the same image, from the cache");
        List<BuildLog.Step> steps = List.copyOf(m2.steps());
        assertEquals(7, steps.size());
        assertTrue(steps.stream().skip(1).filter(s -> !s.instruction().startsWith("FROM")).allMatch(BuildLog.Step::cached),
                "every step after FROM is a cache hit: " + steps);
        assertTrue(m2.progressTextProperty().get().contains("cached steps"), m2.progressTextProperty().get());
        assertTrue(m2.logTextProperty().get().contains("Using cache"));
        shot(robot, again, "build-wizard-5-rebuilt-from-cache");
        waitFor("two builds in the history", 10, () -> history.getItems().size() == 2, () -> history.getItems().toString());

        // 4. Push… from the result page opens the push wizard on the built image.
        robot.clickOn(robot.from(again).lookup("#build-push").queryButton());
        waitFor("the push wizard", 20, () -> robot.lookup("#push-registry").tryQuery().isPresent()
                && robot.lookup("#push-registry").queryAs(ComboBox.class).getItems().contains(host), () -> "windows " + Window.getWindows());
        @SuppressWarnings("unchecked") ComboBox<String> pushRegistry = robot.lookup("#push-registry").queryAs(ComboBox.class);
        Stage pushStage = (Stage) pushRegistry.getScene().getWindow();
        Callable<String> pushState = () -> label(robot, "#push-message") + " / " + label(robot, "#push-status");
        robot.clickOn("#push-next");
        waitFor("the target step", 10, () -> label(robot, "#push-title").startsWith("2 of 4"), pushState);
        robot.interact(() -> pushRegistry.setValue(host));
        type(robot, robot.lookup("#push-repository").query(), "flow6/app");
        type(robot, robot.lookup("#push-tag").query(), "1");
        waitFor("a valid target", 10, () -> label(robot, "#push-preview").equals(host + "/flow6/app:1"), pushState);
        robot.clickOn("#push-next");
        waitFor("the digest", 60, () -> label(robot, "#push-digest").startsWith("Digest: sha256:"), pushState);
        String digest = label(robot, "#push-digest").substring("Digest: ".length());
        String byDigest = host + "/flow6/app@" + digest;
        assertEquals("docker pull " + byDigest, label(robot, "#push-pull-command"));
        robot.interact(pushStage::close);
        closeWizard(robot, again);

        // 5. Pulled back by digest with the docker CLI (the app's stored login): the very image built.
        engineFixture.docker("rmi", "flow6app:latest", host + "/flow6/app:1").assertOk();
        engineFixture.docker("pull", byDigest).assertOk();
        assertEquals(built, engineFixture.docker("image", "inspect", "--format", "{{.Id}}", byDigest).assertOk().stdout().strip());
        robot.interact(() -> tabs.getSelectionModel().select(0));
        robot.interact(() -> rows.getSelectionModel().select(1));
        robot.clickOn("#registries-browse");
        waitFor("the pushed repository", 20, () -> repos.getItems().contains("flow6/app"), regState);

        // 6. Cancel in a long RUN step: the engine kills the step; no container, no new image.
        Set<String> before = imageIds();
        Path slow = project("flow6slow", "FROM " + base + "\nRUN echo started && sleep 120\nCMD [\"true\"]\n");
        BuildWizardView cw = openOn(robot, slow);
        BuildWizardModel cm = cw.model();
        robot.clickOn(robot.from(cw).lookup("#build-next").queryButton());
        robot.clickOn(robot.from(cw).lookup("#build-start").queryButton());
        waitFor("the RUN step running", 30, () -> cm.logTextProperty().get().contains("started\n"), () -> state(cm));
        assertFalse(engine.client().containers().list(true, 0, false, null).isEmpty(), "the step's container runs");
        shot(robot, cw, "build-wizard-3-building");
        robot.clickOn(robot.from(cw).lookup("#build-cancel").queryButton());
        waitFor("the cancelled build", 20, () -> cm.resultProperty().get() == BuildWizardModel.Result.CANCELLED, () -> state(cm));
        waitFor("no container left", 20, () -> engine.client().containers().list(true, 0, false, null).isEmpty(),
                () -> engine.client().containers().list(true, 0, false, null).toString());
        assertEquals(before, imageIds(), "no image (tagged or dangling) from the cancelled build");
        assertTrue(engineFixture.docker("ps", "-aq").assertOk().stdout().isBlank());
        closeWizard(robot, cw);

        // 7. Nothing secret in Berth's desktop catalog, nor in anything the app or the engine logged.
        String b64 = Base64.getEncoder().encodeToString((LocalRegistry.USER + ":" + LocalRegistry.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        boolean listed = false;
        List<Path> files = new java.util.ArrayList<>(List.of(dir.resolve("desktop.db"), dir.resolve("desktop.db-wal")));
        try (Stream<Path> s = Files.walk(engineFixture.daemon().dataRoot())) {
            // the engine's own catalog and any log file it keeps
            s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().matches(".*(\\.log|\\.db|\\.db-wal|-json\\.log)$"))
                    .forEach(files::add);
        }
        for (Path f : files) {
            if (Files.exists(f)) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(content.contains(LocalRegistry.PASSWORD), f + " holds the password");
                assertFalse(content.contains(b64), f + " holds the encoded password");
                listed |= content.contains(host);
            }
        }
        assertTrue(listed, "the catalog (file or WAL) holds the registry list, so the grep looked in the right place");
        synchronized (LOGS) {
            assertTrue(LOGS.length() > 0, "the app and the engine logged something");
            assertFalse(LOGS.toString().contains(LocalRegistry.PASSWORD), "logs hold the password");
            assertFalse(LOGS.toString().contains(b64), "logs hold the encoded password");
        }
        engine.close();
    }
}
