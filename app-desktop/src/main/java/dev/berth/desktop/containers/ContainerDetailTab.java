package dev.berth.desktop.containers;

import dev.berth.desktop.core.AppServices;
import javafx.scene.Node;

/**
 * One tab of a container's detail pane (logs, inspect, stats, processes, terminal, ...). The pane
 * calls {@link #create} when it opens and {@link Content#close} when it closes, so streams a tab
 * opened end with it.
 */
public interface ContainerDetailTab {
    /** The tab's label. */
    String title();

    /** Builds the tab's content for one container. */
    Content create(String containerId, AppServices services);

    /** A tab's node and what to stop when the pane closes. */
    record Content(Node node, AutoCloseable resources) {
        public static Content of(Node node) {
            return new Content(node, () -> { });
        }

        public void close() {
            try {
                resources.close();
            } catch (Exception ignored) {
                // a tab's stream that fails to close is gone anyway
            }
        }
    }
}
