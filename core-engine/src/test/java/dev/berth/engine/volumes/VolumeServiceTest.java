package dev.berth.engine.volumes;

import dev.berth.engine.catalog.Catalog;
import dev.berth.engine.events.EngineEvent;
import dev.berth.engine.events.EventBus;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The volume service over a real SQLite catalog and a temporary data root. */
class VolumeServiceTest {
    @TempDir
    Path dir;
    Catalog catalog;
    VolumeService volumes;
    final List<EngineEvent> events = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        catalog = new Catalog(dir.resolve("catalog.db"));
        EventBus bus = new EventBus();
        bus.subscribe(events::add);
        volumes = new VolumeService(new VolumeStore(catalog), dir.resolve("volumes"), bus);
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    static BerthException fails(ErrorCategory category, Runnable r) {
        BerthException e = assertThrows(BerthException.class, r::run);
        assertEquals(category, e.category(), e.getMessage());
        return e;
    }

    @Test
    void createIsIdempotentAndKeepsTheFirstLabels() {
        Map<String, Object> first = volumes.create("vol1", "", Map.of("a", "1"), Map.of());
        assertEquals("vol1", first.get("Name"));
        assertEquals("local", first.get("Driver"));
        assertEquals("local", first.get("Scope"));
        assertEquals(dir.resolve("volumes/vol1/_data").toString(), first.get("Mountpoint"));
        assertTrue(Files.isDirectory(dir.resolve("volumes/vol1/_data")));
        Map<String, Object> again = volumes.create("vol1", "local", Map.of("b", "2"), Map.of());
        assertEquals(Map.of("a", "1"), again.get("Labels"));
        assertEquals(1, events.stream().filter(e -> e.action().equals("create")).count(), "one create event");
        assertEquals("volume", events.getFirst().type());
        assertEquals("vol1", events.getFirst().actor().id());
    }

    @Test
    void namesDriversAndOptionsAreValidated() {
        assertEquals("create x: volume name is too short, names should be at least two alphanumeric characters",
                fails(ErrorCategory.INVALID_ARGUMENT, () -> volumes.create("x", "", Map.of(), Map.of())).getMessage());
        assertEquals("create ../up: \"../up\" includes invalid characters for a local volume name, only "
                        + "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path",
                fails(ErrorCategory.INVALID_ARGUMENT, () -> volumes.create("../up", "", Map.of(), Map.of())).getMessage());
        assertFalse(Files.exists(dir.resolve("up")));
        fails(ErrorCategory.INVALID_ARGUMENT, () -> volumes.create(".hidden", "", Map.of(), Map.of()));
        assertEquals("error looking up volume plugin nfsplug: plugin \"nfsplug\" not found",
                fails(ErrorCategory.NOT_FOUND, () -> volumes.create("vol2", "nfsplug", Map.of(), Map.of())).getMessage());
        assertEquals("invalid option: \"bogus\"",
                fails(ErrorCategory.INVALID_ARGUMENT, () -> volumes.create("vol2", "", Map.of(), Map.of("bogus", "1"))).getMessage());
        assertEquals("missing required option: \"device\"",
                fails(ErrorCategory.INVALID_ARGUMENT, () -> volumes.create("vol2", "", Map.of(), Map.of("type", "tmpfs"))).getMessage());
        fails(ErrorCategory.INVALID_ARGUMENT, () -> volumes.create("vol2", "", Map.of(), Map.of("size", "1g")));
        fails(ErrorCategory.NOT_IMPLEMENTED, () -> volumes.create("vol2", "", Map.of(), Map.of("type", "nfs", "device", ":/x")));
        assertFalse(Files.exists(dir.resolve("volumes/vol2")), "nothing half-made");
        assertEquals(List.of(), volumes.store().all());
    }

    @Test
    void referencedVolumesAreInUse() {
        volumes.acquire("shared", "", Map.of(), Map.of(), "c1");
        volumes.acquire("shared", "", Map.of(), Map.of(), "c2");
        assertEquals("remove shared: volume is in use - [c1, c2]",
                fails(ErrorCategory.CONFLICT, () -> volumes.remove("shared", false)).getMessage());
        fails(ErrorCategory.CONFLICT, () -> volumes.remove("shared", true));
        volumes.released("c1", List.of());
        volumes.released("c2", List.of("shared"));
        assertEquals(List.of(), volumes.store().all(), "released with the name among the anonymous to remove");
        assertEquals("get shared: no such volume",
                fails(ErrorCategory.NOT_FOUND, () -> volumes.remove("shared", false)).getMessage());
        volumes.remove("shared", true);
        assertEquals(List.of("create", "destroy"), events.stream().map(EngineEvent::action).toList());
    }

