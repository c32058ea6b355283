package dev.berth.engine.containers;

import dev.berth.engine.runtime.AttachSocket;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends terminal sizes to a conmon one at a time. conmon 2.1.6 reads its {@code ctl} FIFO, and then its
 * {@code winsz} FIFO, in whole buffers and applies the buffer's first line once per line (ctrl.c hands the
 * buffer's start to every line), so two sizes queued together leave the older one on the terminal: a
 * window dragged to a new size would keep a size from the middle of the drag. A size is therefore
 * written only once both FIFOs are empty, and sizes asked for meanwhile collapse into the newest.
 */
final class TerminalSizeSender {
    private static final Logger LOG = Logger.getLogger(TerminalSizeSender.class.getName());
    /** How long a size waits for conmon to read the one before; after that it goes out anyway. */
    static final Duration DRAIN_WAIT = Duration.ofSeconds(5);

    private record Size(int height, int width) {
    }

    /** Per bundle: the newest size asked for, and whether a sender is busy with this bundle. */
    private static final class Slot {
        Size newest;
        Size sent;
        boolean sending;
    }

    private static final Map<Path, Slot> SLOTS = new HashMap<>();

    private TerminalSizeSender() {
    }

    /**
     * Asks for {@code height x width} on the terminal behind {@code bundle}. When nothing is queued it is
     * written before this returns; otherwise a background thread writes the newest size once conmon has
     * read the one before.
     */
    static void send(Path bundle, int height, int width) throws IOException {
        Slot slot;
        synchronized (SLOTS) {
            slot = SLOTS.computeIfAbsent(bundle, b -> new Slot());
            slot.newest = new Size(height, width);
            if (slot.sending) {
                return; // the busy sender writes it, or a newer one
            }
            slot.sending = true;
        }
        try {
            Size next;
            while ((next = nextOrRelease(bundle, slot)) != null) {
                if (!drained(bundle)) {
                    Thread.ofVirtual().name("berth-resize").start(() -> sendWhenDrained(bundle, slot));
                    return;
                }
                write(bundle, next, slot);
            }
        } catch (IOException | RuntimeException e) {
            release(bundle, slot);
            throw e;
        }
    }

    private static void sendWhenDrained(Path bundle, Slot slot) {
        try {
            while (true) {
                long deadline = System.nanoTime() + DRAIN_WAIT.toNanos();
                while (!drained(bundle) && System.nanoTime() - deadline < 0) {
                    Thread.sleep(5);
                }
                Size next = nextOrRelease(bundle, slot); // the newest, asked for while this waited
                if (next == null) {
                    return;
                }
                write(bundle, next, slot);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "a terminal size for " + bundle + " was not sent", e);
            release(bundle, slot);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(bundle, slot);
        }
    }

    /** The newest size not yet written; null, with the slot released, once there is none. */
    private static Size nextOrRelease(Path bundle, Slot slot) {
        synchronized (SLOTS) {
            if (!slot.newest.equals(slot.sent)) {
                return slot.newest;
            }
            slot.sending = false;
            SLOTS.remove(bundle, slot);
            return null;
        }
    }

    private static void release(Path bundle, Slot slot) {
        synchronized (SLOTS) {
            slot.sending = false;
            SLOTS.remove(bundle, slot);
        }
    }

    /** Nobody reading (conmon gone) counts as sent: there is no terminal left to size. */
    private static void write(Path bundle, Size size, Slot slot) throws IOException {
        AttachSocket.writeControl(bundle.resolve("ctl"), "1 " + size.height() + " " + size.width() + "\n");
        synchronized (SLOTS) {
            slot.sent = size;
        }
    }

    /** Both of conmon's FIFOs empty (or gone): a size written now is read on its own. */
    private static boolean drained(Path bundle) throws IOException {
        return AttachSocket.unread(bundle.resolve("ctl")) <= 0 && AttachSocket.unread(bundle.resolve("winsz")) <= 0;
    }
}
