package dev.berth.desktop.detail.logs;

import javafx.animation.AnimationTimer;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.FileChooser;

import java.io.IOException;
import java.util.List;

/** The Logs tab: binds to {@link LogsViewModel}; the ListView is virtualised, so only visible rows exist. */
public final class LogsView extends BorderPane {
    private static final Font MONO = Font.font("Monospaced", 12);
    /** Row height when lines do not wrap: a fixed size lets the VirtualFlow skip measuring rows. */
    static final double ROW_HEIGHT = 20;
    private final ListView<LogLine> list = new ListView<>();
    private final TextField search = new TextField();
    private final AnimationTimer pump;

    public LogsView(LogsViewModel vm) {
        list.setItems(vm.lines());
        list.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        list.setCellFactory(v -> new LogCell(vm));
        list.setId("logs-list");
        list.setFixedCellSize(vm.wrapProperty().get() ? -1 : ROW_HEIGHT);

        search.setPromptText("Search");
        search.setId("logs-search");
        search.textProperty().bindBidirectional(vm.searchProperty());
        CheckBox follow = check("Follow", vm.followProperty(), "logs-follow");
        CheckBox ts = check("Timestamps", vm.timestampsProperty(), "logs-timestamps");
        CheckBox wrap = check("Wrap", vm.wrapProperty(), "logs-wrap");
        Button next = new Button("Next");
        next.setId("logs-next");
        next.setOnAction(e -> {
            List<Integer> m = vm.matches();
            if (!m.isEmpty()) {
                int cur = list.getSelectionModel().getSelectedIndex();
                int target = m.stream().filter(i -> i > cur).findFirst().orElse(m.getFirst());
                list.getSelectionModel().clearAndSelect(target);
                list.scrollTo(target);
            }
        });
        Button copy = new Button("Copy");
        copy.setId("logs-copy");
        copy.setTooltip(new javafx.scene.control.Tooltip("Copy the selected lines (all when none is selected)"));
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            List<LogLine> sel = list.getSelectionModel().getSelectedItems();
            c.putString(vm.text(sel.isEmpty() ? vm.lines() : sel));
            Clipboard.getSystemClipboard().setContent(c);
        });
        Button save = new Button("Save…");
        save.setId("logs-save");
        save.setOnAction(e -> {
            var file = new FileChooser().showSaveDialog(getScene().getWindow());
            if (file != null) {
                try {
                    vm.save(file.toPath());
                } catch (IOException ex) {
                    vm.statusProperty().set("Could not save: " + ex.getMessage());
                }
            }
        });
        Button clear = new Button("Clear");
        clear.setId("logs-clear");
        clear.setOnAction(e -> vm.clear());
        Label status = new Label();
        status.textProperty().bind(vm.statusProperty());
        HBox.setHgrow(search, Priority.ALWAYS);
        HBox bar = new HBox(6, search, next, follow, ts, wrap, copy, save, clear, status);
        bar.setStyle("-fx-padding: 4; -fx-alignment: center-left;");
        setTop(bar);
        setCenter(list);

        vm.searchProperty().addListener((o, a, b) -> list.refresh());
        vm.timestampsProperty().addListener((o, a, b) -> list.refresh());
        vm.wrapProperty().addListener((o, a, b) -> {
            list.setFixedCellSize(b ? -1 : ROW_HEIGHT);
            list.refresh();
        });
        // one list change per frame, however fast lines arrive
        pump = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (vm.pulse() > 0 && vm.followProperty().get()) {
                    list.scrollTo(vm.lines().size() - 1);
                }
            }
        };
        sceneProperty().addListener((o, a, b) -> {
            if (b != null) {
                pump.start();
            } else {
                pump.stop();
            }
        });
    }

    public TextField searchField() {
        return search;
    }

    public ListView<LogLine> list() {
        return list;
    }

    private static CheckBox check(String text, javafx.beans.property.BooleanProperty p, String id) {
        CheckBox c = new CheckBox(text);
        c.setId(id);
        c.selectedProperty().bindBidirectional(p);
        return c;
    }

    private static final class LogCell extends ListCell<LogLine> {
        private static final javafx.css.PseudoClass STDERR = javafx.css.PseudoClass.getPseudoClass("stderr");
        private final LogsViewModel vm;

        LogCell(LogsViewModel vm) {
            this.vm = vm;
        }

        /**
         * The theme's list cells are at least 3em (42 px) high; a log row is one line of text. With Wrap on (no
         * fixed row height) every short line took 42 px, twice the unwrapped row, so half as many lines showed.
         */
        private static final String ROW = "-fx-cell-size: " + (int) ROW_HEIGHT + "px;";
        private static final String ROW_STDERR = ROW + "-fx-text-fill: #d33;";

        @Override
        protected void updateItem(LogLine item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setText(null);
                setStyle(ROW);
                return;
            }
            String text = item.display(vm.timestampsProperty().get());
            boolean err = item.stream() == LogStream.STDERR;
            pseudoClassStateChanged(STDERR, err);
            List<LogSearch.Range> hits = LogSearch.ranges(text, vm.searchProperty().get(), false);
            boolean wrap = vm.wrapProperty().get();
            if (hits.isEmpty() && !wrap) {
                // the common case while following: a plain labelled cell, no per-row node graph
                setGraphic(null);
                setFont(MONO);
                setStyle(err ? ROW_STDERR : ROW);
                setText(text);
                return;
            }
            setStyle(ROW);
            String color = err ? "-fx-fill: #d33;" : "";
            TextFlow flow = new TextFlow();
            int at = 0;
            for (LogSearch.Range r : hits) {
                flow.getChildren().add(text(text.substring(at, r.start()), color));
                Text hit = text(text.substring(r.start(), r.end()), color + "-fx-font-weight: bold; -fx-underline: true;");
                hit.getStyleClass().add("log-match");
                flow.getChildren().add(hit);
                at = r.end();
            }
            flow.getChildren().add(text(text.substring(at), color));
            if (wrap) {
                flow.prefWidthProperty().bind(getListView().widthProperty().subtract(30));
            }
            setText(null);
            setGraphic(flow);
        }

        private static Text text(String s, String style) {
            Text t = new Text(s);
            t.setFont(MONO);
            t.setStyle(style);
            return t;
        }
    }
}
