package dev.berth.desktop.engine;

/** What the window and the tray say about the engine. */
public enum EngineStatus {
    STARTING, RUNNING, STOPPED, ERROR;

    public String label() {
        return switch (this) {
            case STARTING -> "starting";
            case RUNNING -> "running";
            case STOPPED -> "stopped";
            case ERROR -> "error";
        };
    }
}
