package dev.berth.desktop.containers;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.layout.HBox;
import javafx.scene.paint.Color;

import java.util.List;

/** A running container's CPU (blue) and memory (green) of the last minute or so, as two small lines and the newest figures. */
final class SparklineCell extends TableCell<ContainerRow, ContainerRow> {
    private static final double W = 70;
    private static final double H = 18;
    private final Sparklines sparklines;
    private final Canvas canvas = new Canvas(W, H);
    private final Label text = new Label();
    private final HBox box = new HBox(6, canvas, text);

    /**
     * Each cell redraws itself when a sampling round ends. The table used to refresh() instead, which rebuilds
     * every cell of every column each round: a port link under the pointer was replaced between press and
     * release and the click lost. Held here, weakly listened to: a cell the table drops is not kept alive.
     */
    private final javafx.beans.value.ChangeListener<Number> redraw = (o, a, b) -> draw(getItem(), isEmpty());

    SparklineCell(Sparklines sparklines) {
        this.sparklines = sparklines;
        text.getStyleClass().add("text-small");
        getStyleClass().add("berth-sparkline");
        sparklines.versionProperty().addListener(new javafx.beans.value.WeakChangeListener<>(redraw));
    }

    @Override
    protected void updateItem(ContainerRow r, boolean empty) {
        super.updateItem(r, empty);
        draw(r, empty);
    }

    private void draw(ContainerRow r, boolean empty) {
        List<Sparklines.Point> points = empty || r == null || ContainerGroups.isHeader(r) ? List.of() : sparklines.of(r.id());
        if (points.isEmpty()) {
            setGraphic(null);
            setText(null);
            return;
        }
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, W, H);
        double maxCpu = Math.max(1, points.stream().mapToDouble(Sparklines.Point::cpuPercent).max().orElse(1));
        double maxMem = Math.max(1, points.stream().mapToLong(Sparklines.Point::memoryBytes).max().orElse(1));
        line(g, points.stream().mapToDouble(p -> p.cpuPercent() / maxCpu).toArray(), Color.web("#0969da"));
        line(g, points.stream().mapToDouble(p -> p.memoryBytes() / maxMem).toArray(), Color.web("#1a7f37"));
        text.setText(Sparklines.label(points));
        setText(null);
        setGraphic(box);
    }

    private static void line(GraphicsContext g, double[] v, Color c) {
        g.setStroke(c);
        g.setLineWidth(1.2);
        g.beginPath();
        for (int i = 0; i < v.length; i++) {
            double x = v.length == 1 ? W : i * W / (Sparklines.POINTS - 1);
            double y = H - 1 - v[i] * (H - 2);
            if (i == 0) {
                g.moveTo(x, y);
            } else {
                g.lineTo(x, y);
            }
        }
        g.stroke();
    }

    /** The figures shown, for tests. */
    String shown() {
        return getGraphic() == null ? "" : text.getText();
    }
}
