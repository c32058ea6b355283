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
        assertEquals(List.of("shop", "web", "db"), vm.filtered().stream().map(ContainerRow::name).toList());
        vm.filterProperty().set("EXITED");
        assertEquals(List.of("lonely"), vm.filtered().stream().map(ContainerRow::name).toList());
    }

    @Test
    void portsPrintLikeDockerPs() {
        ContainerRow r = ContainerRow.of(summary("a1", "web", "running", 1, Map.of(),
                List.of(new ContainerSummary.Port("0.0.0.0", 80, 8080, "tcp"), new ContainerSummary.Port(null, 443, 0, "tcp"))));
        assertEquals("0.0.0.0:8080->80/tcp, 443/tcp", r.portsText());
    }

    @Test
    void composeHeadersFoldTheirProjectAndStandForItsContainersInActions() {
        ContainersViewModel vm = new ContainersViewModel(DeskFakes.services());
        vm.setList(List.of(
                summary("a1", "web", "running", 3, Map.of(ContainerRow.COMPOSE_PROJECT, "shop"), List.of()),
                summary("b2", "lonely", "exited", 5, Map.of(), List.of()),
                summary("c3", "db", "exited", 1, Map.of(ContainerRow.COMPOSE_PROJECT, "shop"), List.of())));
        ContainerRow header = vm.filtered().stream().filter(ContainerGroups::isHeader).findFirst().orElseThrow();
        assertEquals("1 of 2 running", header.status());
        assertEquals("running", header.state());
        vm.toggleProject("shop");
        assertEquals(List.of("lonely", "shop"), vm.filtered().stream().map(ContainerRow::name).toList());
        vm.toggleProject("shop");
        assertEquals(4, vm.filtered().size());
        assertEquals(List.of("a1", "c3", "b2"), ContainerGroups.expand(List.of(header.id(), "a1", "b2"), vm.rows()));
        // sorting by name keeps the header first and its members under it
        List<ContainerRow> sorted = new java.util.ArrayList<>(vm.filtered());
        sorted.sort(ContainerGroups.comparator(java.util.Comparator.comparing(ContainerRow::name)));
        assertEquals(List.of("lonely", "shop", "db", "web"), sorted.stream().map(ContainerRow::name).toList());
    }
}
