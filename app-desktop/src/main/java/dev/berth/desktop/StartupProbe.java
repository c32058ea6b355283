package dev.berth.desktop;

import dev.berth.desktop.containers.ContainersView;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.TableView;

/**
 * For bench/desktop: prints when the first frame was laid out and when the containers table first
 * showed the engine's containers, both from the launcher's start ({@code berth.desktop.launchMillis}).
 * Also the CPU time used by then, which the machine's load hardly moves.
 * ({@code berth.desktop.view}, read by {@link BerthApp}, opens a view other than the last one, as the
 * bench opens "containers".)
 */
final class StartupProbe {
    static final boolean ON = Boolean.getBoolean("berth.desktop.reportStartup");
    private static final long LAUNCHED = Long.getLong("berth.desktop.launchMillis", System.currentTimeMillis());

    private StartupProbe() {
    }

    /** With the probe on, one line per start-up phase: wall ms since the launch and the JVM's CPU ms by then. */
    static void mark(String phase) {
        if (ON) {
            System.out.println("berth-desktop: phase " + phase + " at " + (System.currentTimeMillis() - LAUNCHED) + " ms, "
                    + cpuMillis() + " ms CPU");
        }
    }

    /**
     * "containers listed": the table first has rows, the last known list (from the catalog) or the
     * engine's; "containers live": the engine's own list is in (the same moment when nothing was known).
     */
    static void install(Scene scene, long launchedMillis) {
        boolean[] seen = new boolean[2]; // first frame, listed
        Runnable[] self = new Runnable[1];
        self[0] = () -> {
            if (!seen[0]) {
                seen[0] = true;
                System.out.println("berth-desktop: first frame after " + (System.currentTimeMillis() - launchedMillis) + " ms");
            }
            Node n = scene.lookup("#containers-table");
            if (!(n instanceof TableView<?> t) || t.getItems().isEmpty()) {
                return;
            }
            boolean live = !(scene.lookup("#view-containers") instanceof ContainersView v) || v.viewModel().liveProperty().get();
            String how = " ms (" + t.getItems().size() + " rows, " + cpuMillis() + " ms CPU)";
            long at = System.currentTimeMillis() - launchedMillis;
            if (!seen[1]) {
                seen[1] = true;
                System.out.println("berth-desktop: containers listed after " + at + how + (live ? "" : " from the last known list"));
            }
            if (live) {
                System.out.println("berth-desktop: containers live after " + at + how);
                System.out.println("berth-desktop: CPU by thread " + cpuByThread());
                scene.removePostLayoutPulseListener(self[0]);
            }
        };
        scene.addPostLayoutPulseListener(self[0]);
    }

    /**
     * The JVM's threads' CPU ms so far (from /proc, so the JIT compilers and GC are included), the
     * busiest first, threads with the same name pattern summed ("C2 CompilerThread0" and "1" as one).
     */
    static String cpuByThread() {
        java.util.Map<String, Long> byName = new java.util.TreeMap<>();
        long tick = 10; // USER_HZ is 100 on Linux
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path t : tasks.toList()) {
                try {
                    String stat = java.nio.file.Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byName.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick, Long::sum);
                } catch (java.io.IOException | RuntimeException gone) {
                    // a thread that ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return "(no /proc)";
        }
        return byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
    }

    /** CPU time the JVM used so far: unlike wall time, hardly moved by other processes' load. */
    private static long cpuMillis() {
        return java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                .getProcessCpuTime() / 1_000_000;
    }
}
