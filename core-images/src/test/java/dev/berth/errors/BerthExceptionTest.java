package dev.berth.errors;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BerthExceptionTest {
    @Test
    void aFullFileSystemAnywhereInTheCausesIsNoSpaceUnlessTheThrowerSaidOtherwise() {
        IOException enospc = new FileSystemException("/data/layers/x", null, "No space left on device");
        assertEquals(ErrorCategory.NO_SPACE, BerthException.categoryOf(enospc));
        assertEquals(ErrorCategory.NO_SPACE, BerthException.categoryOf(new UncheckedIOException(enospc)));
        assertEquals(ErrorCategory.NO_SPACE, BerthException.categoryOf(
                new BerthException(ErrorCategory.SYSTEM, "cannot unpack layer entry \"big\": No space left on device", enospc)));
        assertEquals(ErrorCategory.NO_SPACE, BerthException.categoryOf(new IOException("Disk quota exceeded")));
        assertEquals(ErrorCategory.NO_SPACE, BerthException.categoryOf(new RuntimeException(
                "[SQLITE_FULL] Insertion failed because database is full (database or disk is full)")));
        // A category the thrower chose stays: a hostile archive is the client's fault even if the disk is full too.
        assertEquals(ErrorCategory.INVALID_ARGUMENT, BerthException.categoryOf(
                new BerthException(ErrorCategory.INVALID_ARGUMENT, "bad tar", enospc)));
        assertEquals(ErrorCategory.SYSTEM, BerthException.categoryOf(new IOException("Permission denied")));
        assertEquals(ErrorCategory.SYSTEM, BerthException.categoryOf(new IllegalStateException()));
    }
}
