package dev.berth.desktop.containers;

import dev.berth.engine.client.ContainerClient;

/** What the toolbar can do to the selected containers. */
public enum ContainerAction {
    START("Start"), STOP("Stop"), RESTART("Restart"), PAUSE("Pause"), UNPAUSE("Resume"), KILL("Kill"), REMOVE("Remove");

    private final String label;

    ContainerAction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    void apply(ContainerClient c, String id) {
        switch (this) {
            case START -> c.start(id);
            case STOP -> c.stop(id, null, null);
            case RESTART -> c.restart(id, null, null);
            case PAUSE -> c.pause(id);
            case UNPAUSE -> c.unpause(id);
            case KILL -> c.kill(id, null);
            case REMOVE -> c.remove(id, true, false, false);
        }
    }
}
