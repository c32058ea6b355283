package dev.berth.desktop;

import dev.berth.desktop.ui.MainWindow;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.TableView;

/**
 * For bench/desktop: prints when the first frame was laid out and when the containers table first
 * showed the engine's containers, both from the launcher's start ({@code berth.desktop.launchMillis}).
 * Also the CPU time used by then, which the machine's load hardly moves.
 * {@code berth.desktop.view} opens a view other than the first, as the bench opens "containers".
 */
final class StartupProbe {
    private StartupProbe() {
    }

    static void install(Scene scene, MainWindow main, long launchedMillis) {
        String view = System.getProperty("berth.desktop.view");
        if (view != null && !view.isBlank()) {
            main.show(view);
        }
        boolean[] framed = new boolean[1];
        Runnable[] self = new Runnable[1];
        self[0] = () -> {
            if (!framed[0]) {
                framed[0] = true;
                System.out.println("berth-desktop: first frame after " + (System.currentTimeMillis() - launchedMillis) + " ms");
            }
            Node n = scene.lookup("#containers-table");
            if (n instanceof TableView<?> t && !t.getItems().isEmpty()) {
                System.out.println("berth-desktop: containers listed after " + (System.currentTimeMillis() - launchedMillis)
                        + " ms (" + t.getItems().size() + " rows, " + cpuMillis() + " ms CPU)");
                scene.removePostLayoutPulseListener(self[0]);
            }
        };
        scene.addPostLayoutPulseListener(self[0]);
    }

    /** CPU time the JVM used so far: unlike wall time, hardly moved by other processes' load. */
    private static long cpuMillis() {
        return java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                .getProcessCpuTime() / 1_000_000;
    }
}
