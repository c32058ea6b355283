package dev.berth.engine;

import dev.berth.engine.catalog.Catalog;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.images.ImageService;
import dev.berth.engine.images.ImageStore;
import dev.berth.engine.images.LayerStore;
import dev.berth.images.store.BlobStore;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.RegistryOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * The engine's parts wired together over one data root. Opening it recovers from whatever a killed
 * daemon left behind: half-written blobs and layers are swept, the catalog is as last committed.
 */
public final class Engine implements AutoCloseable {
    public static final String VERSION = "0.1.0";

    private final DaemonOptions options;
    private final Catalog catalog;
    private final EventBus events = new EventBus();
    private final ImageService images;
    private final RegistryOptions registryOptions;
    private final String id;

    public Engine(DaemonOptions options) throws IOException {
        this.options = options;
        Path root = options.dataRoot();
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        this.id = engineId(root);
        this.catalog = new Catalog(root.resolve("catalog.db"));
        BlobStore blobs = new BlobStore(root.resolve("content"));
        LayerStore layers = new LayerStore(root.resolve("layers"));
        this.images = new ImageService(blobs, new ImageStore(catalog), layers, events);
        images.recover();
        // The daemon never reads anyone's docker config: clients send credentials per request.
        this.registryOptions = RegistryOptions.defaults()
                .withCredentials(CredentialStore.anonymous())
                .withInsecureRegistries(Set.copyOf(options.insecureRegistries()));
    }

    public RegistryOptions registryOptions() {
        return registryOptions;
    }

    private static String engineId(Path root) throws IOException {
        Path f = root.resolve("engine-id");
        if (Files.exists(f)) {
            return Files.readString(f).trim();
        }
        String id = UUID.randomUUID().toString();
        Files.writeString(f, id);
        return id;
    }

    public DaemonOptions options() {
        return options;
    }

    public String id() {
        return id;
    }

    public EventBus events() {
        return events;
    }

    public ImageService images() {
        return images;
    }

    @Override
    public void close() {
        catalog.close();
    }
}
