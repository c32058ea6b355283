package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.client.FakeEngine;
import dev.berth.images.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** images, inspect, history, tag, rmi, prune: output and exit statuses against a scripted engine. */
class ImageCommandsTest {
    static final String ID_A = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final String ID_B = "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    static final String DIGEST = "sha256:" + "d".repeat(64);
    static final long TWO_DAYS_AGO = CliRun.NOW.getEpochSecond() - 2 * 86400;
    static final long THREE_MONTHS_AGO = CliRun.NOW.getEpochSecond() - 95 * 86400;

    static final String IMAGES = """
            [{"Id":"%s","ParentId":"","RepoTags":["busybox:latest","localhost:5000/busybox:1.36"],
              "RepoDigests":["busybox@%s"],"Created":%d,"Size":4261234,"SharedSize":-1,"Labels":{},"Containers":-1},
             {"Id":"%s","ParentId":"","RepoTags":[],"RepoDigests":[],"Created":%d,"Size":77863124,"SharedSize":-1,
              "Labels":null,"Containers":-1}]""".formatted(ID_A, DIGEST, TWO_DAYS_AGO, ID_B, THREE_MONTHS_AGO);

    @TempDir
    Path dir;

    FakeEngine engine;
    CliRun cli;

    @BeforeEach
    void start() throws IOException {
        engine = FakeEngine.unix(dir.resolve("engine.sock"));
        cli = new CliRun(engine, dir);
        engine.json("GET", "/images/json", 200, IMAGES);
    }

    @AfterEach
    void stop() throws IOException {
        engine.close();
    }

    static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    // ------------------------------------------------------------ images

    @Test
    void imagesPrintsDockersTable() {
        CliRun.Result r = cli.run("images");
        assertEquals(0, r.status(), r.toString());
        // Each column is its widest cell plus three spaces, at least ten; SIZE, the last, is not padded.
        String expected = pad("REPOSITORY", 25) + pad("TAG", 10) + pad("IMAGE ID", 15) + pad("CREATED", 15) + "SIZE\n"
                + pad("busybox", 25) + pad("latest", 10) + pad("0123456789ab", 15) + pad("2 days ago", 15) + "4.26MB\n"
                + pad("localhost:5000/busybox", 25) + pad("1.36", 10) + pad("0123456789ab", 15) + pad("2 days ago", 15) + "4.26MB\n"
                + pad("<none>", 25) + pad("<none>", 10) + pad("fedcba987654", 15) + pad("3 months ago", 15) + "77.9MB\n";
        assertEquals(expected, r.out());
        assertEquals("", r.err());
    }

    @Test
    void imageLsIsTheSameCommand() {
        assertEquals(cli.run("images").out(), cli.run("image", "ls").out());
        assertEquals(cli.run("images").out(), cli.run("image", "list").out());
    }

    @Test
    void quietPrintsOneIdPerRow() {
        assertEquals("0123456789ab\n0123456789ab\nfedcba987654\n", cli.run("images", "-q").out());
        assertEquals(ID_A + "\n" + ID_A + "\n" + ID_B + "\n", cli.run("images", "-q", "--no-trunc").out());
    }

