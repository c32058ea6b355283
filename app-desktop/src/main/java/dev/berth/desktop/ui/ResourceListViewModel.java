package dev.berth.desktop.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.LastKnownList;
import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.model.ContainerSummary;
import dev.berth.engine.client.model.PruneReport;
import dev.berth.images.Json;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The state of a list of one kind of engine object listed as JSON (volumes, networks): reloaded on its
 * events, on container events (for "used by") and on reconnect; last time's list (kept in the catalog)
 * until the engine answers; remove, prune, create and inspect in the background.
 */
public final class ResourceListViewModel {
    private final AppServices services;
    private final String kind;
    private final Function<EngineClient, JsonNode> list;
    private final BiConsumer<EngineClient, String> removeOp;
    private final Function<EngineClient, PruneReport> pruneOp;
    private final UsedBy usedBy;
    private final LastKnownList lastKnown;
    private final ObservableList<JsonNode> items = FXCollections.observableArrayList();
    private final StringProperty message = new SimpleStringProperty("");
    private final ReadOnlyBooleanWrapper live = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper showingLastKnown = new ReadOnlyBooleanWrapper(false);
    /** Which containers use each item, from the same reload as the items. */
    private Map<String, List<String>> usedByIndex = Map.of();
    /** Bumped by every reload: only the newest one's answer is shown. */
    private long reloads;

    /**
     * @param kind      the catalog's name for the kept list ({@link LastKnownList#VOLUMES}, ...), also the
     *                  plural the messages use ("volumes")
     * @param eventType the {@code /events} type that changes the list
     * @param usedBy    how to say which containers use an item (null: not said)
     */
    public ResourceListViewModel(AppServices services, String kind, String eventType, Function<EngineClient, JsonNode> list,
                                 UsedBy usedBy, BiConsumer<EngineClient, String> remove, Function<EngineClient, PruneReport> prune) {
        this.services = services;
        this.kind = kind;
        this.list = list;
        this.usedBy = usedBy;
        this.removeOp = remove;
        this.pruneOp = prune;
        this.lastKnown = new LastKnownList(services, kind);
        services.engine().onConnected(this::reload);
        services.engine().onEvent(e -> {
            if (eventType.equals(e.type()) || (usedBy != null && "container".equals(e.type()))) {
                reload();
            }
        });
        if (services.engine().state() == EngineConnection.State.CONNECTED) {
            reload();
        }
        showLastKnown();
    }

    public ObservableList<JsonNode> items() {
        return items;
    }

    /** The last action's outcome or failure, for the user. */
    public StringProperty messageProperty() {
        return message;
    }

    /** False until the engine has answered a list. */
    public ReadOnlyBooleanProperty liveProperty() {
        return live.getReadOnlyProperty();
    }

    /** True while the rows shown are the catalog's kept list, not yet the engine's answer. */
    public ReadOnlyBooleanProperty showingLastKnownProperty() {
        return showingLastKnown.getReadOnlyProperty();
    }

    /** The names of the containers using {@code item} (none when this list says nothing of use). */
    public List<String> usedBy(JsonNode item) {
        return usedBy == null ? List.of() : usedBy.of(usedByIndex, item);
    }

    /** {@code raw}: the items as the catalog keeps them (null for a kept list, which is not kept again). */
    private record Listed(JsonNode items, Map<String, List<String>> usedBy, byte[] raw) {
    }

    /** Last time's list, with "used by" from last time's containers, until the engine answers. */
    private void showLastKnown() {
        if (live.get()) {
            return;
        }
        lastKnown.load(json -> {
            JsonNode kept = readTree(json);
            if (!kept.isArray()) {
                return null;
            }
            Map<String, List<String>> users = Map.of();
            if (usedBy != null) {
                try {
                    users = services.catalog().lastKnown(LastKnownList.CONTAINERS).map(c -> usedBy.index().apply(containers(c)))
                            .orElse(Map.of());
                } catch (RuntimeException e) {
                    // a damaged containers copy only loses "used by"
                }
            }
            return new Listed(kept, users, null);
        }, kept -> {
            if (!live.get()) {
                show(kept);
                showingLastKnown.set(true);
            }
        });
    }

    public void reload() {
        long n = ++reloads;
        services.engine().call(c -> {
            JsonNode listed = list.apply(c);
            return new Listed(listed, usedBy == null ? Map.<String, List<String>>of()
                    : usedBy.index().apply(c.containers().list(true, 0, false, null)), bytes(listed));
        }, r -> {
            if (n != reloads) {
                return; // a newer reload is under way; an older answer must not overwrite it
            }
            live.set(true);
            showingLastKnown.set(false);
            show(r);
            lastKnown.keep(r.raw());
        }, e -> {
            if (n == reloads) {
                message.set("Cannot list: " + e.getMessage());
            }
        });
    }

    private void show(Listed r) {
        List<JsonNode> out = new ArrayList<>();
        r.items().forEach(out::add);
        usedByIndex = r.usedBy();
        items.setAll(out);
    }

    public void remove(String key) {
        services.ui().background(() -> {
            removeOp.accept(services.engine().client(), key);
            return key;
        }, x -> {
            message.set("Removed " + x);
            reload();
        }, ex -> message.set("Cannot remove " + key + ": " + ex.getMessage()));
    }

    /** Removes what no container uses, then says what went and the space freed, as docker's prune does. */
    public void prune() {
        services.ui().background(() -> pruneOp.apply(services.engine().client()), r -> {
            message.set(pruned(r, kind));
            reload();
        }, ex -> message.set("Cannot prune: " + ex.getMessage()));
    }

    static String pruned(PruneReport r, String what) {
        if (r == null || r.deleted().isEmpty()) {
            return "Nothing to prune: no unused " + what;
        }
        String out = "Pruned " + String.join(", ", r.deleted());
        return r.spaceReclaimed() > 0 ? out + " (reclaimed " + Sizes.human(r.spaceReclaimed()) + ")" : out;
    }

    /** Makes a new object from the typed values (the first is its name); {@code made} runs once it exists. */
    public void create(List<String> values, BiConsumer<EngineClient, List<String>> create, Runnable made) {
        services.ui().background(() -> {
            create.accept(services.engine().client(), values);
            return values.get(0);
        }, name -> {
            message.set("Created " + name);
            made.run();
            reload();
        }, ex -> message.set("Cannot create " + values.get(0) + ": " + ex.getMessage()));
    }

    public void inspect(String key, BiFunction<EngineClient, String, JsonNode> inspect, Consumer<JsonNode> shown) {
        services.ui().background(() -> inspect.apply(services.engine().client(), key), shown,
                ex -> message.set("Cannot inspect " + key + ": " + ex.getMessage()));
    }

    private static byte[] bytes(JsonNode items) {
        try {
            return Json.MAPPER.writeValueAsBytes(items);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ContainerSummary> containers(String json) {
        try {
            return Json.MAPPER.readValue(json, Json.MAPPER.getTypeFactory().constructCollectionType(List.class, ContainerSummary.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
