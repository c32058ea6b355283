package dev.berth.desktop.build;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.ui.Theme;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.registry.CredentialStore;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import dev.berth.desktop.push.PushWizard;

import static dev.berth.desktop.build.FlowBuildPushFxTest.shot;
import static dev.berth.desktop.build.FlowBuildPushFxTest.state;
import static dev.berth.desktop.build.FlowBuildPushFxTest.type;
import static dev.berth.desktop.build.FlowBuildPushFxTest.waitFor;
import static dev.berth.desktop.build.FlowBuildPushFxTest.wizard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build wizard on a real engine beyond the happy path: a Dockerfile picked from outside the
 * context folder (sent inside the context, as {@code docker build -f} does) with a quoted ARG default
 * the build must see unquoted; Run… opening the run dialog on the built image; a failing RUN step
 * showing its step and output, and Back to edit; the push wizard opened on nothing, the built image
 * picked from the engine's images.
 */
@ExtendWith(ApplicationExtension.class)
class BuildOutsideDockerfileFxTest {
    @TempDir
    static Path dir;
    static BusyboxOnBerth engineFixture;
    static final AtomicInteger STARTS = new AtomicInteger();
    EngineConnection engine;
    DesktopCatalog catalog;
    AppServices services;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engineFixture = BusyboxOnBerth.start(TestDaemon.startWithBridge("br91wiz", "10.91.1.0/24"), dir.resolve("docker"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (engineFixture != null) {
            engineFixture.close();
        }
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/sys/class/net", "br91wiz"))) { // the daemon leaves its bridge behind
            dev.berth.engine.testing.Processes.run(java.util.Map.of(), null, 10, "ip", "link", "del", "br91wiz");
        }
    }

