package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.engine.client.model.DiskUsage;
import dev.berth.engine.client.model.SystemInfo;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * At a glance: the engine (status, version), containers running, paused and stopped, images, volumes,
 * disk usage ({@code /system/df}) and the latest activity; refreshed on events.
 */
public final class DashboardView extends VBox {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int RECENT = 8;
    private final Label running = card("0");
    private final Label paused = card("0");
    private final Label stopped = card("0");
    private final Label images = card("0");
    private final Label volumes = card("0");
    private final Label disk = new Label();
    private final Label engine = new Label();
    private final ListView<String> recent = new ListView<>();
    private final AppServices services;

    public DashboardView(AppServices services) {
        super(16);
        this.services = services;
        setPadding(new Insets(24));
        Label title = new Label("Dashboard");
        title.getStyleClass().add("title-2");
        FlowPane cards = new FlowPane(16, 16, box("Running", running), box("Paused", paused), box("Stopped", stopped),
                box("Images", images), box("Volumes", volumes));
        engine.setId("dashboard-engine");
        disk.setId("dashboard-disk");
        recent.setId("dashboard-recent");
        recent.setPrefHeight(RECENT * 26);
        recent.setPlaceholder(new Label("Nothing yet: container, image, volume and network events show up here."));
        Label recentTitle = new Label("Recent activity");
        recentTitle.getStyleClass().add("title-4");
        getChildren().addAll(title, cards, engine, disk, recentTitle, recent);
        if (services.engineStatus() != null) {
            getChildren().add(1, new EngineCard(services.engineStatus()));
        }
        running.setId("dashboard-running");
        paused.setId("dashboard-paused");
        stopped.setId("dashboard-stopped");
        images.setId("dashboard-images");
        volumes.setId("dashboard-volumes");
        services.engine().onConnected(this::reload);
        services.engine().onEvent(e -> {
            String subject = e.actor() == null ? "" : e.actor().attributes().getOrDefault("name", e.actor().id());
            recent.getItems().addFirst(TIME.format(Instant.ofEpochSecond(e.time())) + "  " + e.type() + " " + e.action() + "  "
                    + (subject == null ? "" : subject));
            if (recent.getItems().size() > RECENT) {
                recent.getItems().remove(RECENT, recent.getItems().size());
            }
            if ("container".equals(e.type()) || "image".equals(e.type()) || "volume".equals(e.type())) {
                reload();
            }
        });
        if (services.catalog() != null) {
            // what was recorded before this start, read off the UI thread; live events stay on top
            services.ui().background(() -> services.catalog().recentActivity(RECENT), recorded -> {
                for (var a : recorded) {
                    if (recent.getItems().size() < RECENT) {
                        recent.getItems().add(TIME.format(Instant.ofEpochMilli(a.timeMillis())) + "  " + a.kind() + " " + a.action()
                                + "  " + a.subject());
                    }
                }
            }, e -> { });
        }
        if (services.engine().state() == EngineConnection.State.CONNECTED) {
            reload();
        }
    }

    /** {@code df} null when {@code /system/df} failed ({@code dfError} says why): the counts still show. */
    private record Snapshot(SystemInfo info, DiskUsage df, String dfError) {
        static Snapshot of(dev.berth.engine.client.EngineClient c) {
            SystemInfo info = c.info();
            try {
                return new Snapshot(info, c.diskUsage(), null);
            } catch (RuntimeException e) {
                return new Snapshot(info, null, e.getMessage());
            }
        }
    }

    /** One reload at a time (df walks the disk); events meanwhile ask for one more afterwards, not one each. */
    private boolean loading;
    private boolean again;

    private void reload() {
        if (loading) {
            again = true;
            return;
        }
        loading = true;
        services.engine().call(Snapshot::of, (Snapshot s) -> {
            loaded();
            SystemInfo i = s.info();
            running.setText(Integer.toString(i.containersRunning()));
            paused.setText(Integer.toString(i.containersPaused()));
            stopped.setText(Integer.toString(i.containersStopped()));
            images.setText(Integer.toString(i.images()));
            volumes.setText(s.df() == null ? "?" : Integer.toString(s.df().volumes() == null ? 0 : s.df().volumes().size()));
            engine.setText("Engine " + (i.serverVersion() == null ? "" : i.serverVersion() + " ") + "at "
                    + services.engine().endpoint().uri() + ", storage " + i.driver() + " at " + i.dockerRootDir());
            disk.setText(s.df() == null ? "Disk usage not available: " + s.dfError() : diskText(s.df()));
        }, e -> {
            loaded();
            engine.setText("Engine not reachable: " + e.getMessage());
        }, this::loaded);
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

    private static Label card(String v) {
        Label l = new Label(v);
        l.getStyleClass().add("title-1");
        return l;
    }

    private static VBox box(String name, Label value) {
        Label n = new Label(name);
        n.getStyleClass().add("text-muted");
        VBox b = new VBox(4, value, n);
        b.setPadding(new Insets(16));
        b.setMinWidth(140);
        b.setStyle("-fx-background-color: -color-bg-subtle; -fx-background-radius: 8; -fx-border-color: -color-border-default; -fx-border-radius: 8;");
        return b;
    }
}
