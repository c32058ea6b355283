package dev.berth.desktop.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.client.EngineClient;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
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
 * A table of one kind of engine object listed as JSON (volumes, networks), bound to its
 * {@link ResourceListViewModel}: remove and prune, and (where added) create and inspect. A kept list
 * shown before the engine answers is marked as such.
 */
public final class ResourceListView extends BorderPane {
    /** A column: its title and how to read it from one list entry. */
    public record Column(String title, Function<JsonNode, String> value, double width) {
    }

    private final ResourceListViewModel vm;
    private final Label message = new Label();

    /**
     * @param id      the view's id, the prefix of its controls' ids ({@code id + "-table"}, ...)
     * @param usedBy  whether to add a "Used by" column (the view model knows who uses what)
     */
    public ResourceListView(ResourceListViewModel vm, String id, List<Column> columns, boolean usedBy,
                            Function<JsonNode, String> key, String emptyTitle, String emptyHint) {
        this.vm = vm;
        this.id = id;
        this.key = key;
        this.pruneQuestion = "Remove all " + id + " no container uses?";
        message.setId(id + "-message");
        message.textProperty().bind(vm.messageProperty());
        table.setId(id + "-table");
        for (Column c : columns) {
            TableColumn<JsonNode, String> col = new TableColumn<>(c.title());
            col.setCellValueFactory(d -> new ReadOnlyStringWrapper(c.value().apply(d.getValue())));
            col.setPrefWidth(c.width());
            table.getColumns().add(col);
        }
        if (usedBy) {
            TableColumn<JsonNode, String> col = new TableColumn<>("Used by");
            col.setId(id + "-used-by");
            col.setCellValueFactory(d -> new ReadOnlyStringWrapper(String.join(", ", vm.usedBy(d.getValue()))));
            col.setPrefWidth(240);
            table.getColumns().add(col);
        }
        SortedList<JsonNode> sorted = new SortedList<>(vm.items());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        table.setPlaceholder(EmptyState.of(emptyTitle, emptyHint));
        Button rm = new Button("Remove", new FontIcon(Feather.TRASH_2));
        rm.setId(id + "-remove");
        rm.disableProperty().bind(Bindings.isNull(table.getSelectionModel().selectedItemProperty()));
        rm.setOnAction(e -> vm.remove(key.apply(table.getSelectionModel().getSelectedItem())));
        Button pr = new Button("Prune unused", new FontIcon(Feather.SCISSORS));
        pr.setId(id + "-prune");
        pr.setOnAction(e -> {
            javafx.scene.control.Alert a = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION,
                    pruneQuestion, javafx.scene.control.ButtonType.OK, javafx.scene.control.ButtonType.CANCEL);
            a.initOwner(getScene() == null ? null : getScene().getWindow());
            a.setHeaderText("Prune unused " + id);
            a.showAndWait().filter(b -> b == javafx.scene.control.ButtonType.OK).ifPresent(b -> vm.prune());
        });
        Button refresh = new Button("Refresh", new FontIcon(Feather.REFRESH_CW));
        refresh.setId(id + "-refresh");
        refresh.setOnAction(e -> vm.reload());
        message.setPadding(new Insets(4, 8, 4, 8));
        toolbar.getItems().addAll(refresh, rm, pr);
        top.getChildren().addAll(toolbar, LastKnownLabel.of(id, vm.showingLastKnownProperty()), message);
        setTop(top);
        setCenter(table);
    }

    private String pruneQuestion;

    /** What Prune asks before it runs (by default: remove all this view's objects no container uses?). */
    public ResourceListView withPruneQuestion(String question) {
        pruneQuestion = question;
        return this;
    }

    public ResourceListViewModel viewModel() {
        return vm;
    }

    private final String id;
    private final Function<JsonNode, String> key;
    private final TableView<JsonNode> table = new TableView<>();
    private final ToolBar toolbar = new ToolBar();
    private final VBox top = new VBox();

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
        add.setOnAction(e -> vm.create(fields.stream().map(f -> f.getText().strip()).toList(), create,
                () -> fields.forEach(javafx.scene.control.TextField::clear)));
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
            vm.inspect(k, inspect, json -> {
                dev.berth.desktop.detail.inspect.InspectView view = new dev.berth.desktop.detail.inspect.InspectView();
                view.show(json);
                javafx.stage.Stage st = new javafx.stage.Stage();
                st.initOwner(getScene() == null ? null : getScene().getWindow());
                st.setTitle("Inspect " + k);
                st.setScene(new javafx.scene.Scene(view, 700, 520));
                st.show();
            });
        });
        toolbar.getItems().add(2, b);
        return this;
    }

    public static String text(JsonNode n, String field) {
        return n.path(field).asText("");
    }
}
