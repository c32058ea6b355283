package dev.berth.desktop.registries;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.ui.Theme;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.Json;
import dev.berth.images.manifest.Platform;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.FaultyProxy;
import dev.berth.registry.LocalRegistry;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
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

import javax.imageio.ImageIO;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The registries view's harder paths against real registries (Debian's docker-registry) and a real
 * engine: sign-in kept by a docker credential helper ({@code credsStore}, the helper protocol spoken by
 * a small script on the search path) that the real docker CLI then uses; the catalog a page at a time;
 * a multi-arch index's platforms; deleting a tag; a token-auth registry that refuses the catalog (as
 * Docker Hub does), signed in with an access token as the password, searched by name.
 */
@ExtendWith(ApplicationExtension.class)
class RegsHelperAndSearchFxTest {
    static final String ACCESS_TOKEN = "dckr_pat_wizAccessToken0123456789";
    static final String HELPER = "wiztest";
    @TempDir
    static Path dir;
    static TestDaemon daemon;
    static LocalRegistry basic;
    static LocalRegistry token;
    static Path bin;
    static Path dockerConfig;
    static final AtomicInteger STARTS = new AtomicInteger();
    static Level previousLevel;
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
    DesktopCatalog catalog;
    Path catalogFile;
    RegistriesView view;

    @BeforeAll
    static void start() throws Exception {
        Logger root = Logger.getLogger("");
        previousLevel = root.getLevel();
        root.setLevel(Level.ALL);
        root.addHandler(CAPTURE);
        Processes.requireBinary("docker");
        // The daemon and both registries (with their contents) start side by side: each is mostly waiting on a
        // process or a socket, and one after the other they were the larger part of this class's time.
        ExecutorService pool = Executors.newFixedThreadPool(7);
        try {
            // The JavaFX toolkit too (seconds on a loaded machine); ApplicationExtension reuses the stage.
            Future<Stage> fx = pool.submit(org.testfx.api.FxToolkit::registerPrimaryStage);
            Future<TestDaemon> d = pool.submit(TestDaemon::start);
            Future<LocalRegistry> b = pool.submit(() -> {
                LocalRegistry r = LocalRegistry.start(LocalRegistry.Mode.HTPASSWD);
                basic = r;
                List<Future<String>> pushes = new ArrayList<>();
                for (String ref : List.of("wizh/app:1.0", "wizh/b:1", "wizh/c:1", "wizh/del:gone")) {
                    pushes.add(pool.submit(() -> r.push(TestImages.busybox(), ref)));
                }
                r.push(TestImages.multiPlatformIndex(Platform.of("linux", "amd64", null), Platform.of("linux", "arm64", "v8")),
                        "wizh/multi:1");
                for (Future<String> p : pushes) {
                    p.get();
                }
                return r;
            });
            Future<LocalRegistry> t = pool.submit(() -> {
                LocalRegistry r = LocalRegistry.start(LocalRegistry.Mode.TOKEN);
                token = r;
                r.refuseCatalog();
                r.acceptAccessToken(ACCESS_TOKEN);
                r.push(TestImages.busybox(), "wizt/private:1");
                return r;
            });
            daemon = d.get();
            basic = b.get();
            token = t.get();
            fx.get();
        } finally {
            pool.shutdown();
            // @AfterAll closes whatever did start, even when another part failed.
            pool.awaitTermination(2, TimeUnit.MINUTES);
        }
        bin = Files.createDirectories(dir.resolve("bin"));
        writeHelper(bin, HELPER);
        dockerConfig = Files.createDirectories(dir.resolve("docker"));
        Files.writeString(dockerConfig.resolve("config.json"), "{\"credsStore\": \"" + HELPER + "\"}");
        synchronized (LOGS) {
            LOGS.setLength(0); // the fixtures' htpasswd command line carries the password
        }
    }

    @AfterAll
    static void stop() throws Exception {
        Logger.getLogger("").removeHandler(CAPTURE);
        Logger.getLogger("").setLevel(previousLevel);
        try {
            for (LocalRegistry r : new LocalRegistry[] {basic, token}) {
                if (r != null) {
                    r.close();
                }
            }
        } finally {
            if (daemon != null) {
                daemon.close();
            }
        }
    }

