package dev.berth.desktop.ui;

import dev.berth.engine.client.model.ContainerSummary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The images view's "used by": container names by ImageID, sorted, as the volumes and networks views name them. */
class DeskUsedByTest {
    static ContainerSummary container(String id, List<String> names, String imageId) {
        return new ContainerSummary(id, names, "busybox", imageId, "sleep", 1, List.of(), 0, 0, Map.of(),
                "exited", "exited", null, null);
    }

    @Test
    void imagesAreIndexedByImageIdWithSortedNames() {
        Map<String, List<String>> index = UsedBy.byImage(List.of(
                container("c1", List.of("/web"), "sha256:a"),
                container("0123456789abcdef", List.of(), "sha256:a"),
                container("c3", List.of("/db"), "sha256:b"),
                container("c4", List.of("/orphan"), null)));
        assertEquals(List.of("0123456789ab", "web"), index.get("sha256:a"));
        assertEquals(List.of("db"), index.get("sha256:b"));
        assertEquals(2, index.size(), "a container without an ImageID indexes nothing");
    }
}