    @Start
    void start(Stage stage) {
        Theme.LIGHT.apply();
        FxUiExecutor ui = new FxUiExecutor();
        engine = new EngineConnection(EngineEndpoint.unix(engineFixture.daemon().socket()), ui, Duration.ofMillis(200));
        catalog = DesktopCatalog.open(dir.resolve("desktop-" + STARTS.incrementAndGet() + ".db"));
        services = new AppServices(ui, engine, catalog);
        stage.setScene(new Scene(new BuildsView(services, CredentialStore.dockerConfig(dir.resolve("docker"), List.of())),
                1000, 650));
        stage.show();
        engine.start();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> List.copyOf(Window.getWindows()).stream()
                .filter(w -> w.getScene() != null && w.getScene().getRoot() instanceof BuildWizardView)
                .forEach(Window::hide));
        engine.close();
        catalog.close();
    }

    BuildWizardView open(FxRobot robot, Path context) throws Exception {
        robot.clickOn("#builds-new");
        waitFor("the build wizard", 10, () -> wizard() != null, () -> "windows " + Window.getWindows());
        BuildWizardView w = wizard();
        Node field = robot.from(w).lookup("#build-context").query();
        type(robot, field, context.toString());
        robot.clickOn(field).type(KeyCode.END).type(KeyCode.ENTER);
        waitFor("the context", 10, () -> w.model().contextProperty().get().equals(context.toString()), () -> state(w.model()));
        return w;
    }

    @Test
    void aDockerfileOutsideTheContextBuildsWithItsArgDefaultsAndRunOpensTheRunDialog(FxRobot robot) throws Exception {
        Path context = Files.createDirectories(dir.resolve("wizctx"));
        Files.writeString(context.resolve("hello.txt"), "hello from the context\n");
        Path outside = Files.createDirectories(dir.resolve("dockerfiles")).resolve("wiz.Dockerfile");
        Files.writeString(outside, """
                FROM %s
                ARG GREETING="hello there"
                COPY hello.txt /hello.txt
                RUN echo "$GREETING" > /greeting && ls -a / > /root-listing
                CMD ["cat", "/greeting"]
                """.formatted(engineFixture.ref()));
        BuildWizardView w = open(robot, context);
        BuildWizardModel m = w.model();
        waitFor("no Dockerfile in the folder", 10, () -> m.parseErrorProperty().get().startsWith("No Dockerfile"), () -> state(m));
        robot.interact(() -> m.chooseDockerfile(outside)); // what the file picker hands back
        assertEquals("", m.parseErrorProperty().get());
        assertTrue(robot.from(w).lookup("#build-dockerfile-note").queryAs(Label.class).getText().contains("outside the context"));
        robot.clickOn(robot.from(w).lookup("#build-next").queryButton());
        waitFor("the options page", 10, () -> m.pageProperty().get() == BuildWizardModel.Page.OPTIONS, () -> state(m));
        assertEquals("hello there", robot.from(w).lookup("#build-arg-GREETING").queryAs(TextField.class).getText(),
                "pre-filled as the build reads the default");
        assertEquals(List.of("wizctx:latest"), m.tags());
        robot.clickOn(robot.from(w).lookup("#build-start").queryButton());
        waitFor("the build", 60, () -> m.resultProperty().get() == BuildWizardModel.Result.SUCCEEDED, () -> state(m));
        assertTrue(m.imageIdProperty().get().startsWith("sha256:"));
        assertFalse(m.imageSizeProperty().get().isEmpty());

        String greeting = engineFixture.docker("run", "--rm", "--network", "none", "wizctx:latest").assertOk().stdout();
        assertEquals("hello there\n", greeting, "the ARG default, unquoted, not a literal build arg");
        assertEquals("hello from the context\n", engineFixture.docker("run", "--rm", "--network", "none", "wizctx:latest",
                "cat", "/hello.txt").assertOk().stdout());
        String listing = engineFixture.docker("run", "--rm", "--network", "none", "wizctx:latest", "cat", "/root-listing")
                .assertOk().stdout();
        assertFalse(listing.contains(".dockerfile"), "the sent Dockerfile stays out of the image: " + listing);

        robot.clickOn(robot.from(w).lookup("#build-run").queryButton());
        waitFor("the run dialog", 10, () -> runDialog() != null, () -> "windows " + Window.getWindows());
        DialogPane pane = runDialog();
        assertEquals("wizctx:latest", ((TextField) pane.lookup("#run-image")).getText());
        robot.interact(() -> ((Button) pane.lookupButton(ButtonType.CANCEL)).fire());
        waitFor("the run dialog closed", 10, () -> runDialog() == null, () -> "windows " + Window.getWindows());

        // The push wizard opened on nothing: the built image is picked from the engine's images.
        AtomicReference<PushWizard> push = new AtomicReference<>();
        robot.interact(() -> push.set(PushWizard.open(null, services, null, CredentialStore.dockerConfig(dir.resolve("docker"),
                List.of()))));
        @SuppressWarnings("unchecked") ListView<String> images = robot.lookup("#push-images").queryAs(ListView.class);
        waitFor("the local images", 20, () -> images.getItems().contains("wizctx:latest"), () -> images.getItems().toString());
        robot.interact(() -> images.getSelectionModel().select("wizctx:latest"));
        robot.clickOn("#push-next");
        waitFor("the target step", 10, () -> robot.lookup("#push-preview").queryAs(Label.class).getText()
                .equals("docker.io/<your user>/wizctx:latest"), () -> robot.lookup("#push-preview").queryAs(Label.class).getText());
        assertEquals("wizctx", robot.lookup("#push-repository").queryAs(TextField.class).getText());
        robot.interact(() -> push.get().close());
    }

    static DialogPane runDialog() {
        return Window.getWindows().stream().filter(Window::isShowing).map(w -> w.getScene() == null ? null : w.getScene().getRoot())
                .filter(DialogPane.class::isInstance).map(DialogPane.class::cast)
                .filter(p -> p.lookup("#run-image") != null).findFirst().orElse(null);
    }

    @Test
    void aFailingStepShowsItsOutputAndLeadsBackToEdit(FxRobot robot) throws Exception {
        Path context = Files.createDirectories(dir.resolve("wizfail"));
        Files.writeString(context.resolve("Dockerfile"), """
                FROM %s
                RUN echo "about to fail" && echo "on purpose" >&2 && exit 3
                CMD ["true"]
                """.formatted(engineFixture.ref()));
        BuildWizardView w = open(robot, context);
        BuildWizardModel m = w.model();
        waitFor("the Dockerfile", 10, () -> m.canContinue(), () -> state(m));
        robot.clickOn(robot.from(w).lookup("#build-next").queryButton());
        robot.clickOn(robot.from(w).lookup("#build-start").queryButton());
        waitFor("the failure", 60, () -> m.resultProperty().get() == BuildWizardModel.Result.FAILED, () -> state(m));
        assertEquals(BuildWizardModel.Page.RESULT, m.pageProperty().get());
        assertTrue(m.failedStepProperty().get().startsWith("Step 2/3 : RUN echo \"about to fail\""), m.failedStepProperty().get());
        String tail = m.failureTailProperty().get();
        assertTrue(tail.contains("about to fail") && tail.contains("on purpose"), tail);
        assertTrue(tail.contains("returned a non-zero code: 3"), tail);
        assertTrue(robot.from(w).lookup("#build-failure").query().isVisible());
        assertFalse(robot.from(w).lookup("#build-success").query().isVisible());
        shot(robot, w, "build-wizard-6-failed");
        waitFor("no container left", 20, () -> engine.client().containers().list(true, 0, false, null).isEmpty(),
                () -> engine.client().containers().list(true, 0, false, null).toString());
        assertEquals("failed", catalog.builds(1).getFirst().result());

        robot.clickOn(robot.from(w).lookup("#build-back-to-edit").queryButton());
        waitFor("back on step 1", 10, () -> m.pageProperty().get() == BuildWizardModel.Page.SOURCE, () -> state(m));
    }
}
