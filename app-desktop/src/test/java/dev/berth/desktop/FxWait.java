package dev.berth.desktop;

import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The bounded waits the desktop's TestFX tests share: a condition, or a call on the FX thread. */
public final class FxWait {
    private FxWait() {
    }

    /** Waits until {@code c} is true, at most {@code seconds}; the failure names {@code what}. */
    public static void waitFor(String what, int seconds, Callable<Boolean> c) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, c);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting for: " + what, e);
        }
    }

    /** Runs {@code c} on the FX thread and returns its result, waiting at most 10 s. */
    public static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }
}
