package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.nav.ViewSpec;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The main window's content: navigation on the left, the chosen view in the middle, the engine's
 * state at the bottom. Keyboard: see {@link #installShortcuts}.
 */
public final class MainWindow extends BorderPane {
    private final AppServices services;
    private final List<ViewSpec> views;
    private final Map<String, Node> built = new HashMap<>();
    private final Map<String, ToggleButton> buttons = new HashMap<>();
    private final StackPane center = new StackPane();
    private final ToggleGroup group = new ToggleGroup();
    private final EngineStatusBar statusBar;

    /** Told the id of every view shown, the first one included. */
    private java.util.function.Consumer<String> onShown = id -> { };

    public MainWindow(AppServices services, List<ViewSpec> views) {
        this(services, views, views.isEmpty() ? null : views.get(0).id());
    }

    /**
     * Opens {@code initial} (the first view when null or unknown). Only that view is built now; the
     * others are built the first time they are opened, so a start builds one view, not every one.
     */
    public MainWindow(AppServices services, List<ViewSpec> views, String initial) {
        this.services = services;
        this.views = views;
        getStyleClass().add("berth-main");
        VBox nav = new VBox(4);
        nav.setPadding(new Insets(12, 8, 12, 8));
        nav.getStyleClass().add("berth-nav");
        nav.setPrefWidth(180);
        Label brand = new Label("Berth");
        brand.getStyleClass().add("title-2");
        brand.setPadding(new Insets(0, 0, 12, 8));
        nav.getChildren().add(brand);
        for (ViewSpec v : views) {
            ToggleButton b = new ToggleButton(v.title(), new FontIcon(v.icon()));
            b.setId("nav-" + v.id());
            b.setToggleGroup(group);
            b.setMaxWidth(Double.MAX_VALUE);
            b.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            b.getStyleClass().add("flat");
            b.setOnAction(e -> show(v.id()));
            buttons.put(v.id(), b);
            nav.getChildren().add(b);
        }
        setLeft(nav);
        setCenter(center);
        statusBar = new EngineStatusBar(services);
        setBottom(statusBar);
        if (!views.isEmpty()) {
            show(views.stream().anyMatch(v -> v.id().equals(initial)) ? initial : views.get(0).id());
        }
    }

    /**
     * A standing line about the desktop (as "no system tray"), shown in the status bar until the window
     * closes: a desktop user never sees the app's stderr.
     */
    public javafx.beans.property.StringProperty noticeProperty() {
        return statusBar.textProperty();
    }

    /** Calls {@code listener} with the id of each view shown from now on (the app remembers the last one). */
    public void setOnViewShown(java.util.function.Consumer<String> listener) {
        this.onShown = listener == null ? id -> { } : listener;
    }

    /** Shows a view by id, building it the first time. */
    public void show(String id) {
        ViewSpec spec = views.stream().filter(v -> v.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no view " + id));
        Node n = built.computeIfAbsent(id, k -> {
            Node node = spec.factory().apply(services);
            node.setId("view-" + id);
            return node;
        });
        center.getChildren().setAll(n);
        ToggleButton b = buttons.get(id);
        if (!b.isSelected()) {
            b.setSelected(true);
        }
        onShown.accept(id);
    }

    /**
     * Installs the window's keyboard shortcuts on its scene: Ctrl+1..9 switch views, Ctrl+F goes to the
     * shown view's search field ({@link #SEARCH}), Ctrl+N to its "new" action ({@link #NEW}: run a container, pull).
     */
    public void installShortcuts(Scene scene) {
        for (int i = 0; i < views.size() && i < 9; i++) {
            String id = views.get(i).id();
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.valueOf("DIGIT" + (i + 1)), KeyCombination.SHORTCUT_DOWN),
                    () -> show(id));
        }
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            Node field = shown(SEARCH);
            if (field != null) {
                field.requestFocus();
            }
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN), () -> {
            Node action = shown(NEW);
            if (action instanceof javafx.scene.control.ButtonBase b && !b.isDisabled()) {
                b.fire();
            } else if (action != null) {
                action.requestFocus();
            }
        });
    }

    /** Style class of a view's search or filter field, which Ctrl+F focuses. */
    public static final String SEARCH = "berth-search";
    /** Style class of a view's "new" control (a button is pressed, a field focused), for Ctrl+N. */
    public static final String NEW = "berth-new";

    private Node shown(String styleClass) {
        return center.getChildren().isEmpty() ? null : center.getChildren().get(0).lookup("." + styleClass);
    }

    static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }
}
