package dev.berth.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/** bin/berth runs the training silently and drops the archive if it fails, so a break would only show as a slow CLI. */
class CdsTrainingTest {
    @Test
    void theTrainingWorkloadRunsToTheEnd() {
        assertDoesNotThrow(() -> CdsTraining.main(new String[0]));
    }
}
