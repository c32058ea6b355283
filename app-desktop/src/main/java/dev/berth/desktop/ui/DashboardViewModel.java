package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.model.DiskUsage;
import dev.berth.engine.client.model.EventMessage;
import dev.berth.engine.client.model.SystemInfo;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;

/**
 * The dashboard's state: counts from {@code /info}, disk usage from {@code /system/df}, the engine line
 * and the latest activity. Reloads on (re)connect and on container, image and volume events, one at a
 * time ({@code df} walks the disk): events meanwhile ask for one more afterwards, not one each.
 */
public final class DashboardViewModel {
    static final int RECENT = 8;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    /** {@code df} null when {@code /system/df} failed ({@code dfError} says why): the counts still show. */
    record Snapshot(SystemInfo info, DiskUsage df, String dfError) {
        static Snapshot of(EngineClient c) {
            SystemInfo info = c.info();
            try {
                return new Snapshot(info, c.diskUsage(), null);
            } catch (RuntimeException e) {
                return new Snapshot(info, null, e.getMessage());
            }
        }
    }

    /** Where a snapshot comes from: the engine in the app, a hand-driven one in tests (to hold a load in flight). */
    interface Loader {
        void load(Consumer<Snapshot> done, Consumer<Throwable> failed, Runnable stale);
    }

    private final ReadOnlyStringWrapper running = new ReadOnlyStringWrapper("0");
    private final ReadOnlyStringWrapper paused = new ReadOnlyStringWrapper("0");
    private final ReadOnlyStringWrapper stopped = new ReadOnlyStringWrapper("0");
    private final ReadOnlyStringWrapper images = new ReadOnlyStringWrapper("0");
    private final ReadOnlyStringWrapper volumes = new ReadOnlyStringWrapper("0");
    private final ReadOnlyStringWrapper engine = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper disk = new ReadOnlyStringWrapper("");
    private final ObservableList<String> recent = FXCollections.observableArrayList();
    private final AppServices services;
    private final Loader loader;
    private boolean loading;
    private boolean again;
    /** Whether the view is on screen; a model without a view (tests) counts as shown. */
    private boolean shown = true;
    /** Something changed while hidden: reload once on showing. */
    private boolean stale;

    public DashboardViewModel(AppServices services) {
        this(services, (done, failed, stale) -> services.engine().call(Snapshot::of, done, failed, stale));
    }

    DashboardViewModel(AppServices services, Loader loader) {
        this.services = services;
        this.loader = loader;
        if (services.engine() != null) {
            services.engine().onConnected(this::reload);
            services.engine().onEvent(this::onEvent);
        }
        if (services.catalog() != null) {
            // what was recorded before this start, read off the UI thread; live events stay on top
            DesktopCatalog catalog = services.catalog();
            services.ui().background(() -> catalog.recentActivity(RECENT), this::addRecorded, e -> { });
        }
        if (services.engine() != null && services.engine().state() == EngineConnection.State.CONNECTED) {
            reload();
        }
    }

    public ReadOnlyStringProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty pausedProperty() {
        return paused.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stoppedProperty() {
        return stopped.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty imagesProperty() {
        return images.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty volumesProperty() {
        return volumes.getReadOnlyProperty();
    }

    /** The engine's version, address and storage, or why it is not reachable. */
    public ReadOnlyStringProperty engineProperty() {
        return engine.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty diskProperty() {
        return disk.getReadOnlyProperty();
    }

    /** Newest first, at most {@value #RECENT}. */
    public ObservableList<String> recent() {
        return recent;
    }

    /** A live event: on top of the recent list, and a reload when it changes a count. */
    void onEvent(EventMessage e) {
        String subject = e.actor() == null ? "" : e.actor().attributes().getOrDefault("name", e.actor().id());
        recent.addFirst(TIME.format(Instant.ofEpochSecond(e.time())) + "  " + e.type() + " " + e.action() + "  "
                + (subject == null ? "" : subject));
        if (recent.size() > RECENT) {
            recent.remove(RECENT, recent.size());
        }
        if ("container".equals(e.type()) || "image".equals(e.type()) || "volume".equals(e.type())) {
            reload();
        }
    }

    private void addRecorded(List<DesktopCatalog.Activity> recorded) {
        for (var a : recorded) {
            if (recent.size() < RECENT) {
                recent.add(TIME.format(Instant.ofEpochMilli(a.timeMillis())) + "  " + a.kind() + " " + a.action() + "  " + a.subject());
            }
        }
    }

    /**
     * The view entered or left the window. Hidden, a burst of container events (a compose project starting)
     * would still cost an {@code /info} and a disk-walking {@code /system/df} each time: only the first
     * showing afterwards reloads.
     */
    public void setShown(boolean shown) {
        this.shown = shown;
        if (shown && stale) {
            stale = false;
            reload();
        }
    }

    public void reload() {
        if (!shown) {
            stale = true;
            return;
        }
        if (loading) {
            again = true;
            return;
        }
        loading = true;
        loader.load(s -> {
            show(s);
            loaded();
        }, e -> {
            engine.set("Engine not reachable: " + e.getMessage());
            loaded();
        }, this::loaded);
    }

    private void show(Snapshot s) {
        SystemInfo i = s.info();
        running.set(Integer.toString(i.containersRunning()));
        paused.set(Integer.toString(i.containersPaused()));
        stopped.set(Integer.toString(i.containersStopped()));
        images.set(Integer.toString(i.images()));
        volumes.set(s.df() == null ? "?" : Integer.toString(s.df().volumes() == null ? 0 : s.df().volumes().size()));
        engine.set("Engine " + (i.serverVersion() == null ? "" : i.serverVersion() + " ") + "at "
                + (services.engine() == null ? "?" : services.engine().endpoint().uri()) + ", storage " + i.driver()
                + " at " + i.dockerRootDir());
        disk.set(s.df() == null ? "Disk usage not available: " + s.dfError() : diskText(s.df()));
    }

    private void loaded() {
        loading = false;
        if (again) {
            again = false;
            reload();
        }
    }

    /** {@code docker system df}'s totals in one line. */
    static String diskText(DiskUsage df) {
        long containers = df.containers() == null ? 0 : df.containers().stream().mapToLong(DiskUsage.ContainerUsage::sizeRw).sum();
        long vols = df.volumes() == null ? 0 : df.volumes().stream()
                .mapToLong(v -> v.usageData() == null ? 0 : Math.max(0, v.usageData().size())).sum();
        long cache = df.buildCache() == null ? 0 : df.buildCache().stream().mapToLong(DiskUsage.BuildCacheUsage::size).sum();
        return "Disk: images " + Sizes.human(df.layersSize()) + ", containers " + Sizes.human(containers)
                + ", volumes " + Sizes.human(vols) + ", build cache " + Sizes.human(cache);
    }
}