    @SuppressWarnings("unchecked")
    static List<String> names(Map<String, Object> list) {
        return ((List<Map<String, Object>>) list.get("Volumes")).stream().map(v -> (String) v.get("Name")).toList();
    }

    @Test
    void listFilters() {
        volumes.create("red1", "", Map.of("color", "red"), Map.of());
        volumes.create("blue1", "", Map.of("color", "blue", "x", ""), Map.of());
        volumes.acquire("used1", "", Map.of(), Map.of(), "c1");
        assertEquals(List.of("blue1", "red1", "used1"), names(volumes.list(Map.of())));
        assertEquals(List.of("red1"), names(volumes.list(Map.of("label", List.of("color=red")))));
        assertEquals(List.of("blue1"), names(volumes.list(Map.of("label", List.of("color", "x")))));
        fails(ErrorCategory.INVALID_ARGUMENT, () -> volumes.list(Map.of("label!", List.of("x")))); // prune only, as Docker
        assertEquals(List.of("blue1", "red1"), names(volumes.list(Map.of("dangling", List.of("true")))));
        assertEquals(List.of("used1"), names(volumes.list(Map.of("dangling", List.of("false")))));
        assertEquals(List.of("red1"), names(volumes.list(Map.of("name", List.of("^re")))), "a regular expression, as Docker matches names");
        assertEquals(List.of(), names(volumes.list(Map.of("driver", List.of("other")))));
        fails(ErrorCategory.INVALID_ARGUMENT, () -> volumes.list(Map.of("bogus", List.of("1"))));
        fails(ErrorCategory.INVALID_ARGUMENT, () -> volumes.list(Map.of("dangling", List.of("maybe"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void pruneTakesUnusedAnonymousVolumesUnlessAll() throws Exception {
        VolumeRecord anon = volumes.acquire("", "", Map.of(), Map.of(), null);
        assertTrue(anon.anonymous());
        assertTrue(anon.name().matches("[0-9a-f]{64}"));
        Files.writeString(volumes.dataPath(anon.name()).resolve("f"), "12345");
        VolumeRecord usedAnon = volumes.acquire("", "", Map.of(), Map.of(), "c1");
        volumes.create("named1", "", Map.of(), Map.of());
        volumes.create("withopts", "", Map.of(), Map.of("type", "tmpfs", "device", "tmpfs"));

        Map<String, Object> r = volumes.prune(Map.of());
        assertEquals(List.of(anon.name()), r.get("VolumesDeleted"));
        assertEquals(5L, r.get("SpaceReclaimed"));
        assertFalse(Files.exists(volumes.dataPath(anon.name())));

        Map<String, Object> all = volumes.prune(Map.of("all", List.of("true")));
        assertEquals(List.of("named1"), all.get("VolumesDeleted"), "in use and mounted-filesystem volumes are kept");
        assertEquals(List.of("withopts", usedAnon.name()).stream().sorted().toList(),
                volumes.store().all().stream().map(VolumeRecord::name).sorted().toList());
        fails(ErrorCategory.INVALID_ARGUMENT, () -> volumes.prune(Map.of("dangling", List.of("true"))));
        fails(ErrorCategory.INVALID_ARGUMENT, () -> volumes.prune(Map.of("all", List.of("maybe"))));
        assertTrue(events.stream().anyMatch(e -> e.action().equals("prune") && e.actor().attributes().get("reclaimed").equals("5")));
    }

    @Test
    void diskUsageCountsBytesAndReferences() throws Exception {
        volumes.acquire("du1", "", Map.of(), Map.of(), "c1");
        Files.writeString(volumes.dataPath("du1").resolve("f"), "abc");
        Map<String, Object> v = volumes.diskUsage().getFirst();
        assertEquals(Map.of("Size", 3L, "RefCount", 1), v.get("UsageData"));
    }

    @Test
    void recoverDropsStaleReferencesAndOrphanDirectories() throws Exception {
        volumes.acquire("kept", "", Map.of(), Map.of(), "gone-container");
        Files.createDirectories(dir.resolve("volumes/orphan/_data"));
        volumes.recover();
        assertFalse(Files.exists(dir.resolve("volumes/orphan")));
        assertTrue(Files.exists(volumes.dataPath("kept")));
        volumes.remove("kept", false);
    }

    @Test
    void volumesSurviveReopeningTheCatalog() throws Exception {
        volumes.acquire("durable", "", Map.of("k", "v"), Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=1m"), "c9");
        catalog.close();
        catalog = new Catalog(dir.resolve("catalog.db"));
        VolumeService reopened = new VolumeService(new VolumeStore(catalog), dir.resolve("volumes"), new EventBus());
        VolumeRecord v = reopened.require("durable");
        assertEquals(Map.of("k", "v"), v.labels());
        assertEquals("size=1m", v.options().get("o"));
        assertEquals(List.of("c9"), reopened.store().refs("durable"));
    }
}
