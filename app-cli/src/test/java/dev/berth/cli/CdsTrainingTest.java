package dev.berth.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/berth runs the training silently and drops the archive if it fails, so a break would only show as a slow CLI. */
class CdsTrainingTest {
    @TempDir
    Path home;

    @Test
    void theTrainingWorkloadRunsToTheEnd() {
        assertDoesNotThrow(() -> CdsTraining.main(new String[0]));
    }

    /** The training's engine must answer as an engine does, or the training learns only the error path. */
    @Test
    void theTrainingEngineAnswersPsAndImages() throws Exception {
        try (TrainingEngine engine = TrainingEngine.start()) {
            CliRun cli = new CliRun(null, home).env("DOCKER_HOST", engine.host());
            CliRun.Result ps = cli.run("ps", "--format", "{{.Names}} {{.Ports}}");
            assertEquals(0, ps.status(), ps.toString());
            assertEquals("training 0.0.0.0:8080->80/tcp\ndone \n", ps.out());
            CliRun.Result images = cli.run("images", "--format", "{{.Repository}}:{{.Tag}}");
            assertEquals(0, images.status(), images.toString());
            assertEquals("busybox:latest\nbusybox:1\n", images.out());
            CliRun.Result missing = cli.run("inspect", "training");
            assertEquals(1, missing.status());
            assertTrue(missing.err().contains("No such object"), missing.toString());
        }
    }
}
