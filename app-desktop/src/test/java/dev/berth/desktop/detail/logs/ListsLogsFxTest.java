package dev.berth.desktop.detail.logs;

import dev.berth.desktop.ui.Theme;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListCell;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.text.TextFlow;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.berth.desktop.FxWait;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

import static dev.berth.desktop.FxWait.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Logs tab's Wrap, Timestamps and Copy, clicked: long lines wrap and unwrap, copy takes the selection as shown. */
@ExtendWith(ApplicationExtension.class)
class ListsLogsFxTest {
    static final String LONG = ("lists-long " + "word ".repeat(120)).strip();
    static final List<LogLine> LINES = List.of(
            new LogLine(1, LogStream.STDOUT, "2026-12-06T22:00:01.000000001Z", "first line"),
            new LogLine(2, LogStream.STDERR, "2026-12-06T22:00:02.000000002Z", "second line, on stderr"),
            new LogLine(3, LogStream.STDOUT, "2026-12-06T22:00:03.000000003Z", "third line"),
            new LogLine(4, LogStream.STDOUT, "2026-12-06T22:00:04.000000004Z", LONG));
    LogsViewModel vm;
    LogsView view;

    @Start
    void show(Stage stage) {
        Theme.LIGHT.apply();
        vm = new LogsViewModel(1000);
        view = new LogsView(vm);
        LINES.forEach(vm.batcher()::add);
        vm.pulse();
        stage.setScene(new Scene(view, 720, 420));
        stage.show();
    }

    private static void waitFor(String what, Callable<Boolean> c) throws Exception {
        try {
            FxWait.until(10, c);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting for: " + what, e);
        }
    }

    /** The cell showing {@code line}, if it is on screen. */
    @SuppressWarnings("unchecked")
    private ListCell<LogLine> cell(LogLine line) throws Exception {
        return fx(() -> view.list().lookupAll(".list-cell").stream().map(n -> (ListCell<LogLine>) n)
                .filter(c -> c.getItem() == line && c.isVisible()).findFirst().orElse(null));
    }

    private double height(LogLine line) throws Exception {
        return fx(() -> {
            ListCell<LogLine> c = cell(line);
            return c == null ? -1 : c.getHeight();
        });
    }

    private String clipboard() throws Exception {
        return fx(() -> Clipboard.getSystemClipboard().getString());
    }

    @Test
    void wrapMakesALongLineSeveralRowsHighAndUnwrapsAgain(FxRobot robot) throws Exception {
        LogLine longLine = LINES.get(3);
        waitFor("the long line shown", () -> height(longLine) > 0);
        assertEquals(LogsView.ROW_HEIGHT, height(longLine), 0.5, "one fixed-height row while not wrapping");

        robot.clickOn("#logs-wrap");
        waitFor("the long line wrapped over several rows (" + height(longLine) + " px)", () -> height(longLine) > 3 * LogsView.ROW_HEIGHT);
        double listWidth = fx(() -> view.list().getWidth());
        Node flow = fx(() -> cell(longLine).getGraphic());
        assertTrue(flow instanceof TextFlow, "wrapped text flows: " + flow);
        assertTrue(fx(() -> flow.getBoundsInParent().getWidth()) <= listWidth, "no wider than the list");
        assertEquals(LogsView.ROW_HEIGHT, height(LINES.get(0)), 4, "a short line stays one row");

        robot.clickOn("#logs-wrap");
        waitFor("one row again", () -> Math.abs(height(longLine) - LogsView.ROW_HEIGHT) < 0.5);
    }

    @Test
    void copyTakesTheSelectedLinesAsShownOrEveryLineWhenNoneIsSelected(FxRobot robot) throws Exception {
        waitFor("the lines shown", () -> cell(LINES.get(0)) != null && cell(LINES.get(2)) != null);
        robot.clickOn(cell(LINES.get(0)));
        robot.press(KeyCode.SHIFT).clickOn(cell(LINES.get(2))).release(KeyCode.SHIFT);
        waitFor("three selected", () -> fx(() -> view.list().getSelectionModel().getSelectedItems().size() == 3));
        robot.clickOn("#logs-copy");
        assertEquals("first line\nsecond line, on stderr\nthird line", clipboard());

        // timestamps on: copied as shown, with the engine's stamps
        robot.clickOn("#logs-timestamps");
        robot.clickOn("#logs-copy");
        assertEquals("2026-12-06T22:00:01.000000001Z first line\n2026-12-06T22:00:02.000000002Z second line, on stderr\n"
                + "2026-12-06T22:00:03.000000003Z third line", clipboard());

        robot.interact(() -> view.list().getSelectionModel().clearSelection());
        robot.clickOn("#logs-timestamps");
        robot.clickOn("#logs-copy");
        assertEquals("first line\nsecond line, on stderr\nthird line\n" + LONG, clipboard(), "nothing selected: every line");
    }

    @Test
    void clearEmptiesTheViewAndNewLinesStillArrive(FxRobot robot) throws Exception {
        waitFor("the lines shown", () -> cell(LINES.get(0)) != null);
        robot.clickOn("#logs-clear");
        waitFor("the view cleared", () -> fx(() -> view.list().getItems().isEmpty()));
        LogLine next = new LogLine(5, LogStream.STDOUT, null, "after the clear");
        vm.batcher().add(next);
        // the view's own per-frame pump moves it in, as it does for a followed container
        waitFor("the new line shown", () -> fx(() -> view.list().getItems().equals(List.of(next))) && cell(next) != null);
    }
}
