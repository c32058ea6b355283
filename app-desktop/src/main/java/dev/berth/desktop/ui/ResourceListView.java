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
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A table of one kind of engine object listed as JSON (volumes, networks): reloaded on its events and
 * on reconnect, with remove and prune.
 */
public final class ResourceListView extends BorderPane {
    /** A column: its title and how to read it from one list entry. */
    public record Column(String title, Function<JsonNode, String> value, double width) {
    }

    private final ObservableList<JsonNode> items = FXCollections.observableArrayList();
    private final Label message = new Label();

    public ResourceListView(AppServices services, String id, String eventType, Function<EngineClient, JsonNode> list,
                            List<Column> columns, Function<JsonNode, String> key, BiConsumer<EngineClient, String> remove,
                            java.util.function.Consumer<EngineClient> prune, String emptyTitle, String emptyHint) {
        TableView<JsonNode> table = new TableView<>();
        table.setId(id + "-table");
        for (Column c : columns) {
            TableColumn<JsonNode, String> col = new TableColumn<>(c.title());
            col.setCellValueFactory(d -> new ReadOnlyStringWrapper(c.value().apply(d.getValue())));
            col.setPrefWidth(c.width());
            table.getColumns().add(col);
        }
        SortedList<JsonNode> sorted = new SortedList<>(items);
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        table.setPlaceholder(EmptyState.of(emptyTitle, emptyHint));
        Runnable reload = () -> services.ui().background(() -> list.apply(services.engine().client()), json -> {
            List<JsonNode> out = new ArrayList<>();
            json.forEach(out::add);
            items.setAll(out);
        }, e -> message.setText("Cannot list: " + e.getMessage()));
        services.engine().onConnected(reload);
        services.engine().onEvent(e -> {
            if (eventType.equals(e.type())) {
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

    public static String text(JsonNode n, String field) {
        return n.path(field).asText("");
    }
}
