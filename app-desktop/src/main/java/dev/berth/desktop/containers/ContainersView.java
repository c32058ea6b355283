package dev.berth.desktop.containers;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.ui.EmptyState;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToolBar;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.Comparator;
import java.util.List;

/** The containers table: filter, sort, multi-select actions, compose projects, clickable ports. */
public final class ContainersView extends BorderPane {
    /** Local time, sortable as text. */
    private static final java.time.format.DateTimeFormatter CREATED = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneId.systemDefault());
    private final ContainersViewModel vm;
    private final TableView<ContainerRow> table = new TableView<>();

    public ContainersView(AppServices services) {
        this(services, new ContainersViewModel(services));
    }

    public ContainersView(AppServices services, ContainersViewModel vm) {
        this(services, vm, Browser.desktop());
    }

    /** With the browser a port link opens (a recording one in tests). */
    public ContainersView(AppServices services, ContainersViewModel vm, Browser browser) {
        this.vm = vm;
        this.sparklines = new Sparklines(services);
        javafx.animation.Timeline sampler = new javafx.animation.Timeline(new javafx.animation.KeyFrame(
                javafx.util.Duration.seconds(3), e -> sampleRunning()));
        sampler.setCycleCount(javafx.animation.Animation.INDEFINITE);
        // only while the table is on screen: another view shown, or the window gone, stops the requests
        sceneProperty().addListener((o, a, sc) -> {
            if (sc != null) {
                sampleRunning();
                sampler.play();
            } else {
                sampler.stop();
            }
        });
        table.setId("containers-table");
        // Rows are the theme's 3em high anyway (AtlantaFX: .table-row-cell -fx-cell-size); saying so lets the
        // table skip measuring each row and leave the cells of columns scrolled out of view out of the
        // scene: ~10% less UI-thread CPU to the first rows (bench/desktop/RESULTS.md).
        table.setStyle("-fx-fixed-cell-size: 3em;");
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.getColumns().add(column("Project", ContainerRow::project, 110));
        table.getColumns().add(column("Name", r -> ContainerGroups.isHeader(r)
                ? (vm.isCollapsed(r.project()) ? "▸ " : "▾ ") + r.name() : r.name(), 180));
        table.getColumns().add(column("Image", ContainerRow::image, 200));
        TableColumn<ContainerRow, String> state = column("State", ContainerRow::state, 90);
        state.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                // AtlantaFX colours a Label by style class (.label.success), not a table cell, whose text is
                // -color-cell-fg: with the classes alone every state was drawn in the plain text colour.
                setStyle(empty || s == null ? null : "-fx-text-fill: " + switch (s) {
                    case "running" -> "-color-success-fg";
                    case "paused", "restarting" -> "-color-warning-fg";
                    case "dead" -> "-color-danger-fg";
                    default -> "-color-fg-muted";
                } + ";");
            }
        });
        table.getColumns().add(state);
        table.getColumns().add(column("Status", ContainerRow::status, 150));
        TableColumn<ContainerRow, ContainerRow> ports = new TableColumn<>("Ports");
        ports.setPrefWidth(200);
        ports.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        ports.setSortable(false);
        ports.setCellFactory(c -> new TableCell<>() {
            /** The ports the links show: links built anew on every reload (each container event) could replace
             * the one under the pointer between press and release, losing the click. */
            private List<Integer> shown;

            @Override
            protected void updateItem(ContainerRow r, boolean empty) {
                super.updateItem(r, empty);
                if (empty || r == null) {
                    shown = null;
                    setGraphic(null);
                    return;
                }
                List<Integer> published = r.ports().stream().filter(p -> p.publicPort() > 0).map(p -> p.publicPort()).distinct().toList();
                if (published.equals(shown) && getGraphic() != null) {
                    return;
                }
                shown = published;
                FlowPane links = new FlowPane(4, 0);
                published.forEach(port -> {
                    Hyperlink l = new Hyperlink(port + "");
                    l.setOnAction(e -> browser.open("http://localhost:" + port));
                    links.getChildren().add(l);
                });
                setGraphic(links);
            }
        });
        table.getColumns().add(ports);
        table.getColumns().add(sparklineColumn());
        table.getColumns().add(column("ID", r -> ContainerGroups.isHeader(r) ? "" : r.shortId(), 110));
        TableColumn<ContainerRow, String> created = column("Created", r -> ContainerGroups.isHeader(r) || r.created() <= 0 ? ""
                : CREATED.format(java.time.Instant.ofEpochSecond(r.created())), 150);
        created.setId("containers-created");
        table.getColumns().add(created);
        SortedList<ContainerRow> sorted = new SortedList<>(vm.filtered());
        // compose projects stay together under their header whichever column sorts; the SortedList
        // does the sorting, so the table's own policy only has to accept the order
        sorted.comparatorProperty().bind(Bindings.createObjectBinding(
                () -> ContainerGroups.comparator(sortComparator()), table.comparatorProperty()));
        table.setSortPolicy(t -> true);
        table.setItems(sorted);
        table.setRowFactory(t -> {
            TableRow<ContainerRow> row = new TableRow<>();
            row.itemProperty().addListener((o, a, b) -> row.setStyle(b != null && ContainerGroups.isHeader(b)
                    ? "-fx-font-weight: bold;" : null));
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && !row.isEmpty() && ContainerGroups.isHeader(row.getItem())) {
                    if (e.getClickCount() == 2) {
                        toggle(row.getItem());
                    }
                    return;
                }
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) {
                    ContainerDetailPane.openWindow(getScene().getWindow(), row.getItem().id(), row.getItem().name(), services);
                }
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE) {
                act(ContainerAction.REMOVE);
            } else if (e.getCode() == KeyCode.ENTER && table.getSelectionModel().getSelectedItem() != null
                    && ContainerGroups.isHeader(table.getSelectionModel().getSelectedItem())) {
                toggle(table.getSelectionModel().getSelectedItem());
            } else if (e.getCode() == KeyCode.ENTER && table.getSelectionModel().getSelectedItem() != null) {
                ContainerRow r = table.getSelectionModel().getSelectedItem();
                ContainerDetailPane.openWindow(getScene().getWindow(), r.id(), r.name(), services);
            }
        });
        table.setContextMenu(favouriteMenu());
        table.setPlaceholder(EmptyState.of("No containers", "Run one with \"Run a container\" or `docker run` against this engine."));

        TextField filter = new TextField();
        filter.setId("containers-filter");
        filter.setPromptText("Filter by name, image, state, project (Ctrl+F)");
        filter.textProperty().bindBidirectional(vm.filterProperty());
        filter.setPrefWidth(260);
        filter.getStyleClass().add(dev.berth.desktop.ui.MainWindow.SEARCH);
        Button run = new Button("Run a container", new FontIcon(Feather.PLAY_CIRCLE));
        run.setId("containers-run");
        run.getStyleClass().addAll("accent", dev.berth.desktop.ui.MainWindow.NEW);
        run.setTooltip(new javafx.scene.control.Tooltip("Run a container (Ctrl+N)"));
        run.setOnAction(e -> new RunContainerDialog(services).showAndWait().ifPresent(x -> vm.reload()));
        ToolBar bar = new ToolBar(filter, run,
                actionButton(ContainerAction.START, Feather.PLAY), actionButton(ContainerAction.STOP, Feather.SQUARE),
                actionButton(ContainerAction.REMOVE, Feather.TRASH_2),
                actionButton(ContainerAction.RESTART, Feather.ROTATE_CW), actionButton(ContainerAction.PAUSE, Feather.PAUSE),
                actionButton(ContainerAction.UNPAUSE, Feather.SKIP_FORWARD), actionButton(ContainerAction.KILL, Feather.ZAP));
        Label error = new Label();
        error.setId("containers-error");
        error.getStyleClass().add("danger");
        error.textProperty().bind(vm.errorProperty());
        error.managedProperty().bind(error.textProperty().isNotEmpty());
        error.setPadding(new Insets(4, 8, 4, 8));
        setTop(new javafx.scene.layout.VBox(bar, dev.berth.desktop.ui.LastKnownLabel.of("containers", vm.showingLastKnownProperty()), error));
        setCenter(table);
    }

    /**
     * "Favourite in tray" on the selected containers: ticked when all of them are favourites; choosing
     * it adds them to (or removes them from) the tray's "Start a favourite".
     */
    private javafx.scene.control.ContextMenu favouriteMenu() {
        javafx.scene.control.CheckMenuItem favourite = new javafx.scene.control.CheckMenuItem("Favourite in tray",
                new FontIcon(Feather.STAR));
        favourite.setId("containers-favourite");
        javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu(favourite);
        menu.setOnShowing(e -> {
            List<String> names = selectedNames();
            favourite.setDisable(names.isEmpty());
            favourite.setSelected(!names.isEmpty() && names.stream().allMatch(vm.favourites()::contains));
        });
        favourite.setOnAction(e -> vm.setFavourite(selectedNames(), favourite.isSelected()));
        return menu;
    }

    private List<String> selectedNames() {
        return table.getSelectionModel().getSelectedItems().stream().filter(r -> r != null && !ContainerGroups.isHeader(r))
                .map(ContainerRow::name).toList();
    }

    /** CPU and memory, sampled every few seconds while the table is on screen. */
    private final Sparklines sparklines;

    private TableColumn<ContainerRow, ContainerRow> sparklineColumn() {
        TableColumn<ContainerRow, ContainerRow> col = new TableColumn<>("CPU / memory");
        col.setId("containers-sparkline");
        col.setPrefWidth(190);
        col.setSortable(false);
        col.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        col.setCellFactory(c -> new SparklineCell(sparklines));
        return col;
    }

    private void sampleRunning() {
        sparklines.sample(table.getItems().stream().filter(r -> !ContainerGroups.isHeader(r) && "running".equals(r.state()))
                .map(ContainerRow::id).toList());
    }

    private void toggle(ContainerRow header) {
        vm.toggleProject(header.project());
        table.refresh();
    }

    public ContainersViewModel viewModel() {
        return vm;
    }

    private Button actionButton(ContainerAction a, Feather icon) {
        Button b = new Button(a.label(), new FontIcon(icon));
        b.setId("containers-" + a.name().toLowerCase());
        b.disableProperty().bind(Bindings.isEmpty(table.getSelectionModel().getSelectedItems()));
        b.setOnAction(e -> act(a));
        return b;
    }

    private void act(ContainerAction a) {
        List<String> ids = table.getSelectionModel().getSelectedItems().stream().map(ContainerRow::id).toList();
        if (!ids.isEmpty()) {
            vm.run(a, ids);
        }
    }

    /** Each text column's value, read straight from the row when sorting. */
    private final java.util.Map<TableColumn<ContainerRow, ?>, java.util.function.Function<ContainerRow, String>> sortKeys =
            new java.util.HashMap<>();

    /**
     * The table's sort order as a comparator on the rows' values, text compared ignoring case. TableView's
     * own comparator asks each column for its cell value on every comparison (a property wrapper per
     * call) and compares with a Collator it gets anew each time: sorting 5,000 rows cost 330-370 ms of
     * FX-thread CPU, this about 60 ms (DeskContainersTableFxTest). Null when unsorted.
     */
    private Comparator<ContainerRow> sortComparator() {
        Comparator<ContainerRow> out = null;
        for (TableColumn<ContainerRow, ?> c : table.getSortOrder()) {
            java.util.function.Function<ContainerRow, String> key = sortKeys.get(c);
            if (key == null) {
                return table.getComparator(); // a column without a plain key: TableView's own way
            }
            Comparator<ContainerRow> one = Comparator.comparing(r -> {
                String v = key.apply(r);
                return v == null ? "" : v;
            }, String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder()));
            if (c.getSortType() == TableColumn.SortType.DESCENDING) {
                one = one.reversed();
            }
            out = out == null ? one : out.thenComparing(one);
        }
        return out;
    }

    private TableColumn<ContainerRow, String> column(String title, java.util.function.Function<ContainerRow, String> f, double w) {
        TableColumn<ContainerRow, String> c = new TableColumn<>(title);
        sortKeys.put(c, f);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setPrefWidth(w);
        return c;
    }

    static Region grow() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }
}
