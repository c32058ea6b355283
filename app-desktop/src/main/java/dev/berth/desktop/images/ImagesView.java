package dev.berth.desktop.images;

import dev.berth.desktop.ui.Sizes;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.ui.EmptyState;
import dev.berth.engine.client.model.ImageHistoryItem;
import dev.berth.engine.client.model.ImageSummary;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.List;
import java.util.function.Function;

/** The images table with pull (per-layer progress), remove, tag, prune and history. */
public final class ImagesView extends BorderPane {
    private final ImagesViewModel vm;
    private final TableView<ImageSummary> table = new TableView<>();

    public ImagesView(AppServices services) {
        this.vm = new ImagesViewModel(services);
        table.setId("images-table");
        table.getColumns().add(col("Repository:tag", i -> i.repoTags().isEmpty() ? "<none>" : String.join(", ", i.repoTags()), 320));
        table.getColumns().add(col("ID", i -> shortId(i.id()), 130));
        TableColumn<ImageSummary, Long> size = new TableColumn<>("Size");
        size.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(d.getValue().size()));
        size.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Long v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : Sizes.human(v));
            }
        });
        size.setPrefWidth(100);
        table.getColumns().add(size);
        table.getColumns().add(col("Created", i -> java.time.Instant.ofEpochSecond(i.created()).toString(), 200));
        TableColumn<ImageSummary, String> usedBy = col("Used by", i -> String.join(", ", vm.usedBy(i)), 220);
        usedBy.setId("images-used-by");
        table.getColumns().add(usedBy);
        SortedList<ImageSummary> sorted = new SortedList<>(vm.images());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        table.setPlaceholder(EmptyState.of("No images", "Pull one with the field above, e.g. busybox:latest."));

        TextField ref = new TextField();
        ref.setId("images-pull-ref");
        ref.setPromptText("Image to pull, e.g. busybox:latest (Ctrl+N)");
        ref.getStyleClass().add(dev.berth.desktop.ui.MainWindow.NEW);
        HBox.setHgrow(ref, Priority.ALWAYS);
        Button pull = new Button("Pull", new FontIcon(Feather.DOWNLOAD));
        pull.setId("images-pull");
        pull.getStyleClass().add("accent");
        pull.disableProperty().bind(ref.textProperty().isEmpty());
        pull.setOnAction(e -> showPull(ref.getText().strip()));
        ref.setOnAction(e -> pull.fire());
        Button remove = selectionButton("Remove", Feather.TRASH_2, "images-remove");
        remove.setOnAction(e -> {
            String target = selectedRef();
            vm.remove(target, false, refused -> explainRefusal(target, refused));
        });
        Button run = selectionButton("Run…", Feather.PLAY_CIRCLE, "images-run");
        run.setOnAction(e -> new dev.berth.desktop.containers.RunContainerDialog(services, selectedRef()).show());
        Button tag = selectionButton("Tag", Feather.TAG, "images-tag");
        tag.setOnAction(e -> {
            // the source is read before the dialog: an event reloading the table while it is open clears the selection
            String source = selectedRef();
            TextInputDialog d = new TextInputDialog();
            d.initOwner(getScene() == null ? null : getScene().getWindow());
            d.setTitle("Tag image");
            d.setHeaderText("New reference for " + source);
            d.getEditor().setId("images-tag-target");
            d.getEditor().setPromptText("repository:tag, e.g. myapp:1.0");
            d.showAndWait().filter(s -> !s.isBlank()).ifPresent(t -> vm.tag(source, t.strip()));
        });
        Button history = selectionButton("History", Feather.CLOCK, "images-history");
        history.setOnAction(e -> {
            String of = selectedRef();
            vm.history(of, items -> showHistory(of, items));
        });
        Button push = selectionButton("Push…", Feather.UPLOAD_CLOUD, "images-push");
        push.setOnAction(e -> dev.berth.desktop.push.PushWizard.open(getScene().getWindow(), services, selectedRef()));
        javafx.scene.control.MenuItem pushItem = new javafx.scene.control.MenuItem("Push to a registry…");
        pushItem.setId("images-menu-push");
        pushItem.setOnAction(e -> push.fire());
        table.setContextMenu(new javafx.scene.control.ContextMenu(pushItem));
        Button prune = new Button("Prune", new FontIcon(Feather.SCISSORS));
        prune.setId("images-prune");
        prune.setOnAction(e -> {
            Alert a = new Alert(Alert.AlertType.CONFIRMATION, "Remove all dangling images?", ButtonType.OK, ButtonType.CANCEL);
            a.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> vm.prune());
        });
        Label message = new Label();
        message.setId("images-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());
        message.setPadding(new Insets(4, 8, 4, 8));
        setTop(new VBox(new ToolBar(ref, pull, run, remove, tag, history, push, prune),
                dev.berth.desktop.ui.LastKnownLabel.of("images", vm.showingLastKnownProperty()), message));
        setCenter(table);
    }

    public ImagesViewModel viewModel() {
        return vm;
    }

    private Button selectionButton(String text, Feather icon, String id) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.disableProperty().bind(Bindings.isNull(table.getSelectionModel().selectedItemProperty()));
        return b;
    }

    private String selectedRef() {
        ImageSummary i = table.getSelectionModel().getSelectedItem();
        return i.repoTags().isEmpty() ? i.id() : i.repoTags().get(0);
    }

    /** The engine refused a removal: its words, Docker's rules, and force where it could help. */
    private void explainRefusal(String ref, Throwable refused) {
        ButtonType force = new ButtonType("Remove with force", javafx.scene.control.ButtonBar.ButtonData.OTHER);
        Alert a = new Alert(Alert.AlertType.WARNING, "", ButtonType.CLOSE);
        a.setTitle("Cannot remove " + ref);
        a.setHeaderText("The engine kept " + ref + ": " + refused.getMessage());
        Label rules = new Label(ImagesViewModel.REMOVE_RULES);
        rules.setId("images-remove-rules");
        rules.setWrapText(true);
        rules.setPrefWidth(520);
        a.getDialogPane().setContent(rules);
        if (ImagesViewModel.forceMayHelp(refused)) {
            a.getButtonTypes().add(0, force);
        }
        a.initOwner(getScene() == null ? null : getScene().getWindow());
        a.show();
        a.resultProperty().addListener((o, was, b) -> {
            if (b == force) {
                vm.remove(ref, true, again -> { });
            }
        });
    }

    private void showPull(String ref) {
        Dialog<Void> d = new Dialog<>();
        d.initModality(Modality.NONE);
        d.setTitle("Pull " + ref);
        ListView<PullProgress.Layer> layers = new ListView<>();
        layers.setId("pull-layers");
        layers.setPrefSize(520, 220);
        layers.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(PullProgress.Layer layer, boolean empty) {
                super.updateItem(layer, empty);
                if (empty || layer == null) {
                    setGraphic(null);
                    return;
                }
                ProgressBar bar = new ProgressBar(layer.fraction() < 0 ? ProgressBar.INDETERMINATE_PROGRESS : layer.fraction());
                bar.setPrefWidth(180);
                setGraphic(new HBox(8, new Label(layer.id()), bar, new Label(layer.status())));
            }
        });
        Label status = new Label();
        status.setId("pull-status");
        PullProgress progress = vm.pull(ref, err -> d.getDialogPane().lookupButton(ButtonType.CLOSE).setDisable(false));
        layers.setItems(progress.layers());
        status.textProperty().bind(progress.statusProperty());
        d.getDialogPane().setContent(new VBox(8, status, layers));
        d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        d.show();
    }

    /** The image's layers, newest first as the engine lists them: the step that made each and its size. */
    private void showHistory(String ref, List<ImageHistoryItem> items) {
        TableView<ImageHistoryItem> t = new TableView<>();
        t.setId("images-history-table");
        TableColumn<ImageHistoryItem, String> id = new TableColumn<>("Image");
        // only a step's own image has an ID; the layers of a pulled image's history say "<missing>", as docker history does
        id.setCellValueFactory(d -> new ReadOnlyStringWrapper(historyId(d.getValue())));
        id.setPrefWidth(110);
        TableColumn<ImageHistoryItem, String> created = new TableColumn<>("Created");
        created.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue().created() <= 0 ? ""
                : java.time.Instant.ofEpochSecond(d.getValue().created()).toString()));
        created.setPrefWidth(170);
        TableColumn<ImageHistoryItem, String> by = new TableColumn<>("Created by");
        by.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue().createdBy()));
        by.setPrefWidth(480);
        TableColumn<ImageHistoryItem, String> sz = new TableColumn<>("Size");
        sz.setCellValueFactory(d -> new ReadOnlyStringWrapper(Sizes.human(d.getValue().size())));
        sz.setPrefWidth(90);
        t.getColumns().addAll(List.of(id, created, by, sz));
        t.getItems().setAll(items);
        t.setPrefSize(880, 320);
        Dialog<Void> d = new Dialog<>();
        d.initOwner(getScene() == null ? null : getScene().getWindow());
        d.initModality(Modality.NONE);
        d.setResizable(true);
        d.setTitle("History of " + ref);
        d.getDialogPane().setContent(t);
        d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        d.show();
    }

    static String historyId(ImageHistoryItem i) {
        return i.id() == null || i.id().isEmpty() || "<missing>".equals(i.id()) ? "<missing>" : shortId(i.id());
    }

    static String shortId(String id) {
        String s = id.startsWith("sha256:") ? id.substring(7) : id;
        return s.substring(0, Math.min(12, s.length()));
    }

    private static TableColumn<ImageSummary, String> col(String t, Function<ImageSummary, String> f, double w) {
        TableColumn<ImageSummary, String> c = new TableColumn<>(t);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setPrefWidth(w);
        return c;
    }
}
