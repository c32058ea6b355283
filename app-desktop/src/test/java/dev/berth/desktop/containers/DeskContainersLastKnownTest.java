package dev.berth.desktop.containers;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.UiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Before the engine answers, the containers view shows the list the catalog kept from last time. */
class DeskContainersLastKnownTest {
    /** Two entries as {@code GET /containers/json} sends them (with a field the model does not know). */
    static final String LIST = """
            [{"Id":"a1b2c3d4e5f6a7b8","Names":["/deskstart-web"],"Image":"busybox","ImageID":"sha256:x","Command":"sleep 9",
              "Created":20,"Ports":[{"PrivatePort":80,"PublicPort":8080,"Type":"tcp","IP":"0.0.0.0"}],"Labels":{},
              "State":"running","Status":"Up 2 minutes","HostConfig":{"NetworkMode":"none"}},
             {"Id":"f6e5d4c3b2a1f6e5","Names":["/deskstart-old"],"Image":"busybox","ImageID":"sha256:x","Command":"true",
              "Created":10,"Ports":[],"Labels":{},"State":"exited","Status":"Exited (0) 1 hour ago"}]
            """;

    static AppServices services(DesktopCatalog catalog) {
        // a connection to nowhere, never started: the engine has not answered
        return new AppServices(UiExecutor.synchronous(),
                new EngineConnection(EngineEndpoint.unix(Path.of("/nonexistent/deskstart.sock")), UiExecutor.synchronous(),
                        Duration.ofSeconds(1)), catalog);
    }

    @Test
    void showsTheLastKnownListUntilTheEngineAnswers(@TempDir Path dir) {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"))) {
            catalog.saveLastKnown(ContainersViewModel.LAST_KNOWN, LIST);
            ContainersViewModel vm = new ContainersViewModel(services(catalog));
            assertEquals(List.of("deskstart-web", "deskstart-old"), vm.rows().stream().map(ContainerRow::name).toList());
            assertEquals("0.0.0.0:8080->80/tcp", vm.rows().get(0).portsText());
            assertFalse(vm.liveProperty().get(), "a kept list is not the engine's answer");
            assertTrue(vm.showingLastKnownProperty().get(), "and the view is told so");
        }
    }

    @Test
    void nothingKeptOrADamagedCopyLeavesTheTableEmpty(@TempDir Path dir) {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"))) {
            assertTrue(new ContainersViewModel(services(catalog)).rows().isEmpty());
            catalog.saveLastKnown(ContainersViewModel.LAST_KNOWN, "[{\"Id\": 3, trunc");
            ContainersViewModel vm = new ContainersViewModel(services(catalog));
            assertTrue(vm.rows().isEmpty());
            assertEquals("", vm.errorProperty().get());
            assertFalse(vm.showingLastKnownProperty().get(), "nothing shown, nothing to mark");
        }
    }

    @Test
    void anAnswerEqualToTheKeptOneIsNotWrittenAgain(@TempDir Path dir) {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"))) {
            ContainersViewModel vm = new ContainersViewModel(services(catalog));
            java.util.concurrent.atomic.AtomicInteger uses = new java.util.concurrent.atomic.AtomicInteger();
            catalog.watchAccess(t -> uses.incrementAndGet());
            byte[] first = LIST.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            vm.keep(first);
            assertEquals(1, uses.get());
            vm.keep(LIST.getBytes(java.nio.charset.StandardCharsets.UTF_8)); // equal bytes, another array
            vm.keep(first);
            assertEquals(1, uses.get(), "an unchanged list costs no write");
            vm.keep("[]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(2, uses.get());
            catalog.watchAccess(null);
            assertEquals(java.util.Optional.of("[]"), catalog.lastKnown(ContainersViewModel.LAST_KNOWN));
        }
    }
}
