package dev.berth.engine;

import dev.berth.engine.catalog.Catalog;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.containers.ContainerStore;
import dev.berth.engine.runtime.CgroupLayout;
import dev.berth.engine.runtime.ConmonRuntime;
import dev.berth.engine.runtime.OciSpecBuilder;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.images.ImageService;
import dev.berth.engine.images.ImageUsers;
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
    private final ContainerService containers;
    private dev.berth.engine.network.NetworkService networks;
    private final String id;
    private final dev.berth.engine.volumes.VolumeService volumes;

    public Engine(DaemonOptions options) throws IOException {
        this.options = options;
        // dockerd refuses to start on a malformed insecure registry; so does Berth, before touching anything.
        dev.berth.registry.InsecureRegistries.parse(options.insecureRegistries());
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
                .withInsecureRegistries(Set.copyOf(options.insecureRegistries()))
                .withRetry(options.registryRetry());
        ContainerStore containerStore = new ContainerStore(catalog);
        this.containers = containers(root, containerStore);
        this.volumes = new dev.berth.engine.volumes.VolumeService(new dev.berth.engine.volumes.VolumeStore(catalog),
                root.resolve("volumes"), events);
        volumes.recover();
        containers.setMounts(new dev.berth.engine.volumes.ContainerMounts(volumes));
        containers.publishEventsTo(events);
        containers.restartOnBoot();
        images.setUsers(imageId -> containerStore.all().stream()
                .filter(c -> c.imageId().equals(imageId.toString()))
                .sorted(java.util.Comparator.comparing(c -> !c.running()))
                .map(c -> new ImageUsers.User(c.id(), c.running()))
                .findFirst());
    }

    /**
     * A host without runc or conmon still serves images; container calls then say what is missing.
     * Without the CNI plugins, containers get loopback only, with a warning at create.
     */
    private ContainerService containers(Path root, ContainerStore store) throws IOException {
        Path conmon = firstExecutable("/usr/bin/conmon", "/usr/local/bin/conmon", "/usr/libexec/podman/conmon");
        CgroupLayout cgroups = CgroupLayout.detect();
        ConmonRuntime runtime = null;
        String problem = null;
        if (conmon == null) {
            problem = "conmon is not installed";
        } else {
            var chosen = dev.berth.engine.runtime.RuntimeSelector.system()
                    .select(dev.berth.engine.runtime.RuntimeSelector.requested(), cgroups);
            problem = chosen.problem();
            if (problem == null) {
                runtime = new ConmonRuntime(conmon, chosen.runtime(), root.resolve("runtime"));
            }
        }
        dev.berth.engine.network.BridgeNetwork bridge = null;
        String bridgeProblem;
        try {
            if ("".equals(options.bridgeName())) {
                throw new IllegalStateException("the bridge network is turned off");
            }
            if (!dev.berth.images.layer.Posix.isRoot()) {
                throw new IllegalStateException("the bridge network needs root");
            }
            var plugins = dev.berth.engine.network.CniPlugins.system();
            for (String type : java.util.List.of("bridge", "host-local", "portmap", "firewall", "loopback")) {
                plugins.find(type);
            }
            var defaults = dev.berth.engine.network.BridgeNetwork.Options.defaults(root);
            bridge = new dev.berth.engine.network.BridgeNetwork(plugins, new dev.berth.engine.network.BridgeNetwork.Options(
                    defaults.name(),
                    options.bridgeName() != null ? options.bridgeName() : defaults.bridge(),
                    options.bridgeSubnet() != null ? options.bridgeSubnet() : defaults.subnet(), root));
            bridgeProblem = null;
        } catch (RuntimeException e) {
            bridgeProblem = e.getMessage();
        }
        dev.berth.engine.network.CniPlugins cni = null;
        try {
            cni = dev.berth.engine.network.CniPlugins.system();
            cni.find("bridge");
        } catch (RuntimeException e) {
            cni = null; // user networks need the bridge plugin; listing them still works
        }
        this.networks = new dev.berth.engine.network.NetworkService(new dev.berth.engine.network.NetworkStore(catalog),
                cni, bridge, root, events);
        return new ContainerService(store, images, runtime, problem, OciSpecBuilder.forHost(),
                root.resolve("containers"), networks, bridgeProblem);
    }

    private static Path firstExecutable(String... candidates) {
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        return null;
    }

    public ContainerService containers() {
        return containers;
    }

    public dev.berth.engine.network.NetworkService networks() {
        return networks;
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

    public dev.berth.engine.volumes.VolumeService volumes() {
        return volumes;
    }

    @Override
    public void close() {
        containers.close();
        networks.close();
        catalog.close();
    }

    /** The catalog, for stores outside this package (the build cache). */
    public Catalog catalog() {
        return catalog;
    }
}
