package dev.berth.desktop.engine;

import dev.berth.engine.DaemonOptions;
import dev.berth.images.layer.Posix;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The root check the app makes at start-up reads /proc instead of loading JNA; it must say what geteuid says. */
class DeskRootCheckTest {
    @Test
    void procStatusAgreesWithGeteuid() {
        assertEquals(Posix.isRoot(), DaemonOptions.isRoot());
    }
}
