package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.store.DesktopCatalog;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Engine events as they happen, newest first, plus what was recorded before (kept in the catalog). */
public final class ActivityView extends BorderPane {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int KEEP = 500;

    public ActivityView(AppServices services) {
        ListView<String> list = new ListView<>();
        list.setId("activity-list");
        list.setPlaceholder(EmptyState.of("No activity yet", "Engine events (containers, images, volumes, networks) show up here."));
        if (services.catalog() != null) {
            for (DesktopCatalog.Activity a : services.catalog().recentActivity(100)) {
                list.getItems().add(line(a));
            }
        }
        services.engine().onEvent(e -> {
            String subject = e.actor() == null ? "" : e.actor().attributes().getOrDefault("name", e.actor().id());
            DesktopCatalog.Activity a = new DesktopCatalog.Activity(e.time() * 1000, e.type(), e.action(), subject == null ? "" : subject, "");
            list.getItems().addFirst(line(a));
            if (list.getItems().size() > KEEP) {
                list.getItems().remove(KEEP, list.getItems().size());
            }
            if (services.catalog() != null) {
                services.ui().background(() -> {
                    services.catalog().addActivity(a);
                    return null;
                }, x -> { }, x -> { });
            }
        });
        setCenter(list);
    }

    private static String line(DesktopCatalog.Activity a) {
        return TIME.format(Instant.ofEpochMilli(a.timeMillis())) + "  " + a.kind() + " " + a.action() + "  " + a.subject();
    }
}
