package dev.berth.desktop.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.LastKnownList;
import dev.berth.desktop.core.UiExecutor;
import dev.berth.desktop.images.ImagesViewModel;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.client.model.ImageSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Before the engine answers, the images, volumes and networks views show the lists the catalog kept
 * from last time ("used by" from the kept containers) and say they are not live yet.
 */
class ListsLastKnownTest {
    static final String CONTAINERS = """
            [{"Id":"c1","Names":["/lists-web"],"Image":"lists/web:1","ImageID":"sha256:aaa","Created":20,"State":"running",
              "Status":"Up","Mounts":[{"Type":"volume","Name":"lists-data","Destination":"/data"}],
              "NetworkSettings":{"Networks":{"lists-net":{"NetworkID":"n1"}}}}]
            """;
    static final String IMAGES = """
            [{"Id":"sha256:bbb","RepoTags":["lists/old:1"],"Created":10,"Size":1000,"Containers":-1},
             {"Id":"sha256:aaa","RepoTags":["lists/web:1"],"Created":30,"Size":2000,"Containers":-1,"Unknown":1}]
            """;
    static final String VOLUMES = """
            [{"Name":"lists-data","Driver":"local","Mountpoint":"/var/lib/berth/volumes/lists-data/_data"},
             {"Name":"lists-spare","Driver":"local","Mountpoint":"/x"}]
            """;
    static final String NETWORKS = """
            [{"Name":"lists-net","Id":"n1","Driver":"bridge","IPAM":{"Config":[{"Subnet":"10.75.9.0/24"}]}}]
            """;

    static AppServices services(DesktopCatalog catalog) {
        // a connection to nowhere, never started: the engine has not answered
        return new AppServices(UiExecutor.synchronous(),
                new EngineConnection(EngineEndpoint.unix(Path.of("/nonexistent/lists.sock")), UiExecutor.synchronous(),
                        Duration.ofSeconds(1)), catalog);
    }

    private static void keepAll(DesktopCatalog catalog) {
        catalog.saveLastKnown(LastKnownList.CONTAINERS, CONTAINERS);
        catalog.saveLastKnown(LastKnownList.IMAGES, IMAGES);
        catalog.saveLastKnown(LastKnownList.VOLUMES, VOLUMES);
        catalog.saveLastKnown(LastKnownList.NETWORKS, NETWORKS);
    }

    @Test
    void imagesShowTheKeptListNewestFirstWithUsedByFromTheKeptContainers(@TempDir Path dir) {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"))) {
            keepAll(catalog);
            ImagesViewModel vm = new ImagesViewModel(services(catalog));
            assertEquals(List.of("lists/web:1", "lists/old:1"), vm.images().stream().map(i -> i.repoTags().get(0)).toList());
            ImageSummary web = vm.images().get(0);
            assertEquals(List.of("lists-web"), vm.usedBy(web));
            assertTrue(vm.showingLastKnownProperty().get(), "the view says the list is not live yet");
            assertFalse(vm.liveProperty().get());
        }
    }

    @Test
    void volumesAndNetworksShowTheirKeptListsWithUsedBy(@TempDir Path dir) {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"))) {
            keepAll(catalog);
            ResourceListViewModel volumes = Resources.volumesModel(services(catalog));
            assertEquals(List.of("lists-data", "lists-spare"), volumes.items().stream().map(n -> n.path("Name").asText()).toList());
            assertEquals(List.of("lists-web"), volumes.usedBy(volumes.items().get(0)));
            assertEquals(List.of(), volumes.usedBy(volumes.items().get(1)));
            assertTrue(volumes.showingLastKnownProperty().get());
            ResourceListViewModel networks = Resources.networksModel(services(catalog));
            JsonNode net = networks.items().get(0);
            assertEquals("10.75.9.0/24", net.path("IPAM").path("Config").get(0).path("Subnet").asText());
            assertEquals(List.of("lists-web"), networks.usedBy(net));
            assertTrue(networks.showingLastKnownProperty().get());
            assertFalse(networks.liveProperty().get());
        }
    }

    @Test
    void nothingKeptOrDamagedCopiesLeaveTheListsEmptyAndUnmarked(@TempDir Path dir) {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"))) {
            assertTrue(new ImagesViewModel(services(catalog)).images().isEmpty());
            assertTrue(Resources.volumesModel(services(catalog)).items().isEmpty());
            catalog.saveLastKnown(LastKnownList.IMAGES, "[{\"Id\": 3, trunc");
            catalog.saveLastKnown(LastKnownList.VOLUMES, "{\"Volumes\": null}");
            catalog.saveLastKnown(LastKnownList.NETWORKS, "not json");
            ImagesViewModel images = new ImagesViewModel(services(catalog));
            assertTrue(images.images().isEmpty());
            assertFalse(images.showingLastKnownProperty().get());
            assertEquals("", images.messageProperty().get());
            ResourceListViewModel volumes = Resources.volumesModel(services(catalog));
            assertTrue(volumes.items().isEmpty());
            assertFalse(volumes.showingLastKnownProperty().get());
            assertTrue(Resources.networksModel(services(catalog)).items().isEmpty());
        }
    }

    @Test
    void aDamagedContainersCopyOnlyLosesUsedBy(@TempDir Path dir) {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"))) {
            keepAll(catalog);
            catalog.saveLastKnown(LastKnownList.CONTAINERS, "[{trunc");
            ImagesViewModel images = new ImagesViewModel(services(catalog));
            assertEquals(2, images.images().size());
            assertEquals(List.of(), images.usedBy(images.images().get(0)));
            ResourceListViewModel volumes = Resources.volumesModel(services(catalog));
            assertEquals(2, volumes.items().size());
            assertEquals(List.of(), volumes.usedBy(volumes.items().get(0)));
        }
    }

    @Test
    void keptListsAreReadOnlyInTheBackground(@TempDir Path dir) {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"))) {
            keepAll(catalog);
            // an executor that records whether the catalog was used outside its background work
            boolean[] inBackground = {false};
            List<String> outside = new java.util.concurrent.CopyOnWriteArrayList<>();
            UiExecutor tracking = new UiExecutor() {
                @Override
                public void onUi(Runnable r) {
                    r.run();
                }

                @Override
                public <T> void background(java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> done,
                                           java.util.function.Consumer<Throwable> failed) {
                    T result;
                    inBackground[0] = true;
                    try {
                        result = work.call();
                    } catch (Throwable t) {
                        inBackground[0] = false;
                        failed.accept(t);
                        return;
                    }
                    inBackground[0] = false;
                    done.accept(result);
                }
            };
            catalog.watchAccess(t -> {
                if (!inBackground[0]) {
                    outside.add(new Throwable().getStackTrace()[3].toString());
                }
            });
            AppServices s = new AppServices(tracking, services(catalog).engine(), catalog);
            new ImagesViewModel(s);
            Resources.volumesModel(s);
            Resources.networksModel(s);
            assertEquals(List.of(), outside, "catalog used outside background work");
        }
    }
}
