package dev.berth.engine.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import static dev.berth.engine.logs.ConmonLog.appendLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RotatedLogKeeperTest {
    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("ctr.log");
    }

    /** What conmon's reopen_k8s_file does: a fresh file renamed over the log. */
    private void conmonRotates(int from, int to) throws IOException {
        Path tmp = dir.resolve("ctr.log.tmp");
        appendLines(tmp, from, to);
        Files.move(tmp, log(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private List<String> all() throws IOException {
        List<String> out = new ArrayList<>();
        new K8sLogReader(log(), LogOptions.all(), () -> true).read(l -> out.add(l.text()));
        return out;
    }

    @Test
    void keepsMaxFileMinusOneRotatedFilesNewestAsDotOne() throws IOException {
        RotatedLogKeeper keeper = new RotatedLogKeeper(log(), 3);
        assertFalse(keeper.check());
        appendLines(log(), 1, 2);
        assertFalse(keeper.check());
        assertFalse(keeper.check());
        conmonRotates(3, 4);
        assertTrue(keeper.check());
        assertEquals(List.of("line 1\n", "line 2\n", "line 3\n", "line 4\n"), all());
        conmonRotates(5, 6);
        assertTrue(keeper.check());
        conmonRotates(7, 8);
        assertTrue(keeper.check());
        assertEquals(List.of("line 3\n", "line 4\n", "line 5\n", "line 6\n", "line 7\n", "line 8\n"), all());
        assertTrue(Files.readString(dir.resolve("ctr.log.1")).contains("line 5"));
        assertTrue(Files.readString(dir.resolve("ctr.log.2")).contains("line 3"));
        assertFalse(Files.exists(dir.resolve("ctr.log.3")));
        // A keeper made after a daemon restart picks up from the link on disk.
        conmonRotates(9, 9);
        assertTrue(new RotatedLogKeeper(log(), 3).check());
        assertEquals("line 5\n", all().getFirst());
        keeper.deleteKept();
        assertEquals(List.of("line 9\n"), all());
    }

    @Test
    void maxFileOneKeepsNothing() throws IOException {
        RotatedLogKeeper keeper = new RotatedLogKeeper(log(), 1);
        appendLines(log(), 1, 1);
        keeper.check();
        conmonRotates(2, 2);
        assertFalse(keeper.check());
        assertEquals(List.of("line 2\n"), all());
        assertFalse(Files.exists(dir.resolve("ctr.log.1")));
    }
}
