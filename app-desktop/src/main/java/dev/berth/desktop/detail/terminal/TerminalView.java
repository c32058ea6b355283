package dev.berth.desktop.detail.terminal;

import javafx.animation.AnimationTimer;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A canvas that paints a {@link TerminalScreen} cell by cell in a monospaced font, sends keys as the
 * bytes a VT100 would, and reports its size in cells when the pane is resized. Repaints at most once
 * a frame and only when the screen changed.
 */
public final class TerminalView extends Pane {
    private static final Color[] PALETTE = {
            Color.web("#000000"), Color.web("#cd3131"), Color.web("#0dbc79"), Color.web("#e5e510"),
            Color.web("#2472c8"), Color.web("#bc3fbc"), Color.web("#11a8cd"), Color.web("#e5e5e5"),
            Color.web("#666666"), Color.web("#f14c4c"), Color.web("#23d18b"), Color.web("#f5f543"),
            Color.web("#3b8eea"), Color.web("#d670d6"), Color.web("#29b8db"), Color.web("#ffffff")};
    private static final Color BG = Color.web("#1e1e1e");
    private static final Color FG = Color.web("#d4d4d4");

    private final Canvas canvas = new Canvas();
    private final Font font = Font.font("Monospaced", 13);
    private final double cellW;
    private final double cellH;
    private TerminalScreen screen;
    private long painted = -1;

    public TerminalView(TerminalScreen screen, Consumer<byte[]> keys, BiConsumer<Integer, Integer> resized) {
        this.screen = screen;
        Text probe = new Text("W");
        probe.setFont(font);
        cellW = Math.ceil(probe.getLayoutBounds().getWidth());
        cellH = Math.ceil(probe.getLayoutBounds().getHeight());
        getChildren().add(canvas);
        setFocusTraversable(true);
        setId("terminal");
        setStyle("-fx-background-color: #1e1e1e;");
        setOnMouseClicked(e -> requestFocus());
        addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            byte[] b = special(e);
            if (b != null) {
                keys.accept(b);
                e.consume();
            }
        });
        addEventHandler(KeyEvent.KEY_TYPED, e -> {
            String c = e.getCharacter();
            if (!c.isEmpty() && c.charAt(0) >= 32 && c.charAt(0) != 127 && !e.isControlDown()) {
                keys.accept(TerminalKeys.typed(c));
                e.consume();
            }
        });
        widthProperty().addListener((o, a, b) -> sizeChanged(resized));
        heightProperty().addListener((o, a, b) -> sizeChanged(resized));
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (TerminalView.this.screen.version() != painted) {
                    paint();
                }
            }
        }.start();
    }

    private void sizeChanged(BiConsumer<Integer, Integer> resized) {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        int cols = Math.max(10, (int) (getWidth() / cellW));
        int rows = Math.max(3, (int) (getHeight() / cellH));
        if (rows != screen.rows() || cols != screen.cols()) {
            resized.accept(rows, cols);
        }
        painted = -1;
    }

    private static byte[] special(KeyEvent e) {
        KeyCode k = e.getCode();
        if (e.isControlDown() && k.isLetterKey()) {
            return TerminalKeys.control(k.getName().charAt(0));
        }
        TerminalKeys.Key key = switch (k) {
            case ENTER -> TerminalKeys.Key.ENTER;
            case BACK_SPACE -> TerminalKeys.Key.BACKSPACE;
            case TAB -> TerminalKeys.Key.TAB;
            case ESCAPE -> TerminalKeys.Key.ESCAPE;
            case UP -> TerminalKeys.Key.UP;
            case DOWN -> TerminalKeys.Key.DOWN;
            case LEFT -> TerminalKeys.Key.LEFT;
            case RIGHT -> TerminalKeys.Key.RIGHT;
            case HOME -> TerminalKeys.Key.HOME;
            case END -> TerminalKeys.Key.END;
            case DELETE -> TerminalKeys.Key.DELETE;
            case PAGE_UP -> TerminalKeys.Key.PAGE_UP;
            case PAGE_DOWN -> TerminalKeys.Key.PAGE_DOWN;
            default -> null;
        };
        return key == null ? null : TerminalKeys.bytes(key);
    }

    private void paint() {
        painted = screen.version();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(BG);
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        g.setFont(font);
        int rows = screen.rows();
        int cols = screen.cols();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                char ch = screen.charAt(r, c);
                if (ch == ' ') {
                    continue;
                }
                int color = screen.colorAt(r, c);
                g.setFill(color < 0 ? FG : PALETTE[color]);
                g.fillText(String.valueOf(ch), c * cellW, (r + 1) * cellH - 3);
            }
        }
        g.setFill(Color.web("#d4d4d4", 0.6));
        g.fillRect(screen.cursorCol() * cellW, screen.cursorRow() * cellH, cellW, cellH);
    }

    /** The screen this view paints (its size in cells follows the view's). */
    public TerminalScreen screen() {
        return screen;
    }

    /** What the screen shows (scrollback and rows), for copy-all and tests. */
    public String screenText() {
        return screen.text();
    }
}
