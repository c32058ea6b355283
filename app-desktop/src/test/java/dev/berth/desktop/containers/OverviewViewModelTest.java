package dev.berth.desktop.containers;

import dev.berth.desktop.core.UiExecutor;
import dev.berth.images.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Overview tab's view model with the synchronous executor, from an inspect answer or its failure. */
class OverviewViewModelTest {
    @Test
    void rowsComeFromTheInspectAnswer() {
        OverviewViewModel vm = new OverviewViewModel(UiExecutor.synchronous(), () -> Json.MAPPER.readTree("""
                {"Id":"abc123","Name":"/ov-web","Created":"2026-12-06T23:00:00Z","State":{"Status":"running"},
                 "Config":{"Image":"busybox:latest","Cmd":["sleep","300"]}}"""));
        assertEquals("", vm.messageProperty().get());
        assertEquals(List.of("ID=abc123", "Name=ov-web", "Image=busybox:latest", "State=running",
                "Created=2026-12-06T23:00:00Z", "Command=sleep 300"),
                vm.fields().stream().map(f -> f.key() + "=" + f.value()).toList());
    }

    @Test
    void aFailedInspectSaysWhyAndShowsNoRows() {
        OverviewViewModel vm = new OverviewViewModel(UiExecutor.synchronous(), () -> {
            throw new IllegalStateException("No such container: ov-gone");
        });
        assertEquals("Cannot inspect: No such container: ov-gone", vm.messageProperty().get());
        assertTrue(vm.fields().isEmpty());
    }
}
