package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.model.EventMessage;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The activity list: engine events as they happen, newest first, after what the catalog recorded
 * before; each live event is recorded in the background. The filter keeps lines holding every word.
 */
public final class ActivityViewModel {
    static final int KEEP = 500;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private final ObservableList<String> all = FXCollections.observableArrayList();
    private final FilteredList<String> shown = new FilteredList<>(all);
    private final StringProperty filter = new SimpleStringProperty("");
    private final AppServices services;

    public ActivityViewModel(AppServices services) {
        this.services = services;
        // every word must appear in the line, in any order
        filter.addListener((o, a, text) -> {
            String t = text == null ? "" : text;
            String[] words = t.strip().toLowerCase(Locale.ROOT).split("\\s+");
            shown.setPredicate(t.isBlank() ? null : line -> {
                String l = line.toLowerCase(Locale.ROOT);
                for (String w : words) {
                    if (!l.contains(w)) {
                        return false;
                    }
                }
                return true;
            });
        });
        DesktopCatalog catalog = services.catalog();
        if (catalog != null) {
            // Read off the UI thread (the catalog can make a reader wait); events that came meanwhile stay on top.
            services.ui().background(() -> catalog.recentActivity(100),
                    recorded -> recorded.forEach(a -> all.add(line(a))), x -> { });
        }
        if (services.engine() != null) {
            services.engine().onEvent(this::onEvent);
        }
    }

    public StringProperty filterProperty() {
        return filter;
    }

    /** The lines the filter keeps, newest first. */
    public ObservableList<String> shown() {
        return shown;
    }

    void onEvent(EventMessage e) {
        String subject = e.actor() == null ? "" : e.actor().attributes().getOrDefault("name", e.actor().id());
        DesktopCatalog.Activity a = new DesktopCatalog.Activity(e.time() * 1000, e.type(), e.action(), subject == null ? "" : subject, "");
        all.addFirst(line(a));
        if (all.size() > KEEP) {
            all.remove(KEEP, all.size());
        }
        DesktopCatalog catalog = services.catalog();
        if (catalog != null) {
            services.ui().background(() -> catalog.addActivity(a));
        }
    }

    private static String line(DesktopCatalog.Activity a) {
        return TIME.format(Instant.ofEpochMilli(a.timeMillis())) + "  " + a.kind() + " " + a.action() + "  " + a.subject();
    }
}
