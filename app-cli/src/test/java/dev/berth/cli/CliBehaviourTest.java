package dev.berth.cli;

import dev.berth.engine.client.FakeEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Usage errors, help, exit statuses and connection failures, worded as docker words them. */
class CliBehaviourTest {
    @TempDir
    Path dir;

    FakeEngine engine;
    CliRun cli;

    @BeforeEach
    void start() throws IOException {
        engine = FakeEngine.unix(dir.resolve("engine.sock"));
        cli = new CliRun(engine, dir);
    }

    @AfterEach
    void stop() throws IOException {
        engine.close();
    }

    @Test
    void unknownCommandIsWordedAsDockerAndExitsOne() {
        CliRun.Result r = cli.run("foo");
        assertEquals(1, r.status());
        assertEquals("berth: unknown command: berth foo\n\nRun 'berth --help' for more information\n", r.err());
        assertEquals("", r.out());
        assertTrue(engine.requests().isEmpty(), "no engine call for a bad command line");
    }

    @Test
    void unknownSubcommandOfAGroup() {
        CliRun.Result r = cli.run("image", "foo");
        assertEquals(1, r.status());
        assertEquals("berth: unknown command: berth image foo\n\nUsage:  berth image\n\nRun 'berth image --help' for more information\n",
                r.err());
    }

    @Test
    void unknownFlagsExit125WithTheCommandsUsage() {
        CliRun.Result r = cli.run("images", "--bogus");
        assertEquals(125, r.status());
        assertEquals("unknown flag: --bogus\n\nUsage:  berth images [OPTIONS] [REPOSITORY[:TAG]]\n\n"
                + "Run 'berth images --help' for more information\n", r.err());

        r = cli.run("image", "ls", "-x");
        assertEquals(125, r.status());
        assertTrue(r.err().startsWith("unknown shorthand flag: 'x' in -x\n\nUsage:  berth image ls [OPTIONS]"), r.err());

        r = cli.run("--bogus", "images");
        assertEquals(125, r.status());
        assertEquals("unknown flag: --bogus\n\nUsage:  berth [OPTIONS] COMMAND [ARG...]\n\nRun 'berth --help' for more information\n",
                r.err());

        r = cli.run("images", "--format");
        assertEquals(125, r.status());
        assertTrue(r.err().startsWith("flag needs an argument: --format\n"), r.err());
    }

    @Test
    void wrongArgumentCountsExitOne() {
        CliRun.Result r = cli.run("pull");
        assertEquals(1, r.status());
        assertEquals("berth: 'berth pull' requires 1 argument\n\nUsage:  berth pull [OPTIONS] NAME[:TAG|@DIGEST]\n\n"
                + "Run 'berth pull --help' for more information\n", r.err());

        r = cli.run("rmi");
        assertEquals("berth: 'berth rmi' requires at least 1 argument\n\nUsage:  berth rmi [OPTIONS] IMAGE [IMAGE...]\n\n"
                + "Run 'berth rmi --help' for more information\n", r.err());

        r = cli.run("image", "prune", "x");
        assertEquals(1, r.status());
        assertEquals("berth: 'berth image prune' accepts no arguments\n\nUsage:  berth image prune [OPTIONS]\n\n"
                + "Run 'berth image prune --help' for more information\n", r.err());
    }

    @Test
    void helpAndVersionFlags() {
        CliRun.Result root = cli.run("--help");
        assertEquals(0, root.status());
        assertTrue(root.out().contains("\nUsage:  berth [OPTIONS] COMMAND\n"), root.out());
        assertTrue(root.out().contains("  images      List images\n"), root.out());
        assertTrue(root.out().contains("  image       Manage images\n"), root.out());
        assertEquals(root.out(), cli.run().out(), "no command prints the same help");

        CliRun.Result images = cli.run("images", "--help");
        assertEquals(0, images.status());
        assertTrue(images.out().startsWith("\nUsage:  berth images [OPTIONS] [REPOSITORY[:TAG]]\n\nList images\n\nAliases:\n"
                + "  berth image ls, berth image list, berth images\n\nOptions:\n  -a, --all "), images.out());
        assertTrue(images.out().contains("\n  -q, --quiet           Only show image IDs\n"), images.out());
        assertEquals(images.out(), cli.run("help", "images").out());
        assertEquals(cli.run("image", "ls", "-h").out(), cli.run("help", "image", "ls").out());

        CliRun.Result group = cli.run("image");
        assertEquals(0, group.status());
        assertEquals("", group.out());
        assertTrue(group.err().contains("Usage:  berth image COMMAND\n\nManage images\n\nCommands:\n  build "), group.err());

        assertEquals("Berth version " + Cli.VERSION + "\n", cli.run("-v").out());
        assertTrue(engine.requests().isEmpty());
    }

    @Test
    void anUnreachableEngineIsNamedAndExitsOne() {
        Path missing = dir.resolve("nobody.sock");
        CliRun down = new CliRun(null, dir).env("DOCKER_HOST", "unix://" + missing);
        CliRun.Result r = down.run("images");
        assertEquals(1, r.status());
        assertEquals("Cannot connect to the Berth engine at unix://" + missing + ". Is the daemon running?\n", r.err());
    }

    @Test
    void hostFlagBeatsBerthHostWhichBeatsDockerHost() {
        engine.json("GET", "/images/json", 200, "[]");
        String missing = "unix://" + dir.resolve("nobody.sock");
        CliRun viaFlag = new CliRun(null, dir).env("BERTH_HOST", missing).env("DOCKER_HOST", missing);
        assertEquals(0, viaFlag.run("-H", engine.endpoint().uri(), "images", "-q").status());
        assertEquals(0, viaFlag.run("--host=" + engine.endpoint().uri(), "images", "-q").status());
        CliRun viaBerthHost = new CliRun(null, dir).env("BERTH_HOST", engine.endpoint().uri()).env("DOCKER_HOST", missing);
        assertEquals(0, viaBerthHost.run("images", "-q").status());
        assertEquals(1, new CliRun(null, dir).env("DOCKER_HOST", missing).run("images").status());
    }

    @Test
    void engineErrorsArePrefixedAndUnexpectedOnesAreNot() {
        engine.json("GET", "/images/json", 500, "{\"message\":\"database is locked\"}");
        CliRun.Result r = cli.run("images");
        assertEquals(1, r.status());
        assertEquals("Error response from daemon: database is locked\n", r.err());
    }

    @Test
    void debugLogsRequestsToStderr() {
        engine.json("GET", "/images/json", 200, "[]");
        CliRun.Result r = cli.run("-D", "images", "-q");
        assertEquals(0, r.status());
        assertTrue(r.err().contains("GET /v1.47/images/json -> 200"), r.err());
        assertFalse(cli.run("images", "-q").err().contains("GET"), "quiet without -D");
    }

    @Test
    void daemonListensOnUnixSocketsOnly() {
        CliRun.Result tcp = cli.run("daemon", "-H", "tcp://127.0.0.1:2375");
        assertEquals(1, tcp.status());
        assertTrue(tcp.err().contains("Unix socket only"), tcp.err());
    }
}
