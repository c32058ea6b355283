package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.store.DesktopCatalog;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Insets;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Engine events as they happen, newest first, plus what was recorded before (kept in the catalog); filterable. */
public final class ActivityView extends BorderPane {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int KEEP = 500;

    public ActivityView(AppServices services) {
        ObservableList<String> all = FXCollections.observableArrayList();
        FilteredList<String> shown = new FilteredList<>(all);
        ListView<String> list = new ListView<>(shown);
        list.setId("activity-list");
        list.setPlaceholder(EmptyState.of("No activity yet", "Engine events (containers, images, volumes, networks) show up here."));
        TextField filter = new TextField();
        filter.setId("activity-filter");
        filter.getStyleClass().add(MainWindow.SEARCH);
        filter.setPromptText("Filter by type, action or name, e.g. \"container die\" (Ctrl+F)");
        // every word must appear in the line, in any order
        filter.textProperty().addListener((o, a, text) -> {
            String[] words = text.strip().toLowerCase(Locale.ROOT).split("\\s+");
            shown.setPredicate(text.isBlank() ? null : line -> {
                String l = line.toLowerCase(Locale.ROOT);
                for (String w : words) {
                    if (!l.contains(w)) {
                        return false;
                    }
                }
                return true;
            });
        });
        if (services.catalog() != null) {
            // Read off the UI thread (the catalog can make a reader wait); events that came meanwhile stay on top.
            services.ui().background(() -> services.catalog().recentActivity(100),
                    recorded -> recorded.forEach(a -> all.add(line(a))), x -> { });
        }
        services.engine().onEvent(e -> {
            String subject = e.actor() == null ? "" : e.actor().attributes().getOrDefault("name", e.actor().id());
            DesktopCatalog.Activity a = new DesktopCatalog.Activity(e.time() * 1000, e.type(), e.action(), subject == null ? "" : subject, "");
            all.addFirst(line(a));
            if (all.size() > KEEP) {
                all.remove(KEEP, all.size());
            }
            if (services.catalog() != null) {
                services.ui().background(() -> {
                    services.catalog().addActivity(a);
                    return null;
                }, x -> { }, x -> { });
            }
        });
        BorderPane.setMargin(filter, new Insets(8));
        setTop(filter);
        setCenter(list);
    }

    private static String line(DesktopCatalog.Activity a) {
        return TIME.format(Instant.ofEpochMilli(a.timeMillis())) + "  " + a.kind() + " " + a.action() + "  " + a.subject();
    }
}
