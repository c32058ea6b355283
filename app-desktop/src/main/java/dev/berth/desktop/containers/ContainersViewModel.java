package dev.berth.desktop.containers;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.ContainerClient;
import dev.berth.engine.client.model.ContainerSummary;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The containers view's state: every container the engine has, filtered by text, kept current by
 * reloading on container events and on every (re)connect. Actions run in the background and report
 * per-container failures in {@link #errorProperty()}.
 */
public final class ContainersViewModel {
    private final AppServices services;
    private final ObservableList<ContainerRow> rows = FXCollections.observableArrayList();
    /** The table's rows: the containers plus a header row per compose project. */
    private final ObservableList<ContainerRow> grouped = FXCollections.observableArrayList();
    private final FilteredList<ContainerRow> filtered = new FilteredList<>(grouped, r -> true);
    private final javafx.collections.ObservableSet<String> collapsed = FXCollections.observableSet();
    private java.util.Map<String, List<ContainerRow>> projects = java.util.Map.of();
    private final StringProperty filter = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final StringProperty loaded = new SimpleStringProperty("");

    public ContainersViewModel(AppServices services) {
        this.services = services;
        this.lastKnown = new dev.berth.desktop.core.LastKnownList(services, LAST_KNOWN);
        filter.addListener((o, a, b) -> refilter());
        collapsed.addListener((javafx.collections.SetChangeListener<String>) c -> refilter());
        services.engine().onConnected(this::reload);
        services.engine().onEvent(e -> {
            if ("container".equals(e.type())) {
                reload();
            }
        });
        // A view built after the connection came up has missed that announcement.
        if (services.engine().state() == dev.berth.desktop.core.EngineConnection.State.CONNECTED) {
            reload();
        }
        showLastKnown();
        favourites = new dev.berth.desktop.tray.Favourites(services.ui(), services.catalog());
    }

    /** The catalog's kind for the last list the engine returned. */
    static final String LAST_KNOWN = dev.berth.desktop.core.LastKnownList.CONTAINERS;

    private final dev.berth.desktop.core.LastKnownList lastKnown;

    /**
     * Until the engine answers, the list it gave last time (the catalog keeps it): a window with the
     * containers at once rather than an empty table for the seconds a start or a slow engine takes.
     */
    private void showLastKnown() {
        if (live.get()) {
            return;
        }
        lastKnown.load(json -> parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), list -> {
            if (!live.get()) {
                setList(list);
                showingLastKnown.set(true);
            }
        });
    }

    /** Keeps the engine's answer for the next start (see {@link dev.berth.desktop.core.LastKnownList#keep}). */
    void keep(byte[] raw) {
        lastKnown.keep(raw);
    }

    static List<ContainerSummary> parse(byte[] raw) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper m = dev.berth.images.Json.MAPPER;
            return m.readValue(raw, m.getTypeFactory().constructCollectionType(List.class, ContainerSummary.class));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private final javafx.beans.property.ReadOnlyBooleanWrapper live = new javafx.beans.property.ReadOnlyBooleanWrapper(false);

    /** False while the rows are the last known list (from the catalog), true once the engine has answered. */
    public javafx.beans.property.ReadOnlyBooleanProperty liveProperty() {
        return live.getReadOnlyProperty();
    }

    private final javafx.beans.property.ReadOnlyBooleanWrapper showingLastKnown = new javafx.beans.property.ReadOnlyBooleanWrapper(false);

    /** True while the rows shown are the catalog's kept list, not yet the engine's answer: the view says so. */
    public javafx.beans.property.ReadOnlyBooleanProperty showingLastKnownProperty() {
        return showingLastKnown.getReadOnlyProperty();
    }

    public ObservableList<ContainerRow> rows() {
        return rows;
    }

    public FilteredList<ContainerRow> filtered() {
        return filtered;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public StringProperty errorProperty() {
        return error;
    }

    private boolean loading;
    private boolean again;

    /**
     * Loads the list. Bursts of events coalesce: while one load runs, further calls ask for exactly
     * one more after it, so an older answer can never overwrite a newer one.
     */
    public void reload() {
        if (loading) {
            again = true;
            return;
        }
        loading = true;
        services.engine().call(c -> {
            byte[] raw = c.containers().listRaw(true, 0, false, null);
            return java.util.Map.entry(raw, parse(raw));
        }, answer -> {
            error.set("");
            live.set(true);
            showingLastKnown.set(false);
            setList(answer.getValue());
            keep(answer.getKey());
            loaded();
        }, e -> {
            error.set("Cannot list containers: " + e.getMessage());
            loaded();
        }, this::loaded);
    }

    private void loaded() {
        loading = false;
        if (again) {
            again = false;
            reload();
        }
    }

    void setList(List<ContainerSummary> list) {
        List<ContainerRow> next = new ArrayList<>(list.stream().map(ContainerRow::of).toList());
        // Compose projects stay together; inside a group (and outside any) the newest first.
        next.sort(Comparator.comparing(ContainerRow::project).thenComparing(Comparator.comparingLong(ContainerRow::created).reversed()));
        rows.setAll(next);
        projects = ContainerGroups.byProject(next);
        grouped.setAll(ContainerGroups.withHeaders(next));
        refilter();
    }

    /**
     * A header shows while its project or any member matches; a member shows when it matches (or its
     * project does) and its project is expanded.
     */
    private void refilter() {
        String f = filter.get();
        java.util.Set<String> hidden = java.util.Set.copyOf(collapsed);
        java.util.Map<String, List<ContainerRow>> groups = projects;
        filtered.setPredicate(r -> {
            if (ContainerGroups.isHeader(r)) {
                return r.matches(f) || groups.getOrDefault(r.project(), List.of()).stream().anyMatch(m -> m.matches(f));
            }
            return r.matches(f) && (r.project().isEmpty() || !hidden.contains(r.project()));
        });
    }

    /** Folds or unfolds a compose project's containers under its header. */
    public void toggleProject(String project) {
        if (!collapsed.remove(project)) {
            collapsed.add(project);
        }
    }

    public boolean isCollapsed(String project) {
        return collapsed.contains(project);
    }

    /** Runs {@code action} on every container in {@code ids}, one after the other, then reloads. */
    public void run(ContainerAction action, List<String> ids) {
        List<String> targets = ContainerGroups.expand(ids, rows);
        services.ui().background(() -> {
            ContainerClient c = services.engine().client().containers();
            List<String> failures = new ArrayList<>();
            for (String id : targets) {
                try {
                    action.apply(c, id);
                } catch (RuntimeException e) {
                    failures.add(id.substring(0, Math.min(12, id.length())) + ": " + e.getMessage());
                }
            }
            return failures;
        }, failures -> {
            error.set(failures.isEmpty() ? "" : action.label() + " failed for " + String.join("; ", failures));
            long now = System.currentTimeMillis();
            services.ui().background(() -> {
                for (String id : targets) {
                    services.catalog().addActivity(new DesktopCatalog.Activity(now, "container", action.name().toLowerCase(), id, ""));
                }
            });
            reload();
        }, e -> error.set(action.label() + " failed: " + e.getMessage()));
    }

    private final dev.berth.desktop.tray.Favourites favourites;

    /** The tray's favourites, the same setting as Settings' check list ("Favourite in tray" on the rows). */
    public dev.berth.desktop.tray.Favourites favourites() {
        return favourites;
    }

    /** Offers (or no longer offers) these containers under the tray's "Start a favourite", by name. */
    public void setFavourite(List<String> names, boolean favourite) {
        names.forEach(n -> favourites.set(n, favourite));
    }
}