    /** A docker-credential helper in shell: keeps secrets in a file, speaks the helper protocol (get/store/erase). */
    static void writeHelper(Path bin, String name) throws Exception {
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
                       grep -vF "$server " "$db" > "$db.new" 2>/dev/null; mv "$db.new" "$db"
                       echo "$server $user $secret" >> "$db" ;;
                  erase) read -r server
                       grep -vF "$server " "$db" > "$db.new" 2>/dev/null; mv "$db.new" "$db" ;;
                  list) echo "{}" ;;
                  *) exit 2 ;;
                esac
                """.formatted(db));
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Start
    void start(Stage stage) {
        Theme.LIGHT.apply();
        FxUiExecutor ui = new FxUiExecutor();
        engine = new EngineConnection(EngineEndpoint.unix(daemon.socket()), ui, Duration.ofMillis(200));
        catalogFile = dir.resolve("desktop-" + STARTS.incrementAndGet() + ".db");
        catalog = DesktopCatalog.open(catalogFile);
        AppServices services = new AppServices(ui, engine, catalog);
        CredentialStore credentials = CredentialStore.dockerConfig(dockerConfig, List.of(bin));
        // Two repositories a page, so the catalog's paging shows with a handful of them.
        view = new RegistriesView(services, new RegistriesModel(new RegistryList(catalog), engine.client(), credentials, 2,
                HubSearch.dockerHub()));
        stage.setScene(new Scene(view, 1100, 650));
        stage.show();
        engine.start();
    }

    @AfterEach
    void close() {
        engine.close();
        catalog.close();
    }

    static void shot(FxRobot robot, Node node, String name) throws Exception {
        Path out = Path.of(System.getProperty("user.dir")).resolve("../docs/screenshots").normalize();
        Files.createDirectories(out);
        var snap = new AtomicReference<javafx.scene.image.WritableImage>();
        robot.interact(() -> snap.set(node.snapshot(null, null)));
        ImageIO.write(SwingFXUtils.fromFXImage(snap.get(), null), "png", out.resolve(name + ".png").toFile());
    }

    void waitFor(String what, Callable<Boolean> condition) throws Exception {
        try {
            FxWait.until(60, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "; status: " + view.status.getText(), e);
        }
    }

    /** Presses a button as a click would, without the robot's mouse travel (seconds per click on a loaded machine). */
    static void press(FxRobot robot, String id) {
        javafx.scene.control.Button b = robot.lookup(id).queryButton();
        assertTrue(b.isVisible() && !b.isDisabled(), id + " can be pressed");
        robot.interact(b::fire);
    }

    static void type(FxRobot robot, Node field, String text) {
        robot.interact(() -> {
            field.requestFocus();
            ((javafx.scene.control.TextInputControl) field).setText(text);
        });
    }

    /** Adds {@code host} and signs in through the view; returns its row index. */
    int addAndSignIn(FxRobot robot, String host, String password) throws Exception {
        waitFor("Docker Hub row", () -> view.registries.getItems().size() == 1);
        assertEquals("docker.io", view.registries.getItems().get(0).registry().host(), "Docker Hub is always listed");
        type(robot, robot.lookup("#registries-address").query(), host);
        press(robot, "#registries-add");
        waitFor("the added registry", () -> view.registries.getItems().size() == 2);
        robot.interact(() -> view.registries.getSelectionModel().select(1));
        type(robot, robot.lookup("#registries-user").query(), LocalRegistry.USER);
        type(robot, robot.lookup("#registries-password").query(), password);
        press(robot, "#registries-signin");
        waitFor("signed in", () -> view.registries.getItems().size() == 2
                && LocalRegistry.USER.equals(view.registries.getItems().get(1).user()));
        // What the user reads on the row: URL, TLS mode, signed in and as whom.
        String row = host + "  ·  plain HTTP (loopback)  ·  signed in as " + LocalRegistry.USER;
        AtomicReference<List<String>> shown = new AtomicReference<>(List.of());
        try {
            FxWait.until(20, () -> {
                robot.interact(() -> shown.set(view.registries.lookupAll(".list-cell").stream()
                        .map(n -> ((javafx.scene.control.Labeled) n).getText()).filter(java.util.Objects::nonNull).toList()));
                return shown.get().contains(row);
            });
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the row reads " + shown.get() + ", not " + row, e);
        }
        robot.interact(() -> view.registries.getSelectionModel().select(1));
        return 1;
    }

    static void assertNoSecretIn(Path file, String secret) throws Exception {
        if (Files.exists(file)) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertFalse(content.contains(secret), file + " holds the secret");
            String b64 = Base64.getEncoder().encodeToString((LocalRegistry.USER + ":" + secret).getBytes(StandardCharsets.UTF_8));
            assertFalse(content.contains(b64), file + " holds the encoded secret");
        }
    }

    void assertNothingSecretLeaked(String secret) throws Exception {
        assertNoSecretIn(catalogFile, secret);
        assertNoSecretIn(Path.of(catalogFile + "-wal"), secret);
        assertNoSecretIn(dockerConfig.resolve("config.json"), secret);
        synchronized (LOGS) {
            assertFalse(LOGS.toString().contains(secret), "logs hold the secret");
        }
    }

    @Test
    void credsStoreHelperKeepsTheSecretAndTheDockerCliUsesIt(FxRobot robot) throws Exception {
        String host = basic.host();
        addAndSignIn(robot, host, LocalRegistry.PASSWORD);
        Path db = bin.resolve(HELPER + ".db");
        assertTrue(Files.readString(db).contains(host + " " + LocalRegistry.USER + " " + LocalRegistry.PASSWORD),
                "the helper was given the login");
        var config = Json.MAPPER.readTree(dockerConfig.resolve("config.json").toFile());
        assertEquals(HELPER, config.path("credsStore").asText(), "config.json keeps naming the helper");
        assertNothingSecretLeaked(LocalRegistry.PASSWORD);

        // The real docker CLI finds the same helper (on its PATH) and pulls the private image with it.
        String ref = host + "/wizh/app:1.0";
        Processes.Result pull = Processes.run(Map.of("DOCKER_HOST", daemon.host(), "DOCKER_CONFIG", dockerConfig.toString(),
                "PATH", bin + ":" + System.getenv("PATH"), "DOCKER_CLI_HINTS", "false"), null, 120,
                Processes.requireBinary("docker"), "pull", ref);
        assertEquals(0, pull.exitCode(), pull.stdout() + pull.stderr());
        assertTrue(engine.client().inspectImage(ref).repoTags().contains(ref));

        press(robot, "#registries-signout");
        waitFor("signed out", () -> view.registries.getItems().size() == 2 && view.registries.getItems().get(1).user() == null);
        assertFalse(Files.readString(db).contains(host + " "), "sign-out erased the helper's entry");
    }

    @Test
    void theCatalogComesAPageAtATimeIndexesShowTheirPlatformsAndATagCanBeDeleted(FxRobot robot) throws Exception {
        String host = basic.host();
        addAndSignIn(robot, host, LocalRegistry.PASSWORD);
        press(robot, "#registries-browse");
        waitFor("the first page", () -> view.repositories.getItems().size() == 2 && view.moreRepositories.isVisible());
        assertEquals(List.of("wizh/app", "wizh/b"), List.copyOf(view.repositories.getItems()));
        press(robot, "#registries-more-repositories");
        waitFor("the second page", () -> view.repositories.getItems().size() == 4 && view.moreRepositories.isVisible());
        press(robot, "#registries-more-repositories");
        waitFor("the last page", () -> view.repositories.getItems().size() == 5 && !view.moreRepositories.isVisible());
        assertEquals(List.of("wizh/app", "wizh/b", "wizh/c", "wizh/del", "wizh/multi"), List.copyOf(view.repositories.getItems()));

        robot.interact(() -> view.repositories.getSelectionModel().select("wizh/multi"));
        waitFor("the index's tag", () -> view.tags.getItems().contains("1"));
        robot.interact(() -> view.tags.getSelectionModel().select("1"));
        waitFor("the index's details", () -> view.details.getText().contains("Platforms: linux/amd64, linux/arm64/v8"));
        assertTrue(view.details.getText().contains("Digest: sha256:"), view.details.getText());
        press(robot, "#registries-copy");
        waitFor("copied", () -> view.status.getText().equals("Copied " + host + "/wizh/multi:1"));
        AtomicReference<String> clip = new AtomicReference<>();
        robot.interact(() -> clip.set(javafx.scene.input.Clipboard.getSystemClipboard().getString()));
        assertEquals(host + "/wizh/multi:1", clip.get());

        robot.interact(() -> view.repositories.getSelectionModel().select("wizh/del"));
        waitFor("the tag to delete", () -> view.tags.getItems().contains("gone"));
        robot.interact(() -> view.tags.getSelectionModel().select("gone"));
        press(robot, "#registries-delete");
        waitFor("the confirmation", () -> view.status.getText().startsWith("Delete " + host + "/wizh/del:gone?"));
        assertTrue(basic.client().headManifest("wizh/del", "gone").isPresent(), "nothing deleted on the first press");
        press(robot, "#registries-delete");
        waitFor("the deletion", () -> view.status.getText().startsWith("Deleted wizh/del@sha256:"));
        assertFalse(view.tags.getItems().contains("gone"));
        assertTrue(basic.client().headManifest("wizh/del", "gone").isEmpty(), "the registry no longer has the tag");
        assertTrue(basic.client().headManifest("wizh/app", "1.0").isPresent(), "other repositories keep theirs");
    }

    @Test
    void aRegistryRefusingTheCatalogIsSearchedByNameSignedInWithAnAccessToken(FxRobot robot) throws Exception {
        String host = token.host();
        addAndSignIn(robot, host, ACCESS_TOKEN);
        // The engine's /auth got an identity token for it, which the helper keeps under docker's "<token>"
        // user: the row still names who signed in (the app noted the name, never the secret).
        assertTrue(Files.readString(bin.resolve(HELPER + ".db")).contains(host + " <token> "), "an identity token in the helper");
        press(robot, "#registries-browse");
        waitFor("the refusal", () -> view.status.getText().contains("search by name") && view.search.isVisible());
        assertTrue(view.repositories.getItems().isEmpty());

        type(robot, view.search, "wizt/nothing");
        robot.interact(() -> view.search.fireEvent(new javafx.event.ActionEvent())); // Enter in the box
        waitFor("no match", () -> view.status.getText().startsWith("No repository matching \"wizt/nothing\""));

        type(robot, view.search, "wizt/private");
        robot.interact(() -> view.search.fireEvent(new javafx.event.ActionEvent())); // Enter in the box
        waitFor("the repository found by name", () -> view.repositories.getItems().equals(List.of("wizt/private")));
        robot.interact(() -> view.repositories.getSelectionModel().select(0));
        waitFor("its tags", () -> view.tags.getItems().contains("1"));
        robot.interact(() -> view.tags.getSelectionModel().select("1"));
        String digest = TestImages.busybox().digest().toString();
        waitFor("its details", () -> view.details.getText().contains(digest));
        shot(robot, view, "registries-4-search-by-name");

        press(robot, "#registries-pull");
        String ref = host + "/wizt/private:1";
        waitFor("the pull", () -> view.status.getText().startsWith("Pulled " + ref));
        assertTrue(engine.client().inspectImage(ref).repoTags().contains(ref));
        assertNothingSecretLeaked(ACCESS_TOKEN);

        // Choosing another registry leaves nothing of this one's browsing on screen.
        robot.interact(() -> view.registries.getSelectionModel().select(0));
        assertTrue(view.repositories.getItems().isEmpty() && view.tags.getItems().isEmpty() && view.details.getText().isEmpty());
        assertFalse(view.search.isVisible());
    }

    @Test
    void aRateLimitIsSaidPlainlyWithTheQuotaLeft(FxRobot robot) throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(basic.host())) {
            String host = proxy.host();
            addAndSignIn(robot, host, LocalRegistry.PASSWORD);
            press(robot, "#registries-browse");
            waitFor("repositories", () -> view.repositories.getItems().contains("wizh/app"));
            robot.interact(() -> view.repositories.getSelectionModel().select("wizh/app"));
            waitFor("tags", () -> view.tags.getItems().contains("1.0"));
            proxy.rateLimit(-1, "0", "0;w=21600"); // Docker Hub's 429 with its quota header, on every manifest
            robot.interact(() -> view.tags.getSelectionModel().select("1.0"));
            waitFor("the rate-limit message", () -> view.status.getText().equals(host + " is rate limiting you (remaining: "
                    + "0;w=21600). Wait a while, or sign in for a higher limit."));
            waitFor("the quota", () -> view.rateLimit.getText().equals("Pull quota left on " + host + ": 0;w=21600"));
            assertTrue(view.details.getText().isEmpty());
            robot.interact(() -> view.tags.getSelectionModel().clearSelection());
        }
    }

    @Test
    void moreTagsLoadsTheNextPage(FxRobot robot) throws Exception {
        try (PagedTagsServer server = new PagedTagsServer()) {
            waitFor("Docker Hub row", () -> view.registries.getItems().size() == 1);
            type(robot, robot.lookup("#registries-address").query(), server.host());
            press(robot, "#registries-add");
            waitFor("the added registry", () -> view.registries.getItems().size() == 2);
            robot.interact(() -> view.registries.getSelectionModel().select(1));
            press(robot, "#registries-browse");
            waitFor("the repository", () -> view.repositories.getItems().contains(PagedTagsServer.REPOSITORY));
            robot.interact(() -> view.repositories.getSelectionModel().select(PagedTagsServer.REPOSITORY));
            waitFor("the first page of tags", () -> view.tags.getItems().equals(List.of("1.0", "1.1")) && view.moreTags.isVisible());
            press(robot, "#registries-more-tags");
            waitFor("the second page", () -> view.tags.getItems().equals(List.of("1.0", "1.1", "2.0", "2.1")));
            waitFor("More still offered", () -> view.moreTags.isVisible());
            press(robot, "#registries-more-tags");
            waitFor("every tag, and no More", () -> view.tags.getItems().equals(PagedTagsServer.TAGS) && !view.moreTags.isVisible());
        }
    }
}
