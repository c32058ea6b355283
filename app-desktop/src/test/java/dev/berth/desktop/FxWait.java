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
            until(seconds, c);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting for: " + what, e);
        }
    }

    /**
     * Waits until {@code c} is true, at most {@code seconds}, then lets the FX event in progress finish. A condition
     * polled from the test thread can see the first of several properties one FX event sets; without the flush the
     * test's next read may find the rest not yet written (a CI failure: the build result was set, the page not yet).
     */
    public static void until(long seconds, Callable<Boolean> c) throws TimeoutException {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, c);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Runs {@code c} on the FX thread and returns its result, waiting at most 10 s. */
    public static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }
}
