package dev.berth.desktop.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FxUiExecutorOrderTest {
    /** A data root typed key by key: the catalog must end with the last value, even if an early write is slow. */
    @Test
    void writesLandInTheOrderTheyWereAskedFor() throws Exception {
        List<Integer> landed = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(200);
        try (FxUiExecutor ui = new FxUiExecutor()) {
            for (int i = 0; i < 200; i++) {
                int n = i;
                ui.inOrder(() -> {
                    if (n == 0) {
                        sleep(100); // a slow first write (an fsync) must not be overtaken
                    }
                    landed.add(n);
                    all.countDown();
                });
            }
            assertTrue(all.await(30, TimeUnit.SECONDS), "writes landed: " + landed.size());
        }
        assertEquals(IntStream.range(0, 200).boxed().toList(), landed);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
