package dev.berth.images.layer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TarReaderTest {
    /** Two 47-byte files; the full archive has each padded to 512 and two zero blocks at the end. */
    static byte[] tar() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(b)) {
            for (String name : new String[]{"a", "b"}) {
                byte[] data = "x".repeat(47).getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(name);
                e.setSize(data.length);
                t.putArchiveEntry(e);
                t.write(data);
                t.closeArchiveEntry();
            }
        }
        return b.toByteArray();
    }

    static int entries(byte[] tar) throws IOException {
        TarReader r = new TarReader(new ByteArrayInputStream(tar), 4096);
        int n = 0;
        while (r.next() != null) {
            n++;
        }
        return n;
    }

    /** The docker CLI's context with -f outside it ends right after the last entry's content (Go's reader accepts it). */
    @Test
    void anEndOfInputInsideTheLastPaddingEndsTheArchive() throws IOException {
        byte[] full = tar();
        assertEquals(2, entries(full));
        assertEquals(2, entries(Arrays.copyOf(full, 512 * 3 + 47)), "no padding, no end blocks");
        assertEquals(2, entries(Arrays.copyOf(full, 512 * 3 + 100)), "part of the padding");
    }

    @Test
    void anEndOfInputInsideContentIsStillAnError() throws IOException {
        byte[] cut = Arrays.copyOf(tar(), 512 * 3 + 20);
        TarReader r = new TarReader(new ByteArrayInputStream(cut), 4096);
        r.next();
        r.next();
        assertThrows(dev.berth.errors.BerthException.class, r::next);
    }
}
