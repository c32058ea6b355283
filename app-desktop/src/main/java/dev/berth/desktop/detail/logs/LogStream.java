package dev.berth.desktop.detail.logs;

/** Which of the container's streams a log line came from; the view colours stderr differently. */
public enum LogStream {
    STDOUT, STDERR
}
