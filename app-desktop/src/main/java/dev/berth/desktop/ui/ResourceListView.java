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
 * on container events (for "used by") and on reconnect, with remove and prune, and (where added)
 * create and inspect.
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
        this.services = services;
        this.id = id;
        message.setId(id + "-message");
        this.key = key;
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
        reload = () -> {
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
        toolbar.getItems().addAll(refresh, rm, pr);
        top.getChildren().addAll(toolbar, message);
        setTop(top);
        setCenter(table);
    }

    private final AppServices services;
    private final String id;
    private final Function<JsonNode, String> key;
    private final TableView<JsonNode> table = new TableView<>();
    private final ToolBar toolbar = new ToolBar();
    private final VBox top = new VBox();
    private final Runnable reload;

    /**
     * Adds a form to make a new object: one field per prompt, and Create, which hands the typed values
     * to {@code create} in the background. The first field is the name; Create needs it.
     */
    public ResourceListView withCreate(List<String> prompts, BiConsumer<EngineClient, List<String>> create) {
        List<javafx.scene.control.TextField> fields = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            javafx.scene.control.TextField f = new javafx.scene.control.TextField();
            f.setId(id + "-create-" + i);
            f.setPromptText(prompts.get(i));
            f.setPrefColumnCount(i == 0 ? 14 : 18);
            fields.add(f);
        }
        fields.get(0).getStyleClass().add(MainWindow.NEW);
        Button add = new Button("Create", new FontIcon(Feather.PLUS));
        add.setId(id + "-create");
        add.disableProperty().bind(fields.get(0).textProperty().isEmpty());
        add.setOnAction(e -> {
            List<String> values = fields.stream().map(f -> f.getText().strip()).toList();
            services.ui().background(() -> {
                create.accept(services.engine().client(), values);
                return values.get(0);
            }, made -> {
                message.setText("Created " + made);
                fields.forEach(javafx.scene.control.TextField::clear);
                reload.run();
            }, ex -> message.setText("Cannot create " + values.get(0) + ": " + ex.getMessage()));
        });
        fields.forEach(f -> f.setOnAction(e -> add.fire()));
        // a row of its own: in the toolbar the fields would overflow into its menu on a narrow window
        javafx.scene.layout.HBox row = new javafx.scene.layout.HBox(8);
        row.setPadding(new Insets(4, 8, 4, 8));
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        row.getChildren().add(new Label("New:"));
        row.getChildren().addAll(fields);
        row.getChildren().add(add);
        top.getChildren().add(1, row);
        return this;
    }

    /** Adds Inspect: the selected object's inspect (tree and raw JSON) in a window of its own. */
    public ResourceListView withInspect(java.util.function.BiFunction<EngineClient, String, JsonNode> inspect) {
        Button b = new Button("Inspect", new FontIcon(Feather.SEARCH));
        b.setId(id + "-inspect");
        b.disableProperty().bind(Bindings.isNull(table.getSelectionModel().selectedItemProperty()));
        b.setOnAction(e -> {
            String k = key.apply(table.getSelectionModel().getSelectedItem());
            services.ui().background(() -> inspect.apply(services.engine().client(), k), json -> {
                dev.berth.desktop.detail.inspect.InspectView view = new dev.berth.desktop.detail.inspect.InspectView();
                view.show(json);
                javafx.stage.Stage st = new javafx.stage.Stage();
                st.initOwner(getScene() == null ? null : getScene().getWindow());
                st.setTitle("Inspect " + k);
                st.setScene(new javafx.scene.Scene(view, 700, 520));
                st.show();
            }, ex -> message.setText("Cannot inspect " + k + ": " + ex.getMessage()));
        });
        toolbar.getItems().add(2, b);
        return this;
    }

    private record Listed(JsonNode items, Map<String, List<String>> usedBy) {
    }

    public static String text(JsonNode n, String field) {
        return n.path(field).asText("");
    }
}