    @Test
    void digestsAddAColumnAndAskTheEngineForThem() {
        CliRun.Result r = cli.run("images", "--digests");
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith(pad("REPOSITORY", 25) + pad("TAG", 10) + "DIGEST"), lines[0]);
        assertTrue(lines[1].contains(DIGEST), lines[1]);
        assertTrue(lines[2].contains("<none>"), "the other repository has no digest: " + lines[2]);
        assertEquals("1", engine.last("GET", "/images/json").query("digests"));
    }

    @Test
    void formatTemplatesAndJson() throws IOException {
        assertEquals("busybox:latest\nlocalhost:5000/busybox:1.36\n<none>:<none>\n",
                cli.run("images", "--format", "{{.Repository}}:{{.Tag}}").out());

        // A table format typed in a shell keeps \t literal; docker turns it into a tab.
        assertEquals(pad("IMAGE ID", 15) + "SIZE\n" + pad("0123456789ab", 15) + "4.26MB\n" + pad("0123456789ab", 15) + "4.26MB\n"
                + pad("fedcba987654", 15) + "77.9MB\n", cli.run("images", "--format", "table {{.ID}}\\t{{.Size}}").out());

        String[] json = cli.run("images", "--format", "json").out().split("\n");
        assertEquals(3, json.length);
        JsonNode first = Json.MAPPER.readTree(json[0]);
        assertEquals("busybox", first.get("Repository").asText());
        assertEquals("2 days ago", first.get("CreatedSince").asText());
        assertEquals("N/A", first.get("Containers").asText());
        assertEquals("4.261MB", first.get("VirtualSize").asText());
        List<String> keys = new java.util.ArrayList<>();
        first.fieldNames().forEachRemaining(keys::add);
        assertEquals(keys.stream().sorted().toList(), keys, "keys sorted as Go sorts map keys");
        // --format json escapes HTML as encoding/json does; the {{json}} function does not (docker's SetEscapeHTML(false))
        assertEquals(json[0], cli.run("images", "--format", "{{json .}}").out().split("\n")[0]
                .replace("<", "\\u003c").replace(">", "\\u003e"));
    }

    @Test
    void aBadTemplateIsReportedAsDockerDoes() {
        CliRun.Result r = cli.run("images", "--format", "{{.Nope}}");
        assertEquals(1, r.status());
        assertEquals("template parsing error: template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type "
                + "*formatter.imageContext\n", r.err());
    }

    @Test
    void filtersAndTheReferenceArgumentGoToTheEngine() throws IOException {
        cli.run("images", "-a", "--filter", "dangling=false", "busybox");
        FakeEngine.Recorded req = engine.last("GET", "/images/json");
        assertEquals("1", req.query("all"));
        JsonNode filters = Json.MAPPER.readTree(req.query("filters"));
        assertTrue(filters.get("dangling").get("false").asBoolean());
        assertTrue(filters.get("reference").get("busybox").asBoolean());

        CliRun.Result bad = cli.run("images", "--filter", "dangling");
        assertEquals(1, bad.status());
        assertEquals("bad format of filter (expected name=value)\n", bad.err());
    }

    @Test
    void emptyListStillPrintsTheHeader() {
        engine.json("GET", "/images/json", 200, "[]");
        assertEquals(pad("REPOSITORY", 13) + pad("TAG", 10) + pad("IMAGE ID", 11) + pad("CREATED", 10) + "SIZE\n",
                cli.run("images").out());
        assertEquals("", cli.run("images", "-q").out());
    }

    @Test
    void tooManyArgumentsIsAUsageError() {
        CliRun.Result r = cli.run("images", "a", "b");
        assertEquals(1, r.status());
        assertEquals("berth: 'berth images' requires at most 1 argument\n\nUsage:  berth images [OPTIONS] [REPOSITORY[:TAG]]\n\n"
                + "Run 'berth images --help' for more information\n", r.err());
    }

    // ------------------------------------------------------------ inspect

    static final String INSPECT = "{\"Id\":\"" + ID_A + "\",\"RepoTags\":[\"busybox:latest\"],\"RepoDigests\":[],"
            + "\"Config\":{\"Cmd\":[\"sh\"],\"Labels\":{}},\"Size\":4261234,\"Os\":\"linux\"}";

    void inspectRoutes() {
        engine.on("GET", "/images/(.+)/json", x -> {
            if (x.group(1).equals("busybox")) {
                x.json(200, INSPECT);
            } else {
                x.json(404, "{\"message\":\"No such image: " + x.group(1) + ":latest\"}");
            }
        });
    }

    @Test
    void inspectPrintsAnIndentedArrayOfTheEnginesJson() {
        inspectRoutes();
        CliRun.Result r = cli.run("image", "inspect", "busybox");
        assertEquals(0, r.status(), r.toString());
        assertEquals("""
                [
                    {
                        "Id": "%s",
                        "RepoTags": [
                            "busybox:latest"
                        ],
                        "RepoDigests": [],
                        "Config": {
                            "Cmd": [
                                "sh"
                            ],
                            "Labels": {}
                        },
                        "Size": 4261234,
                        "Os": "linux"
                    }
                ]
                """.formatted(ID_A), r.out());
    }

    @Test
    void inspectReportsMissingImagesAfterTheOutput() {
        inspectRoutes();
        CliRun.Result r = cli.run("image", "inspect", "busybox", "nope");
        assertEquals(1, r.status());
        assertTrue(r.out().startsWith("[\n    {\n        \"Id\""), r.out());
        assertEquals("Error response from daemon: No such image: nope:latest\n", r.err());

        r = cli.run("image", "inspect", "nope");
        assertEquals("[]\n", r.out());
        assertEquals(1, r.status());

        r = cli.run("inspect", "nope");
        assertEquals("[]\n", r.out());
        assertEquals("Error: No such object: nope\n", r.err());
    }

    @Test
    void inspectFormats() {
        inspectRoutes();
        assertEquals(ID_A + " busybox:latest\n", cli.run("image", "inspect", "-f", "{{.Id}} {{join .RepoTags \",\"}}", "busybox").out());
        assertEquals("{\"Cmd\":[\"sh\"],\"Labels\":{}}\n", cli.run("inspect", "--format", "{{json .Config}}", "busybox").out());
        assertEquals("[" + INSPECT + "]\n", cli.run("image", "inspect", "--format", "json", "busybox").out());

        CliRun.Result missing = cli.run("image", "inspect", "-f", "{{.Nope}}", "busybox");
        assertEquals(1, missing.status());
        assertEquals("\n", missing.out());
        assertEquals("template parsing error: template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"\n",
                missing.err());

        CliRun.Result unparsable = cli.run("image", "inspect", "-f", "{{.Id", "busybox");
        assertEquals(64, unparsable.status());
        assertEquals("template parsing error: template: :1: unclosed action\n", unparsable.err());
    }

    // ------------------------------------------------------------ history

    @Test
    void historyTable() {
        engine.json("GET", "/images/(.+)/history", 200, """
                [{"Id":"%s","Created":%d,"CreatedBy":"/bin/sh -c #(nop)  CMD [\\"sh\\"]","Tags":["busybox:latest"],"Size":0,"Comment":""},
                 {"Id":"<missing>","Created":%d,"CreatedBy":"/bin/sh -c #(nop) ADD file:6d8cbbd1e2ae0e5e0cc3a9e8d9d53f4d2d2f1b1a7e4c3b2a1 in / ","Tags":null,"Size":4261234,"Comment":"base"}]
                """.formatted(ID_A, TWO_DAYS_AGO, THREE_MONTHS_AGO));
        CliRun.Result r = cli.run("history", "busybox");
        assertEquals(0, r.status(), r.toString());
        // Cut to 45 columns, the last one an ellipsis.
        String createdBy2 = "/bin/sh -c #(nop) ADD file:6d8cbbd1e2ae0e5e0" + "…";
        String expected = pad("IMAGE", 15) + pad("CREATED", 15) + pad("CREATED BY", 48) + pad("SIZE", 10) + "COMMENT\n"
                + pad("0123456789ab", 15) + pad("2 days ago", 15) + pad("/bin/sh -c #(nop)  CMD [\"sh\"]", 48) + pad("0B", 10) + "\n"
                + pad("<missing>", 15) + pad("3 months ago", 15) + pad(createdBy2, 48) + pad("4.26MB", 10) + "base\n";
        assertEquals(expected, r.out());
        assertEquals("0\n4261234\n", cli.run("image", "history", "--human=false", "--format", "{{.Size}}", "busybox").out());
        assertEquals("0123456789ab\n<missing>\n", cli.run("history", "-q", "busybox").out());
    }

    // ------------------------------------------------------------ tag, rmi, prune

    @Test
    void tagSendsTheNormalisedTarget() {
        engine.on("POST", "/images/(.+)/tag", x -> x.respond(201, null, new byte[0]));
        CliRun.Result r = cli.run("tag", "busybox", "localhost:5000/me/app:v2");
        assertEquals(0, r.status(), r.toString());
        assertEquals("", r.out());
        FakeEngine.Recorded req = engine.last("POST", "/images/(.+)/tag");
        assertEquals("/images/busybox/tag", req.path());
        assertEquals("localhost:5000/me/app", req.query("repo"));
        assertEquals("v2", req.query("tag"));

        CliRun.Result usage = cli.run("tag", "busybox");
        assertEquals(1, usage.status());
        assertEquals("berth: 'berth tag' requires 2 arguments\n\nUsage:  berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\n"
                + "Run 'berth tag --help' for more information\n", usage.err());
    }

    void rmiRoutes() {
        engine.on("DELETE", "/images/(.+)", x -> {
            switch (x.group(1)) {
                case "busybox" -> x.json(200, "[{\"Untagged\":\"busybox:latest\"},{\"Deleted\":\"" + ID_A + "\"}]");
                case "inuse" -> x.json(409, "{\"message\":\"conflict: unable to remove repository reference \\\"inuse\\\" "
                        + "(must force) - container 1234 is using its referenced image 5678\"}");
                default -> x.json(404, "{\"message\":\"No such image: " + x.group(1) + ":latest\"}");
            }
        });
    }

    @Test
    void rmiPrintsWhatWasUntaggedAndDeleted() {
        rmiRoutes();
        CliRun.Result r = cli.run("rmi", "busybox");
        assertEquals(0, r.status(), r.toString());
        assertEquals("Untagged: busybox:latest\nDeleted: " + ID_A + "\n", r.out());
        assertNull(engine.last("DELETE", "/images/(.+)").query("force"));
        assertEquals(r.out(), cli.run("image", "rm", "busybox").out());
    }

    @Test
    void rmiFailuresAndForce() {
        rmiRoutes();
        CliRun.Result missing = cli.run("rmi", "nope");
        assertEquals(1, missing.status());
        assertEquals("Error response from daemon: No such image: nope:latest\n", missing.err());

        // -f turns "no such image" into a warning, as docker does...
        CliRun.Result forced = cli.run("rmi", "-f", "nope", "busybox");
        assertEquals(0, forced.status(), forced.toString());
        assertEquals("Error response from daemon: No such image: nope:latest\n", forced.err());
        assertEquals("1", engine.last("DELETE", "/images/(.+)").query("force"));

        // ...but not a conflict.
        CliRun.Result conflict = cli.run("rmi", "-f", "inuse", "nope");
        assertEquals(1, conflict.status());
        assertTrue(conflict.err().startsWith("Error response from daemon: conflict: unable to remove repository reference"), conflict.err());
        assertTrue(conflict.err().endsWith("Error response from daemon: No such image: nope:latest\n"), conflict.err());
    }

    @Test
    void pruneWithForceReportsAndSendsDangling() throws IOException {
        engine.json("POST", "/images/prune", 200, "{\"ImagesDeleted\":[{\"Untagged\":\"x:1\"},{\"Deleted\":\"" + ID_B
                + "\"}],\"SpaceReclaimed\":12345}");
        CliRun.Result r = cli.run("image", "prune", "-f");
        assertEquals(0, r.status(), r.toString());
        assertEquals("Deleted Images:\nuntagged: x:1\ndeleted: " + ID_B + "\n\nTotal reclaimed space: 12.35kB\n", r.out());
        JsonNode filters = Json.MAPPER.readTree(engine.last("POST", "/images/prune").query("filters"));
        assertTrue(filters.get("dangling").has("true"));

        cli.run("image", "prune", "-a", "-f");
        filters = Json.MAPPER.readTree(engine.last("POST", "/images/prune").query("filters"));
        assertTrue(filters.get("dangling").has("false"), "-a prunes every unused image");
    }

    @Test
    void pruneAsksFirstAndANoCancelsQuietly() {
        engine.json("POST", "/images/prune", 200, "{\"ImagesDeleted\":null,\"SpaceReclaimed\":0}");
        CliRun.Result no = cli.stdin("n\n").run("image", "prune");
        assertEquals(0, no.status());
        assertEquals("WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] ", no.out());
        assertNull(engine.last("POST", "/images/prune"), "nothing was pruned");

        CliRun.Result yes = cli.stdin("y\n").run("image", "prune");
        assertTrue(yes.out().endsWith("[y/N] Total reclaimed space: 0B\n"), yes.out());
    }

    @Test
    void saveWritesTheTarToAFileOrToAPipe() throws IOException {
        byte[] tar = new byte[300_000];
        new java.util.Random(1).nextBytes(tar);
        engine.on("GET", "/images/get", x -> {
            OutputStream out = x.stream(200, "application/x-tar");
            out.write(tar);
        });
        Path file = dir.resolve("out.tar");
        CliRun.Result r = cli.run("save", "-o", file.toString(), "busybox");
        assertEquals(0, r.status(), r.toString());
        assertEquals(java.util.Arrays.hashCode(tar), java.util.Arrays.hashCode(java.nio.file.Files.readAllBytes(file)));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(file)));

        CliRun.Result piped = cli.run("image", "save", "busybox", "alpine");
        assertEquals(java.util.Arrays.hashCode(tar), java.util.Arrays.hashCode(piped.outBytes()));
        assertEquals(List.of("busybox", "alpine"), engine.last("GET", "/images/get").query().get("names"));

        CliRun.Result tty = cli.terminal(false, true, 80).run("save", "busybox");
        assertEquals(1, tty.status());
        assertEquals("cowardly refusing to save to a terminal. Use the -o flag or redirect\n", tty.err());
    }

    @Test
    void loadSendsTheFileAndPrintsWhatWasLoaded() throws IOException {
        byte[] tar = "not really a tar, the fake does not care".getBytes();
        Path file = dir.resolve("in.tar");
        java.nio.file.Files.write(file, tar);
        engine.on("POST", "/images/load", x -> {
            byte[] got = x.body();
            OutputStream out = x.stream(200, "application/json");
            x.line(out, "{\"stream\":\"Loaded image: busybox:latest\\n\"}");
            x.line(out, "{\"stream\":\"got " + got.length + "\\n\"}");
        });
        CliRun.Result r = cli.run("load", "-i", file.toString());
        assertEquals(0, r.status(), r.toString());
        assertEquals("Loaded image: busybox:latest\ngot " + tar.length + "\n", r.out());
        assertEquals("1", engine.last("POST", "/images/load").query("quiet"), "quiet when stdout is not a terminal");

        CliRun.Result stdin = cli.stdin(tar).run("image", "load");
        assertEquals(r.out(), stdin.out());

        CliRun.Result tty = cli.terminal(true, true, 80).run("load");
        assertEquals(1, tty.status());
        assertEquals("requested load from stdin, but stdin is empty\n", tty.err());
    }
}
