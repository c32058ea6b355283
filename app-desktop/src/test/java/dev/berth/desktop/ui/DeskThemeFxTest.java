package dev.berth.desktop.ui;

import javafx.scene.Scene;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both themes load AtlantaFX and give ControlsFX's controls the colours their stylesheets look up. */
@ExtendWith(ApplicationExtension.class)
class DeskThemeFxTest {
    private final Logger css = Logger.getLogger("javafx.css");
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler collect = new Handler() {
        @Override
        public void publish(LogRecord r) {
            warnings.add(String.valueOf(r.getMessage()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private VBox root;

    @BeforeEach
    void listen() {
        css.addHandler(collect);
    }

    @AfterEach
    void stopListening() {
        css.removeHandler(collect);
    }

    @Start
    void start(Stage stage) {
        root = new VBox();
        stage.setScene(new Scene(root, 400, 200));
        stage.show();
    }

    @Test
    void bothThemesPaintTheStatusBarWithTheThemesColours(FxRobot robot) {
        for (Theme theme : List.of(Theme.LIGHT, Theme.DARK)) {
            StatusBar bar = new StatusBar();
            Region themed = new Region();
            themed.setStyle("-fx-background-color: -color-bg-default;"); // defined by AtlantaFX only
            robot.interact(() -> {
                theme.apply();
                root.getChildren().setAll(themed, bar);
                root.applyCss();
                root.layout();
            });
            assertNotNull(themed.getBackground(), theme + ": AtlantaFX's palette is loaded");
            Color page = (Color) themed.getBackground().getFills().getFirst().getFill();
            assertEquals(theme.dark(), page.getBrightness() < 0.5, theme + ": page colour " + page);
            assertNotNull(bar.getBackground(), theme + ": the status bar has a background");
            assertEquals(2, bar.getBackground().getFills().size(), theme.toString());
            Color body = (Color) bar.getBackground().getFills().get(1).getFill();
            assertNotEquals(Color.TRANSPARENT, body, theme.toString());
            assertEquals(theme.dark(), body.getBrightness() < 0.5, theme + ": status bar colour " + body);
        }
        assertTrue(warnings.stream().noneMatch(w -> w.contains("ClassCastException") || w.contains("Could not resolve")),
                warnings.toString());
    }
}
