package dev.berth.desktop.containers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.desktop.core.UiExecutor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run dialog's view model with the synchronous executor and a recording runner in place of create + start. */
class RunContainerViewModelTest {
    private final List<String> names = new ArrayList<>();
    private final List<ObjectNode> bodies = new ArrayList<>();

    private RunContainerViewModel vm(RuntimeException failure) {
        return new RunContainerViewModel(UiExecutor.synchronous(), () -> List.of("bridge", "runvm-net"), (name, body) -> {
            if (failure != null) {
                throw failure;
            }
            names.add(name);
            bodies.add(body);
            return "id-" + bodies.size();
        });
    }

    @Test
    void refusedInputSaysWhyAndSendsNothingThenTheFixedInputRuns() {
        RunContainerViewModel vm = vm(null);
        assertEquals(List.of("bridge", "runvm-net"), vm.networks());
        assertTrue(vm.imageMissingProperty().get());
        vm.imageProperty().set("busybox:latest");
        assertFalse(vm.imageMissingProperty().get());
        vm.nameProperty().set("  runvm-web ");
        vm.portsProperty().set("8080:80");
        vm.envProperty().set("A=1\nNOVALUE");
        vm.networkProperty().set("runvm-net");
        List<String> started = new ArrayList<>();
        assertFalse(vm.run(started::add));
        assertEquals("Environment \"NOVALUE\": write NAME=value, one a line.", vm.errorProperty().get());
        assertTrue(bodies.isEmpty(), "nothing sent");

        vm.envProperty().set("A=1");
        assertTrue(vm.run(started::add));
        assertEquals("", vm.errorProperty().get());
        assertEquals(List.of("id-1"), started);
        assertEquals(List.of("runvm-web"), names, "the name is stripped");
        assertEquals("busybox:latest", bodies.getFirst().path("Image").asText());
        assertEquals("runvm-net", bodies.getFirst().path("HostConfig").path("NetworkMode").asText());
        assertEquals("[\"A=1\"]", bodies.getFirst().path("Env").toString());
        assertEquals("no", bodies.getFirst().path("HostConfig").path("RestartPolicy").path("Name").asText("no"),
                "\"no\" is the default policy");
    }

    @Test
    void theEnginesRefusalIsShownAndNothingStarts() {
        RunContainerViewModel vm = vm(new IllegalStateException("No such image: runvm/none:1"));
        vm.imageProperty().set("runvm/none:1");
        vm.restartProperty().set(null);
        List<String> started = new ArrayList<>();
        assertTrue(vm.run(started::add), "the input itself was fine");
        assertEquals("No such image: runvm/none:1", vm.errorProperty().get());
        assertTrue(started.isEmpty());
    }
}
