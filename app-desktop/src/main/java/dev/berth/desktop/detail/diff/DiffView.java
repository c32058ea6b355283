package dev.berth.desktop.detail.diff;

import dev.berth.engine.client.model.FilesystemChange;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.text.Font;

/** The "Files changed" tab: {@code docker diff}'s A/C/D lines, coloured green, amber and red. */
public final class DiffView extends BorderPane {
    private final ListView<FilesystemChange> list = new ListView<>();

    public DiffView(DiffViewModel vm) {
        list.setId("diff-list");
        list.setItems(vm.changes());
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(FilesystemChange item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setStyle(null);
                    return;
                }
                setFont(Font.font("Monospaced", 12));
                setText(item.letter() + " " + item.path());
                setStyle("-fx-text-fill: " + color(item.kind()) + ";");
            }
        });
        Label summary = new Label();
        summary.setId("diff-summary");
        summary.textProperty().bind(vm.summaryProperty());
        list.setPlaceholder(new Label("No files changed"));
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refresh());
        HBox bar = new HBox(8, refresh, summary);
        bar.setStyle("-fx-padding: 4; -fx-alignment: center-left;");
        setTop(bar);
        setCenter(list);
    }

    static String color(int kind) {
        return switch (kind) {
            case 1 -> "#2da44e";
            case 2 -> "#cf222e";
            default -> "#bf8700";
        };
    }

    public ListView<FilesystemChange> list() {
        return list;
    }
}
