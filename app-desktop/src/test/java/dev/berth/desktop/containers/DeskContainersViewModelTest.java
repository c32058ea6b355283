package dev.berth.desktop.containers;

import dev.berth.engine.client.model.ContainerSummary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pure parts of the containers view-model: ordering, filtering, port text. */
class DeskContainersViewModelTest {
    static ContainerSummary summary(String id, String name, String state, long created, Map<String, String> labels,
                                    List<ContainerSummary.Port> ports) {
        return new ContainerSummary(id, List.of("/" + name), "busybox", "sha256:x", "sleep", created, ports, 0, 0, labels,
                state, state, null, null);
    }

    @Test
    void composeProjectsGroupTogetherAndFilterMatchesNameImageStateProject() {
        ContainersViewModel vm = new ContainersViewModel(DeskFakes.services());
        vm.setList(List.of(
                summary("a1", "web", "running", 3, Map.of(ContainerRow.COMPOSE_PROJECT, "shop"), List.of()),
                summary("b2", "lonely", "exited", 5, Map.of(), List.of()),
                summary("c3", "db", "running", 1, Map.of(ContainerRow.COMPOSE_PROJECT, "shop"), List.of())));
        assertEquals(List.of("lonely", "web", "db"), vm.rows().stream().map(ContainerRow::name).toList());
        vm.filterProperty().set("shop");
        assertEquals(List.of("web", "db"), vm.filtered().stream().map(ContainerRow::name).toList());
        vm.filterProperty().set("EXITED");
        assertEquals(List.of("lonely"), vm.filtered().stream().map(ContainerRow::name).toList());
    }

    @Test
    void portsPrintLikeDockerPs() {
        ContainerRow r = ContainerRow.of(summary("a1", "web", "running", 1, Map.of(),
                List.of(new ContainerSummary.Port("0.0.0.0", 80, 8080, "tcp"), new ContainerSummary.Port(null, 443, 0, "tcp"))));
        assertEquals("0.0.0.0:8080->80/tcp, 443/tcp", r.portsText());
    }
}
