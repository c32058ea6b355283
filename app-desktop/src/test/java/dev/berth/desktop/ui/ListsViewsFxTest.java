package dev.berth.desktop.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.desktop.containers.ContainerRow;
import dev.berth.desktop.DeskWindow;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.LastKnownList;
import dev.berth.desktop.nav.Views;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.model.ImageSummary;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.Json;
import dev.berth.images.testing.TestImages;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.berth.desktop.FxWait.waitFor;
import static dev.berth.desktop.FxWait.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lists against a real daemon, driven by clicks: the catalog's kept lists shown and marked until the
 * engine answers, then replaced and kept again; images tagged, their history, dangling ones pruned;
 * volumes and networks pruned.
 */
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ListsViewsFxTest {
    @TempDir
    static Path dir;
    static BusyboxOnBerth engine;
    /** Catalog uses on the FX thread, with where they came from. */
    static final List<String> fxThreadUses = new CopyOnWriteArrayList<>();
    DeskWindow desk;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), Files.createDirectories(dir.resolve("docker")));
        try (DesktopCatalog c = DesktopCatalog.open(dir.resolve("d.db"))) {
            c.saveLastKnown(LastKnownList.CONTAINERS, """
                    [{"Id":"0123456789ab0123","Names":["/lists-kept-c"],"Image":"lists/kept:1","ImageID":"sha256:4444",
                      "Created":5,"State":"exited","Status":"Exited (0) 2 days ago",
                      "Mounts":[{"Type":"volume","Name":"lists-kept-vol","Destination":"/d"}]}]""");
            c.saveLastKnown(LastKnownList.IMAGES, """
                    [{"Id":"sha256:4444","RepoTags":["lists/kept:1"],"Created":5,"Size":4096}]""");
            c.saveLastKnown(LastKnownList.VOLUMES, """
                    [{"Name":"lists-kept-vol","Driver":"local","Mountpoint":"/nowhere"}]""");
            c.saveLastKnown(LastKnownList.NETWORKS, """
                    [{"Name":"lists-kept-net","Id":"9999","Driver":"bridge"}]""");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.docker("rm", "-f", "lists-user", "lists-keep", "lists-anon", "lists-on-net");
            engine.docker("network", "rm", "lists-used", "lists-unused");
            engine.docker("volume", "prune", "-a", "-f");
            engine.close();
        }
        Processes.run(Map.of(), null, 10, "ip", "link", "del", "br75lu");
        Processes.run(Map.of(), null, 10, "ip", "link", "del", "br75ln");
    }

    @Start
    void show(Stage stage) {
        desk = DeskWindow.show(stage, engine.daemon().socket(), dir.resolve("d.db"), Views.all(), 1280, 820);
        desk.recordCatalogUseOnFxThread(fxThreadUses);
        // not connected yet: each test connects when it is ready (the first after it has seen the kept lists)
    }

    @AfterEach
    void close(FxRobot robot) {
        desk.close(robot);
    }

    private void connected() throws Exception {
        if (desk.connection().state() != EngineConnection.State.CONNECTED) {
            WaitForAsyncUtils.asyncFx(desk.connection()::start).get(10, TimeUnit.SECONDS);
        }
        waitFor("connected", 15, () -> desk.connection().state() == EngineConnection.State.CONNECTED);
    }

    /** Opens a view by its nav button and returns its root (kept: views are built once). */
    private Node open(FxRobot robot, String id) throws Exception {
        robot.clickOn("#nav-" + id);
        waitFor(id + " shown", 5, () -> fx(() -> desk.window().lookup("#view-" + id) != null));
        return fx(() -> desk.window().lookup("#view-" + id));
    }

    private static boolean markShown(Node view, String id) throws Exception {
        return fx(() -> {
            Node l = view.lookup("#" + id + "-last-known");
            return l != null && l.isVisible() && l.isManaged() && LastKnownLabel.TEXT.equals(((Labeled) l).getText());
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> TableView<T> table(Node view, String id) throws Exception {
        return (TableView<T>) fx(() -> view.lookup("#" + id + "-table"));
    }

    private static List<String> names(TableView<JsonNode> t) throws Exception {
        return fx(() -> t.getItems().stream().map(n -> n.path("Name").asText()).toList());
    }

    @Test
    @Order(1)
    void keptListsAreShownAndMarkedUntilTheEngineAnswersThenReplacedAndKeptAgain(FxRobot robot) throws Exception {
        // the connection is not started: what the views show comes from the catalog
        Node containers = open(robot, "containers");
        TableView<ContainerRow> ct = table(containers, "containers");
        waitFor("the kept container", 10, () -> fx(() -> ct.getItems().stream().anyMatch(r -> r.name().equals("lists-kept-c"))));
        assertTrue(markShown(containers, "containers"), "the kept containers are marked as not live");

        Node images = open(robot, "images");
        TableView<ImageSummary> it = table(images, "images");
        waitFor("the kept image", 10, () -> fx(() -> it.getItems().stream().anyMatch(i -> i.repoTags().contains("lists/kept:1"))));
        assertTrue(markShown(images, "images"));
        // "used by" from the kept containers
        assertEquals("lists-kept-c", fx(() -> String.valueOf(column(it, "images-used-by").getCellData(0))));

        Node volumes = open(robot, "volumes");
        TableView<JsonNode> vt = table(volumes, "volumes");
        waitFor("the kept volume", 10, () -> names(vt).equals(List.of("lists-kept-vol")));
        assertTrue(markShown(volumes, "volumes"));
        assertEquals("lists-kept-c", fx(() -> String.valueOf(column(vt, "volumes-used-by").getCellData(0))));

        Node networks = open(robot, "networks");
        TableView<JsonNode> nt = table(networks, "networks");
        waitFor("the kept network", 10, () -> names(nt).equals(List.of("lists-kept-net")));
        assertTrue(markShown(networks, "networks"));

        // the engine answers: every list is its, the marks go, and the catalog keeps the new lists
        connected();
        waitFor("the engine's networks", 15, () -> names(nt).contains("bridge") && !names(nt).contains("lists-kept-net"));
        waitFor("the networks' mark gone", 5, () -> !markShown(networks, "networks"));
        waitFor("the engine's volumes (none)", 15, () -> names(vt).isEmpty() && !markShown(volumes, "volumes"));
        waitFor("the engine's images", 15, () -> fx(() -> it.getItems().stream().anyMatch(i -> i.repoTags().contains(engine.ref()))
                && it.getItems().stream().noneMatch(i -> i.repoTags().contains("lists/kept:1"))) && !markShown(images, "images"));
        waitFor("the engine's containers (none)", 15, () -> fx(() -> ct.getItems().isEmpty()) && !markShown(containers, "containers"));

        // each view shown again with its mark hidden: the scene still lays out and answers clicks
        for (String id : List.of("containers", "images", "volumes", "networks")) {
            Node view = open(robot, id);
            assertFalse(markShown(view, id));
            robot.clickOn("#" + id + "-table");
        }

        desk.catalog().watchAccess(null);
        waitFor("the engine's lists kept", 15, () -> desk.catalog().lastKnown(LastKnownList.NETWORKS).orElse("").contains("\"bridge\"")
                && desk.catalog().lastKnown(LastKnownList.IMAGES).orElse("").contains(engine.ref())
                && Json.MAPPER.readTree(desk.catalog().lastKnown(LastKnownList.VOLUMES).orElse("")).isEmpty()
                && Json.MAPPER.readTree(desk.catalog().lastKnown(LastKnownList.CONTAINERS).orElse("")).isEmpty());
        assertEquals(List.of(), fxThreadUses, "no catalog use on the FX thread");
    }

    @SuppressWarnings("unchecked")
    private static <T> TableColumn<T, ?> column(TableView<T> t, String id) {
        return t.getColumns().stream().filter(c -> id.equals(c.getId())).findFirst().orElseThrow();
    }

    private static ImageSummary byId(TableView<ImageSummary> t, String id) {
        return t.getItems().stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
    }

    private String imageId(String ref) {
        return engine.docker("image", "inspect", "-f", "{{.Id}}", ref).assertOk().stdout().strip();
    }

    private boolean imageExists(String id) {
        return engine.docker("image", "inspect", id).exitCode() == 0;
    }

    @Test
    @Order(2)
    void imagesAreTaggedShowTheirHistoryAndPruneRemovesDanglingOnesOnly(FxRobot robot) throws Exception {
        connected();
        String dangling = engine.pushAndPull(TestImages.busybox(TestImages.Options.defaults().withHello("lists dangling")), "lists/dangle:1");
        String used = engine.pushAndPull(TestImages.busybox(TestImages.Options.defaults().withHello("lists used")), "lists/used:1");
        String danglingId = imageId(dangling);
        String usedId = imageId(used);
        String busyboxId = imageId(engine.ref());
        engine.docker("create", "--network", "none", "--name", "lists-user", usedId.substring(7, 19), "true").assertOk();
        // the used image loses its tag too: dangling, but a container needs it
        engine.docker("tag", engine.ref(), used).assertOk();

        Node images = open(robot, "images");
        TableView<ImageSummary> t = table(images, "images");
        waitFor("busybox listed", 15, () -> fx(() -> byId(t, busyboxId) != null && byId(t, danglingId) != null));

        // Tag: busybox takes the dangling image's only tag, as `docker tag` would
        robot.interact(() -> t.getSelectionModel().select(byId(t, busyboxId)));
        robot.clickOn("#images-tag");
        waitFor("the tag dialog", 10, () -> robot.lookup("#images-tag-target").tryQuery().isPresent());
        robot.clickOn("#images-tag-target").write(dangling);
        // an image event while the dialog is open reloads the table under it (the selection goes with the old rows)
        engine.docker("tag", engine.ref(), "lists/meanwhile:1").assertOk();
        waitFor("the reload under the dialog", 15, () -> fx(() -> t.getItems().stream()
                .anyMatch(i -> i.repoTags().contains("lists/meanwhile:1"))));
        robot.clickOn("OK");
        waitFor("the new repo:tag in busybox's row", 15, () -> fx(() -> {
            ImageSummary b = byId(t, busyboxId);
            return b != null && t.getColumns().get(0).getCellData(b).toString().contains(dangling);
        }));
        assertEquals(busyboxId, imageId(dangling), "the engine has the tag on busybox");
        waitFor("the other image untagged", 15, () -> fx(() -> byId(t, danglingId) != null
                && "<none>".equals(t.getColumns().get(0).getCellData(byId(t, danglingId)))));
        assertEquals("Tagged " + dangling, fx(() -> ((Labeled) images.lookup("#images-message")).getText()));

        // History: each layer's step and size, as the engine's /images/{id}/history has them
        robot.interact(() -> t.getSelectionModel().select(byId(t, busyboxId)));
        robot.clickOn("#images-history");
        waitFor("the history", 10, () -> robot.lookup("#images-history-table").tryQuery().isPresent());
        @SuppressWarnings("unchecked")
        TableView<dev.berth.engine.client.model.ImageHistoryItem> h = robot.lookup("#images-history-table").queryAs(TableView.class);
        JsonNode history = Json.MAPPER.readTree(Processes.run(Map.of(), null, 10, "curl", "-sf", "--unix-socket",
                engine.daemon().socket().toString(), "http://berth/images/" + busyboxId + "/history").assertOk().stdout());
        assertTrue(history.size() >= 1, history.toString());
        List<List<String>> expected = new ArrayList<>();
        for (JsonNode layer : history) {
            expected.add(List.of(layer.path("CreatedBy").asText(), Sizes.human(layer.path("Size").asLong())));
        }
        List<List<String>> shown = fx(() -> {
            List<List<String>> out = new ArrayList<>();
            for (int i = 0; i < h.getItems().size(); i++) {
                out.add(List.of(String.valueOf(h.getColumns().get(2).getCellData(i)), String.valueOf(h.getColumns().get(3).getCellData(i))));
            }
            return out;
        });
        assertEquals(expected, shown);
        assertTrue(expected.stream().anyMatch(r -> !r.get(1).equals(Sizes.human(0))), "a layer with content: " + expected);
        robot.interact(() -> new ArrayList<>(Window.getWindows()).stream().filter(w -> w != desk.stage() && w instanceof Stage)
                .forEach(w -> ((Stage) w).close()));
        robot.targetWindow(desk.stage());

        // Prune: the unused dangling image goes; the used one and the tagged one stay
        robot.clickOn("#images-prune");
        robot.clickOn("OK");
        waitFor("the dangling image pruned", 20, () -> !imageExists(danglingId));
        assertTrue(imageExists(usedId), "a container's image stays, tag or not");
        assertTrue(imageExists(busyboxId));
        waitFor("the table follows", 15, () -> fx(() -> byId(t, danglingId) == null && byId(t, usedId) != null));
        String said = fx(() -> ((Labeled) images.lookup("#images-message")).getText());
        assertTrue(said.startsWith("Pruned 1 image, reclaimed "), said);
        engine.docker("rm", "-f", "lists-user");
    }

    @Test
    @Order(3)
    void volumesAndNetworksArePrunedKeepingWhatIsUsedAndNamedVolumes(FxRobot robot) throws Exception {
        connected();
        engine.docker("volume", "create", "lists-named").assertOk();
        engine.docker("create", "--network", "none", "-v", "/data", "--name", "lists-anon", engine.ref(), "true").assertOk();
        String anon = engine.docker("inspect", "-f", "{{(index .Mounts 0).Name}}", "lists-anon").assertOk().stdout().strip();
        engine.docker("rm", "lists-anon").assertOk(); // without -v: its anonymous volume stays, unused
        engine.docker("create", "--network", "none", "-v", "/data", "--name", "lists-keep", engine.ref(), "true").assertOk();
        String kept = engine.docker("inspect", "-f", "{{(index .Mounts 0).Name}}", "lists-keep").assertOk().stdout().strip();

        Node volumes = open(robot, "volumes");
        TableView<JsonNode> vt = table(volumes, "volumes");
        waitFor("three volumes listed", 15, () -> names(vt).containsAll(List.of("lists-named", anon, kept)));
        robot.clickOn("#volumes-prune");
        robot.clickOn("OK");
        waitFor("the unused anonymous volume pruned", 15, () -> engine.docker("volume", "inspect", anon).exitCode() != 0);
        assertEquals(0, engine.docker("volume", "inspect", "lists-named").exitCode(), "named volumes stay, as docker volume prune");
        assertEquals(0, engine.docker("volume", "inspect", kept).exitCode(), "a used volume stays");
        waitFor("the table follows", 10, () -> !names(vt).contains(anon) && names(vt).contains(kept));
        String prunedVolumes = fx(() -> ((Labeled) volumes.lookup("#volumes-message")).getText());
        assertTrue(prunedVolumes.startsWith("Pruned " + anon), prunedVolumes);

        engine.docker("network", "create", "--subnet", "10.75.41.0/24", "-o", "com.docker.network.bridge.name=br75lu",
                "lists-unused").assertOk();
        engine.docker("network", "create", "--subnet", "10.75.42.0/24", "-o", "com.docker.network.bridge.name=br75ln",
                "lists-used").assertOk();
        engine.docker("run", "-d", "--network", "lists-used", "--name", "lists-on-net", engine.ref(), "sleep", "300").assertOk();
        Node networks = open(robot, "networks");
        TableView<JsonNode> nt = table(networks, "networks");
        waitFor("both networks listed", 15, () -> names(nt).containsAll(List.of("lists-unused", "lists-used")));
        robot.clickOn("#networks-prune");
        robot.clickOn("OK");
        waitFor("the unused network pruned", 15, () -> engine.docker("network", "inspect", "lists-unused").exitCode() != 0);
        assertEquals(0, engine.docker("network", "inspect", "lists-used").exitCode(), "a network a container is on stays");
        assertEquals(0, engine.docker("network", "inspect", "bridge").exitCode());
        waitFor("the table follows", 10, () -> !names(nt).contains("lists-unused") && names(nt).contains("lists-used"));
        String said = fx(() -> ((Labeled) networks.lookup("#networks-message")).getText());
        assertTrue(said.startsWith("Pruned ") && said.contains("lists-unused") && !said.contains("lists-used"), said);
        engine.docker("rm", "-f", "lists-on-net", "lists-keep").assertOk();
        engine.docker("network", "rm", "lists-used").assertOk();
        assertFalse(names(nt).contains("lists-kept-net"));
    }
}
