package dev.berth.engine.images;

import dev.berth.engine.catalog.Catalog;
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
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * moby's rules for images with a Parent (classic-builder steps): listing, delete with and without
 * prune, the dependent-child conflict, prune, and history IDs; over a real catalog and blob store.
 * DockerEngineBuildComparisonTest checks the same against dockerd with the docker CLI.
 */
class ImageParentsRulesTest {
    @TempDir
    Path dir;
    Catalog catalog;
    ImageService service;

    @BeforeEach
    void open() throws Exception {
        catalog = new Catalog(dir.resolve("catalog.db"));
        service = new ImageService(new BlobStore(dir.resolve("content")), new ImageStore(catalog),
                new LayerStore(dir.resolve("layers")), new EventBus());
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    /** How many history entries each image has: its parent's plus one, as a build step's config does. */
    private final Map<Digest, Integer> depth = new java.util.HashMap<>();

    private Digest image(String seed, Digest parent, String... refs) throws Exception {
        int n = parent == null ? 1 : depth.get(parent) + 1;
        String history = String.join(",", java.util.Collections.nCopies(n, "{\"created_by\":\"step\",\"empty_layer\":true}"));
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:0" + seed
                + "Z\",\"config\":{\"Labels\":{\"seed\":\"" + seed + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
                + "\"history\":[" + history + "]}")
                .getBytes(StandardCharsets.UTF_8);
        Digest id = service.blobs().put(config);
        Digest manifest = service.blobs().put(("{\"m\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8));
        service.register(id, manifest, MediaTypes.OCI_MANIFEST, List.of(), List.of(refs));
        if (parent != null) {
            service.store().parents().set(id, parent);
        }
        depth.put(id, n);
        return id;
    }

    private List<String> ids(List<Map<String, Object>> list) {
        return list.stream().map(m -> (String) m.get("Id")).sorted().toList();
    }

    private static List<String> sorted(Digest... ids) {
        return java.util.Arrays.stream(ids).map(Digest::toString).sorted().toList();
    }

    /** base (tagged) ← s1 ← s2 ← top (tagged): a build's chain. */
    @Test
    void untaggedParentsAreHiddenWithoutAllAndTheirDeletePrunesThem() throws Exception {
        Digest base = image("1", null, "docker.io/library/base:latest");
        Digest s1 = image("2", base);
        Digest s2 = image("3", s1);
        Digest top = image("4", s2, "docker.io/library/app:latest");
        assertEquals(sorted(base, top), ids(service.list(Map.of())));
        assertEquals(sorted(base, s1, s2, top), ids(service.list(Map.of(), true)));
        assertEquals(List.of(), ids(service.list(Map.of("dangling", List.of("true")), true)), "dangling lists only heads");
        assertEquals(s2.toString(), service.inspect("app").get("Parent"));
        assertEquals("", service.inspect("base").get("Parent"));
        assertEquals(s1.toString(), service.list(Map.of(), true).stream()
                .filter(m -> m.get("Id").equals(s2.toString())).findFirst().orElseThrow().get("ParentId"));

        var history = service.history("app");
        assertEquals(List.of(top.toString(), s2.toString(), s1.toString(), base.toString()),
                history.stream().map(h -> h.get("Id")).toList(), "each step's entry names its image");
        assertEquals(List.of("base:latest"), history.get(3).get("Tags"));

        BerthException e = assertThrows(BerthException.class, () -> service.remove(s1.hex(), true));
        assertEquals(ErrorCategory.CONFLICT, e.category());
        assertEquals("conflict: unable to delete " + s1.shortHex() + " (cannot be forced) - image has dependent child images",
                e.getMessage());
        // Untagging a parent that has children leaves it, untagged
        service.tag(s1.toString(), "docker.io/library/mid", "v1");
        assertEquals(List.of(new ImageService.DeleteItem("mid:v1", null)), service.remove("mid:v1", false));
        assertTrue(service.find(s1.toString()).isPresent());

        var items = service.remove("app", false);
        assertEquals(List.of(new ImageService.DeleteItem("app:latest", null), new ImageService.DeleteItem(null, top.toString()),
                new ImageService.DeleteItem(null, s2.toString()), new ImageService.DeleteItem(null, s1.toString())), items);
        assertTrue(service.find(base.toString()).isPresent(), "a tagged parent stays");
        assertEquals(sorted(base), ids(service.list(Map.of(), true)));
    }

    @Test
    void noPruneKeepsTheStepsAndASharedParentStays() throws Exception {
        Digest base = image("1", null, "docker.io/library/base:latest");
        Digest shared = image("2", base);
        Digest a = image("3", shared, "docker.io/library/a:latest");
        Digest b = image("4", shared, "docker.io/library/b:latest");
        service.remove("a", false);
        assertTrue(service.find(shared.toString()).isPresent(), "b still builds on it");
        assertFalse(service.find(a.toString()).isPresent());
        service.remove("b", false, false);
        assertFalse(service.find(b.toString()).isPresent());
        assertTrue(service.find(shared.toString()).isPresent(), "noprune");
        assertEquals(sorted(base, shared), ids(service.list(Map.of())), "no child left: shown, dangling");
        assertEquals(Optional.empty(), service.store().parents().parent(b));
    }

    @Test
    void pruneTakesDanglingHeadsWithTheirStepsNotParents() throws Exception {
        Digest base = image("1", null, "docker.io/library/base:latest");
        Digest s1 = image("2", base);
        Digest old = image("3", s1);
        Digest now = image("4", s1, "docker.io/library/app:latest");
        Digest oldStep = image("5", base);
        Digest oldTop = image("6", oldStep);
        assertEquals(sorted(old, oldTop), ids(service.list(Map.of("dangling", List.of("true")))));
        Map<String, Object> report = service.prune(Map.of());
        @SuppressWarnings("unchecked")
        List<Map<String, String>> deleted = (List<Map<String, String>>) report.get("ImagesDeleted");
        assertEquals(sorted(old, oldTop, oldStep), deleted.stream().map(m -> m.get("Deleted")).sorted().toList());
        assertEquals(sorted(base, s1, now), ids(service.list(Map.of(), true)));
    }
}
