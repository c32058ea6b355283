package dev.berth.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code berth daemon} through its own entry answers every flag, help and error as through Main. */
class DaemonMainTest {
    private record Out(int status, String out, String err) {
    }

    private static Out run(boolean daemonEntry, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, false, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Io io = new Io(new ByteArrayInputStream(new byte[0]), o, e, o, Map.of(), () -> false, () -> false, () -> 80,
                Clock.systemUTC());
        int status = daemonEntry ? Main.runDaemon(args, io) : Main.run(args, io);
        o.flush();
        return new Out(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sameAnswersAsThroughMain() {
        String[][] lines = {
                {"daemon", "--help"},
                {"daemon", "-h"},
                {"daemon", "--bogus"},
                {"daemon", "-x"},
                {"daemon", "-H"},
                {"daemon", "--data-root"},
                {"daemon", "-H", "tcp://127.0.0.1:2375"},
                {"daemon", "--host=tcp://127.0.0.1:2375", "--insecure-registry", "r:5000", "-D"},
                {"daemon", "extra"},
                {"daemon", "--debug=maybe"},
        };
        for (String[] line : lines) {
            Out viaMain = run(false, line);
            Out viaEntry = run(true, line);
            assertEquals(viaMain, viaEntry, String.join(" ", line));
            assertTrue(viaMain.status() != 0 || viaMain.out().contains("Usage:  berth daemon [OPTIONS]"), viaMain.toString());
        }
    }

    @Test
    void helpListsEveryDaemonFlag() {
        Out help = run(true, "daemon", "--help");
        assertEquals(0, help.status());
        for (String flag : new String[] {"--data-root string", "-D, --debug", "-H, --host string", "--insecure-registry list"}) {
            assertTrue(help.out().contains(flag), help.out());
        }
        assertTrue(run(true, "daemon", "-H", "tcp://127.0.0.1:2375").err().contains("Unix socket only"));
    }
}
