package dev.berth.desktop.detail;

import dev.berth.desktop.containers.ContainerDetailTab;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.UiExecutor;
import dev.berth.desktop.detail.inspect.InspectView;
import dev.berth.desktop.detail.logs.LogFollower;
import dev.berth.desktop.detail.logs.LogsView;
import dev.berth.desktop.detail.logs.LogsViewModel;
import dev.berth.desktop.detail.processes.ProcessesView;
import dev.berth.desktop.detail.processes.ProcessesViewModel;
import dev.berth.desktop.detail.stats.StatsDownsampler;
import dev.berth.desktop.detail.stats.StatsFollower;
import dev.berth.desktop.detail.stats.StatsSample;
import dev.berth.desktop.detail.stats.StatsView;
import dev.berth.desktop.detail.stats.StatsViewModel;
import dev.berth.desktop.detail.terminal.TerminalScreen;
import dev.berth.desktop.detail.terminal.TerminalSession;
import dev.berth.desktop.detail.terminal.TerminalView;
import dev.berth.desktop.store.StatsHistoryStore;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.util.Duration;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** The container detail's tabs: logs, inspect, stats, processes, terminal (factories for the detail pane). */
public final class DetailTabs {
    /** Lines the log view keeps: enough to scroll back through, small enough to stay some 20 MB. */
    public static final int LOG_LINES = 100_000;
    /** Samples the stats charts plot: ten minutes at one a second. */
    public static final int STATS_WINDOW = 600;

    private DetailTabs() {
    }

    public static List<ContainerDetailTab> all() {
        return List.of(tab("Logs", DetailTabs::logs), tab("Inspect", DetailTabs::inspect), tab("Stats", DetailTabs::stats),
                tab("Processes", DetailTabs::processes), tab("Terminal", DetailTabs::terminal));
    }

    private interface Factory {
        ContainerDetailTab.Content create(String id, AppServices s);
    }

    private static ContainerDetailTab tab(String title, Factory f) {
        return new ContainerDetailTab() {
            @Override
            public String title() {
                return title;
            }

            @Override
            public Content create(String containerId, AppServices services) {
                return f.create(containerId, services);
            }
        };
    }

    static ContainerDetailTab.Content logs(String id, AppServices s) {
        LogsViewModel vm = new LogsViewModel(LOG_LINES);
        LogsView view = new LogsView(vm);
        AtomicReference<LogFollower> follower = new AtomicReference<>();
        s.ui().background(() -> {
            boolean tty = s.engine().client().containers().inspect(id).path("Config").path("Tty").asBoolean(false);
            return LogFollower.start(s.engine().client().containers(), id, tty, true, "1000", vm.batcher(),
                    t -> s.ui().onUi(() -> vm.statusProperty().set(t == null ? "Log stream ended" : "Logs: " + t.getMessage())));
        }, follower::set, t -> vm.statusProperty().set("Logs: " + t.getMessage()));
        return new ContainerDetailTab.Content(view, () -> {
            LogFollower f = follower.get();
            if (f != null) {
                f.close();
            }
        });
    }

    static ContainerDetailTab.Content inspect(String id, AppServices s) {
        InspectView view = new InspectView();
        s.ui().background(() -> s.engine().client().containers().inspect(id), view::show, t -> { });
        return ContainerDetailTab.Content.of(view);
    }

    static ContainerDetailTab.Content stats(String id, AppServices s) {
        StatsHistoryStore store = s.catalog();
        UiExecutor ui = s.ui();
        StatsViewModel vm = new StatsViewModel(STATS_WINDOW, List.of(), x -> {
            if (store != null) {
                ui.background(() -> store.addSample(new StatsHistoryStore.StatsSample(id, x.epochMillis(), x.cpuPercent(),
                        x.memoryUsage(), x.memoryLimit(), x.netRx(), x.netTx(), x.blockRead(), x.blockWrite())));
            }
        });
        StatsView view = new StatsView(vm);
        // The history is read in the background like everything else on the catalog: one connection, and a
        // read can wait seconds behind a writer, which on the UI thread froze the window opening this tab.
        if (store != null) {
            ui.background(() -> history(store, id), vm::addHistory, t -> { });
        }
        AtomicReference<StatsFollower> follower = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        ui.background(() -> StatsFollower.start(s.engine().client().containers(), id, x -> ui.onUi(() -> vm.add(x)),
                t -> { }), f -> {
            follower.set(f);
            if (closed.get()) {
                f.close();
            }
        }, t -> { });
        return new ContainerDetailTab.Content(view, () -> {
            closed.set(true);
            StatsFollower f = follower.get();
            if (f != null) {
                f.close();
            }
        });
    }

    /** The stored samples of the last ten minutes, older ones thinned out (off the UI thread). */
    static List<StatsSample> history(StatsHistoryStore store, String id) {
        return StatsDownsampler.downsample(store.samples(id, STATS_WINDOW * 4).stream()
                .map(h -> new StatsSample(h.timeMillis(), h.cpuPercent(), h.memoryBytes(), h.memoryLimit(), h.netRx(),
                        h.netTx(), h.blockRead(), h.blockWrite())).toList(), System.currentTimeMillis(), 600_000, 10_000);
    }

    static ContainerDetailTab.Content processes(String id, AppServices s) {
        ProcessesViewModel vm = new ProcessesViewModel();
        ProcessesView view = new ProcessesView(vm);
        Runnable refresh = () -> s.ui().background(() -> s.engine().client().containers().top(id, null), vm::update,
                t -> { });
        refresh.run();
        Timeline timer = new Timeline(new KeyFrame(Duration.seconds(2), e -> refresh.run()));
        timer.setCycleCount(Timeline.INDEFINITE);
        timer.play();
        return new ContainerDetailTab.Content(view, timer::stop);
    }

    static ContainerDetailTab.Content terminal(String id, AppServices s) {
        TerminalScreen screen = new TerminalScreen(24, 80, 2000);
        AtomicReference<TerminalSession> session = new AtomicReference<>();
        TerminalView view = new TerminalView(screen, bytes -> {
            TerminalSession t = session.get();
            if (t != null) {
                t.sendLater(bytes, e -> screen.feed("\r\n[input failed: " + e.getMessage() + "]\r\n"));
            }
        }, (rows, cols) -> {
            TerminalSession t = session.get();
            if (t != null) {
                t.requestResize(rows, cols);
                s.ui().background(t::sendSize);
            } else {
                screen.resize(rows, cols);
            }
        });
        s.ui().background(() -> TerminalSession.open(s.engine().client().containers(), id, "sh", screen, () -> { },
                        t -> screen.feed("\r\n[session ended" + (t == null ? "" : ": " + t.getMessage()) + "]\r\n")),
                t -> {
                    session.set(t);
                    // a resize while the exec was being created reached only the screen: tell the process too
                    t.requestResize(screen.rows(), screen.cols());
                    s.ui().background(t::sendSize);
                }, t -> screen.feed("[exec failed: " + t.getMessage() + "]\r\n"));
        return new ContainerDetailTab.Content(view, () -> {
            TerminalSession t = session.get();
            if (t != null) {
                t.close();
            }
        });
    }
}
