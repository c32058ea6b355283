package dev.berth.engine.images;

import dev.berth.engine.catalog.Catalog;
import dev.berth.engine.events.EngineEvent;
import dev.berth.engine.events.EventBus;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import dev.berth.images.manifest.MediaTypes;
import dev.berth.images.store.BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Docker's name resolution and untag-then-delete rules, over a real SQLite catalog and blob store. */
class ImageServiceRulesTest {
    @TempDir
    Path dir;
    Catalog catalog;
    ImageService service;
    final List<EngineEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        catalog = new Catalog(dir.resolve("catalog.db"));
        EventBus bus = new EventBus();
        bus.subscribe(events::add);
        service = new ImageService(new BlobStore(dir.resolve("content")), new ImageStore(catalog),
                new LayerStore(dir.resolve("layers")), bus);
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    /** A layerless image whose config differs by {@code seed}, so each gets its own ID. */
    private ImageRecord image(String seed, String... refs) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-0" + seed
                + "T00:00:00Z\",\"config\":{\"Labels\":{\"seed\":\"" + seed + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")
                .getBytes(StandardCharsets.UTF_8);
        Digest id = service.blobs().put(config);
        Digest manifest = service.blobs().put(("{\"m\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8));
        return service.register(id, manifest, MediaTypes.OCI_MANIFEST, List.of(), List.of(refs));
    }

    @Test
    void findsByNameIdAndPrefix() throws Exception {
        ImageRecord img = image("1", "docker.io/library/busybox:latest");
        assertEquals(img.id(), service.require("busybox").id());
        assertEquals(img.id(), service.require("busybox:latest").id());
        assertEquals(img.id(), service.require("docker.io/library/busybox").id());
        assertEquals(img.id(), service.require(img.id().toString()).id());
        assertEquals(img.id(), service.require(img.id().hex()).id());
        assertEquals(img.id(), service.require(img.id().hex().substring(0, 12)).id());
        BerthException e = assertThrows(BerthException.class, () -> service.require("busybox:other"));
        assertEquals(ErrorCategory.NOT_FOUND, e.category());
        assertEquals("No such image: busybox:other", e.getMessage());
    }

    @Test
    void removingOneOfTwoTagsOnlyUntags() throws Exception {
        ImageRecord img = image("1", "docker.io/library/busybox:latest", "localhost:5000/mine:v1");
        var items = service.remove("busybox", false);
        assertEquals(List.of(new ImageService.DeleteItem("busybox:latest", null)), items);
        assertTrue(service.find(img.id().toString()).isPresent());
        assertEquals(List.of("localhost:5000/mine:v1"), service.inspect(img.id().toString()).get("RepoTags"));
    }

    @Test
    void removingLastTagDeletesImageAndItsDigestReferences() throws Exception {
        ImageRecord img = image("1", "docker.io/library/busybox:latest",
                "docker.io/library/busybox@sha256:" + "a".repeat(64));
        var items = service.remove("busybox:latest", false);
        assertEquals(new ImageService.DeleteItem("busybox:latest", null), items.get(0));
        assertEquals(new ImageService.DeleteItem("busybox@sha256:" + "a".repeat(64), null), items.get(1));
        assertEquals(new ImageService.DeleteItem(null, img.id().toString()), items.get(2));
        assertTrue(service.find(img.id().toString()).isEmpty());
        assertFalse(service.blobs().contains(img.id()), "config blob is garbage-collected with the image");
        assertTrue(events.stream().anyMatch(e -> e.action().equals("delete")));
    }

    @Test
    void removingByIdWithTagsInTwoRepositoriesNeedsForce() throws Exception {
        ImageRecord img = image("1", "docker.io/library/busybox:latest", "docker.io/library/other:1");
        BerthException e = assertThrows(BerthException.class, () -> service.remove(img.id().hex().substring(0, 12), false));
        assertEquals(ErrorCategory.CONFLICT, e.category());
        assertTrue(e.getMessage().contains("image is referenced in multiple repositories"), e.getMessage());
        var items = service.remove(img.id().hex().substring(0, 12), true);
        assertEquals(3, items.size(), items.toString());
        assertTrue(service.find(img.id().toString()).isEmpty());
    }

    @Test
    void tagMovesBetweenImagesAndOldOneBecomesDangling() throws Exception {
        ImageRecord a = image("1", "docker.io/library/app:latest");
        ImageRecord b = image("2");
        service.tag(b.id().toString(), "app", "latest");
        assertEquals(b.id(), service.require("app").id());
        assertEquals(List.of(), service.inspect(a.id().toString()).get("RepoTags"));
        var dangling = service.list(Map.of("dangling", List.of("true")));
        assertEquals(1, dangling.size());
        assertEquals(a.id().toString(), dangling.getFirst().get("Id"));
    }

    @Test
    void tagRejectsDigestsAndBadTags() throws Exception {
        ImageRecord a = image("1", "docker.io/library/app:latest");
        assertEquals(ErrorCategory.INVALID_ARGUMENT, assertThrows(BerthException.class,
                () -> service.tag("app", "app@sha256:" + "b".repeat(64), null)).category());
        assertEquals(ErrorCategory.INVALID_ARGUMENT, assertThrows(BerthException.class,
                () -> service.tag("app", "app", "-bad")).category());
        assertEquals(ErrorCategory.INVALID_ARGUMENT, assertThrows(BerthException.class,
                () -> service.tag("app", "App", "x")).category());
        assertEquals(a.id(), service.require("app:latest").id());
    }

    @Test
    void pruneRemovesOnlyDanglingUnlessAskedForAll() throws Exception {
        ImageRecord keep = image("1", "docker.io/library/keep:latest");
        ImageRecord dangling = image("2");
        var result = service.prune(Map.of());
        assertEquals(List.of(Map.of("Deleted", dangling.id().toString())), result.get("ImagesDeleted"));
        assertEquals(1, service.store().list().size());
        var all = service.prune(Map.of("dangling", List.of("false")));
        assertEquals(List.of(Map.of("Untagged", "keep:latest"), Map.of("Deleted", keep.id().toString())),
                all.get("ImagesDeleted"));
        assertTrue(service.store().list().isEmpty());
    }

    @Test
    void referenceFilterMatchesGlobs() throws Exception {
        image("1", "docker.io/library/busybox:latest");
        image("2", "localhost:5000/team/app:v1");
        assertEquals(1, service.list(Map.of("reference", List.of("busybox"))).size());
        assertEquals(1, service.list(Map.of("reference", List.of("localhost:5000/team/*"))).size());
        assertEquals(1, service.list(Map.of("reference", List.of("*/*/*:v1"))).size());
        assertEquals(0, service.list(Map.of("reference", List.of("*:v1"))).size(), "* never crosses a slash, as in docker");
        assertEquals(0, service.list(Map.of("reference", List.of("nothing"))).size());
        assertEquals(1, service.list(Map.of("label", List.of("seed=2"))).size());
    }

    @Test
    void catalogSurvivesReopen() throws Exception {
        ImageRecord img = image("1", "docker.io/library/busybox:latest");
        catalog.close();
        open();
        assertEquals(img.id(), service.require("busybox").id());
    }
}
