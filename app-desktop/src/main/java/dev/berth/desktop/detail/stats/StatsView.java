package dev.berth.desktop.detail.stats;

import javafx.collections.ListChangeListener;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;

/** Four small line charts (CPU %, memory MiB, network and block I/O rates in KiB/s) bound to the samples. */
public final class StatsView extends GridPane {
    private final XYChart.Series<Number, Number> cpu = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> mem = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> rx = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> tx = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> rd = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> wr = new XYChart.Series<>();
    private final StatsViewModel vm;

    public StatsView(StatsViewModel vm) {
        this.vm = vm;
        setId("stats");
        cpu.setName("CPU %");
        mem.setName("Memory MiB");
        rx.setName("Net in KiB/s");
        tx.setName("Net out KiB/s");
        rd.setName("Read KiB/s");
        wr.setName("Write KiB/s");
        add(chart("CPU %", cpu), 0, 0);
        add(chart("Memory", mem), 1, 0);
        add(chart("Network I/O", rx, tx), 0, 1);
        add(chart("Block I/O", rd, wr), 1, 1);
        vm.samples().addListener((ListChangeListener<StatsSample>) c -> rebuild());
        rebuild();
    }

    public StatsViewModel viewModel() {
        return vm;
    }

    public int plottedPoints() {
        return cpu.getData().size();
    }

    @SafeVarargs
    private LineChart<Number, Number> chart(String title, XYChart.Series<Number, Number>... series) {
        NumberAxis x = new NumberAxis();
        x.setForceZeroInRange(false);
        x.setTickLabelsVisible(false);
        LineChart<Number, Number> ch = new LineChart<>(x, new NumberAxis());
        ch.setTitle(title);
        ch.setAnimated(false);
        ch.setCreateSymbols(false);
        ch.getData().addAll(series);
        GridPane.setHgrow(ch, Priority.ALWAYS);
        GridPane.setVgrow(ch, Priority.ALWAYS);
        return ch;
    }

    private void rebuild() {
        var s = vm.samples();
        var cpuD = new java.util.ArrayList<XYChart.Data<Number, Number>>();
        var memD = new java.util.ArrayList<XYChart.Data<Number, Number>>();
        var rxD = new java.util.ArrayList<XYChart.Data<Number, Number>>();
        var txD = new java.util.ArrayList<XYChart.Data<Number, Number>>();
        var rdD = new java.util.ArrayList<XYChart.Data<Number, Number>>();
        var wrD = new java.util.ArrayList<XYChart.Data<Number, Number>>();
        for (int i = 0; i < s.size(); i++) {
            StatsSample p = s.get(i);
            double t = p.epochMillis() / 1000.0;
            cpuD.add(new XYChart.Data<>(t, p.cpuPercent()));
            memD.add(new XYChart.Data<>(t, p.memoryUsage() / 1048576.0));
            if (i > 0) {
                StatsSample q = s.get(i - 1);
                long ms = p.epochMillis() - q.epochMillis();
                rxD.add(new XYChart.Data<>(t, StatsViewModel.rate(q.netRx(), p.netRx(), ms) / 1024));
                txD.add(new XYChart.Data<>(t, StatsViewModel.rate(q.netTx(), p.netTx(), ms) / 1024));
                rdD.add(new XYChart.Data<>(t, StatsViewModel.rate(q.blockRead(), p.blockRead(), ms) / 1024));
                wrD.add(new XYChart.Data<>(t, StatsViewModel.rate(q.blockWrite(), p.blockWrite(), ms) / 1024));
            }
        }
        cpu.getData().setAll(cpuD);
        mem.getData().setAll(memD);
        rx.getData().setAll(rxD);
        tx.getData().setAll(txD);
        rd.getData().setAll(rdD);
        wr.getData().setAll(wrD);
    }
}
