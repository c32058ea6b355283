package dev.berth.desktop.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.engine.client.EngineClient;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A table of one kind of engine object listed as JSON (volumes, networks): reloaded on its events,
 * on container events (for "used by") and on reconnect, with remove and prune.
 */
public final class ResourceListView extends BorderPane {
    /** A column: its title and how to read it from one list entry. */
    public record Column(String title, Function<JsonNode, String> value, double width) {
    }

    private final ObservableList<JsonNode> items = FXCollections.observableArrayList();
    private final Label message = new Label();
    /** Which containers use each item, from the same reload as the items. */
    private Map<String, List<String>> usedByIndex = Map.of();
    /** Bumped by every reload: only the newest one's answer is shown. */
    private long reloads;

    public ResourceListView(AppServices services, String id, String eventType, Function<EngineClient, JsonNode> list,
                            List<Column> columns, Function<JsonNode, String> key, BiConsumer<EngineClient, String> remove,
                            java.util.function.Consumer<EngineClient> prune, String emptyTitle, String emptyHint) {
        this(services, id, eventType, list, columns, null, key, remove, prune, emptyTitle, emptyHint);
    }

    /** {@code usedBy} adds a "Used by" column (null: none). */
    public ResourceListView(AppServices services, String id, String eventType, Function<EngineClient, JsonNode> list,
                            List<Column> columns, UsedBy usedBy, Function<JsonNode, String> key, BiConsumer<EngineClient, String> remove,
                            java.util.function.Consumer<EngineClient> prune, String emptyTitle, String emptyHint) {
        TableView<JsonNode> table = new TableView<>();
        table.setId(id + "-table");
        for (Column c : columns) {
            TableColumn<JsonNode, String> col = new TableColumn<>(c.title());
            col.setCellValueFactory(d -> new ReadOnlyStringWrapper(c.value().apply(d.getValue())));
            col.setPrefWidth(c.width());
            table.getColumns().add(col);
        }
        if (usedBy != null) {
            TableColumn<JsonNode, String> col = new TableColumn<>("Used by");
            col.setId(id + "-used-by");
            col.setCellValueFactory(d -> new ReadOnlyStringWrapper(String.join(", ", usedBy.of(usedByIndex, d.getValue()))));
            col.setPrefWidth(240);
            table.getColumns().add(col);
        }
        SortedList<JsonNode> sorted = new SortedList<>(items);
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        table.setPlaceholder(EmptyState.of(emptyTitle, emptyHint));
        Runnable reload = () -> {
            long n = ++reloads;
            services.engine().call(c -> new Listed(list.apply(c),
                    usedBy == null ? Map.<String, List<String>>of() : usedBy.index().apply(c.containers().list(true, 0, false, null))), r -> {
                if (n != reloads) {
                    return; // a newer reload is under way; an older answer must not overwrite it
                }
                List<JsonNode> out = new ArrayList<>();
                r.items().forEach(out::add);
                usedByIndex = r.usedBy();
                items.setAll(out);
            }, e -> {
                if (n == reloads) {
                    message.setText("Cannot list: " + e.getMessage());
                }
            });
        };
        services.engine().onConnected(reload);
        services.engine().onEvent(e -> {
            if (eventType.equals(e.type()) || (usedBy != null && "container".equals(e.type()))) {
                reload.run();
            }
        });
        if (services.engine().state() == EngineConnection.State.CONNECTED) {
            reload.run();
        }
        Button rm = new Button("Remove", new FontIcon(Feather.TRASH_2));
        rm.setId(id + "-remove");
        rm.disableProperty().bind(Bindings.isNull(table.getSelectionModel().selectedItemProperty()));
        rm.setOnAction(e -> {
            String k = key.apply(table.getSelectionModel().getSelectedItem());
            services.ui().background(() -> {
                remove.accept(services.engine().client(), k);
                return k;
            }, x -> {
                message.setText("Removed " + x);
                reload.run();
            }, ex -> message.setText("Cannot remove " + k + ": " + ex.getMessage()));
        });
        Button pr = new Button("Prune unused", new FontIcon(Feather.SCISSORS));
        pr.setId(id + "-prune");
        pr.setOnAction(e -> services.ui().background(() -> {
            prune.accept(services.engine().client());
            return null;
        }, x -> {
            message.setText("Pruned");
            reload.run();
        }, ex -> message.setText("Cannot prune: " + ex.getMessage())));
        Button refresh = new Button("Refresh", new FontIcon(Feather.REFRESH_CW));
        refresh.setOnAction(e -> reload.run());
        message.setPadding(new Insets(4, 8, 4, 8));
        setTop(new VBox(new ToolBar(refresh, rm, pr), message));
        setCenter(table);
    }

    private record Listed(JsonNode items, Map<String, List<String>> usedBy) {
    }

    public static String text(JsonNode n, String field) {
        return n.path(field).asText("");
    }
}
