package dev.berth.images.dockerfile;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.dockerfile.Instruction.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DockerfileParserTest {
    static Dockerfile corpus(String name) throws IOException {
        try (InputStream in = DockerfileParserTest.class.getResourceAsStream("/dockerfiles/" + name)) {
            assertNotNull(in, name);
            return DockerfileParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static String parseError(String text) {
        BerthException e = assertThrows(BerthException.class, () -> DockerfileParser.parse(text));
        assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
        return e.getMessage();
    }

    @Test
    void multiStage() throws IOException {
        Dockerfile df = corpus("multistage.Dockerfile");
        assertEquals('\\', df.escape());
        assertEquals(2, df.globalArgs().size());
        assertEquals(new ArgDef("BASE", "busybox"), df.globalArgs().get(0).args().getFirst());
        assertEquals(new ArgDef("VERSION", null), df.globalArgs().get(1).args().getFirst());
        assertEquals(java.util.Arrays.asList("build", "other", null), df.stageNames());

        Stage build = df.stages().get(0);
        assertEquals("${BASE}:latest", build.from().image());
        assertEquals("build", build.name(), "stage names are lower-cased");
        assertEquals(6, build.from().line());
        Run run = (Run) build.body().get(0);
        assertEquals(List.of("echo build > /out"), run.args());
        assertTrue(run.shellForm());
        assertEquals("none", run.network());
        assertEquals("cache", run.mounts().getFirst().type());
        assertEquals("/cache", run.mounts().getFirst().options().get("target"));
        assertEquals("RUN --mount=type=cache,target=/cache --network=none echo build > /out", run.original());
        Copy copy = (Copy) build.body().get(1);
        assertEquals(List.of("a.txt", "b.txt"), copy.sources());
        assertEquals("/dst/", copy.dest());
        assertEquals("1000:1000", copy.chown());
        assertEquals("0755", copy.chmod());
        assertTrue(copy.link());
        assertNull(copy.from());

        Run mountRun = (Run) df.stages().get(1).body().getFirst();
        assertEquals("build", mountRun.mounts().getFirst().from());

        Stage last = df.stages().get(2);
        assertEquals("linux/amd64", last.from().platform());
        assertEquals("0", ((Copy) last.body().get(0)).from());
        Cmd cmd = (Cmd) last.body().get(2);
        assertEquals(List.of("sh", "-c", "echo hi"), cmd.args());
        assertFalse(cmd.shellForm());

        assertSame(build, df.stage("BUILD"));
        assertSame(build, df.stage("0"));
        assertSame(last, df.target(null));
        assertEquals(List.of(build, df.stages().get(1), last), df.stagesNeededFor(null));
        assertEquals(List.of(build), df.stagesNeededFor("build"));
        assertEquals(List.of(build, df.stages().get(1)), df.stagesNeededFor("other"));
        BerthException e = assertThrows(BerthException.class, () -> df.target("nope"));
        assertEquals("failed to reach build target nope in Dockerfile", e.getMessage());
    }

    @Test
    void unusedStagesAreNotNeeded() {
        Dockerfile df = DockerfileParser.parse("""
                FROM busybox AS a
                FROM busybox AS b
                FROM busybox AS c
                COPY --from=a /x /x
                FROM c AS d
                RUN true
                """);
        assertEquals(List.of("a", "c", "d"), df.stagesNeededFor("d").stream().map(Stage::name).toList());
        assertEquals(List.of("b"), df.stagesNeededFor("b").stream().map(Stage::name).toList());
    }

    @Test
    void everyInstruction() throws IOException {
        Dockerfile df = corpus("instructions.Dockerfile");
        List<Instruction> body = df.stages().getFirst().body();
        int i = 0;
        assertEquals("Jane Doe <jane@example.com>", ((Maintainer) body.get(i++)).maintainer());
        assertEquals(List.of(new KeyValue("a", "1"), new KeyValue("\"b c\"", "\"d e\""), new KeyValue("f", "'g h'")),
                ((Label) body.get(i++)).labels());
        assertEquals(List.of(new KeyValue("legacy", "value with spaces")), ((Label) body.get(i++)).labels());
        assertEquals(List.of("443", "80/udp", "8080/tcp"), ((Expose) body.get(i++)).ports());
        Env env = (Env) body.get(i++);
        assertEquals(List.of(new KeyValue("A", "1"), new KeyValue("B", "\"two words\""), new KeyValue("C", "three\\ words")),
                env.vars());
        assertEquals("two words", VariableExpander.expand(env.vars().get(1).value(), Map.of()));
        assertEquals("three words", VariableExpander.expand(env.vars().get(2).value(), Map.of()));
        assertEquals(List.of(new KeyValue("LEGACY", "some value")), ((Env) body.get(i++)).vars());
        Add add = (Add) body.get(i++);
        assertEquals(List.of("https://example.com/x.tgz"), add.sources());
        assertEquals("/opt/", add.dest());
        assertEquals("app", add.chown());
        assertEquals("sha256:abc", add.checksum());
        Add addJson = (Add) body.get(i++);
        assertEquals(List.of("src dir"), addJson.sources());
        assertEquals("/dst dir/", addJson.dest());
        assertEquals(List.of("a", "b"), ((Copy) body.get(i++)).sources());
        Entrypoint ep = (Entrypoint) body.get(i++);
        assertEquals(List.of("/bin/sh", "-c"), ep.args());
        assertFalse(ep.shellForm());
        Entrypoint eps = (Entrypoint) body.get(i++);
        assertEquals(List.of("exec top -b"), eps.args());
        assertTrue(eps.shellForm());
        assertEquals(List.of("/data", "/logs"), ((Volume) body.get(i++)).paths());
        assertEquals(List.of("/v1", "/v2"), ((Volume) body.get(i++)).paths());
        assertEquals("app:app", ((User) body.get(i++)).user());
        assertEquals("/work/$A", ((Workdir) body.get(i++)).path());
        assertEquals(List.of(new ArgDef("X", null), new ArgDef("Y", "2"), new ArgDef("Z", "\"q r\"")),
                ((Arg) body.get(i++)).args());
        Onbuild ob = (Onbuild) body.get(i++);
        assertEquals("RUN echo triggered", ob.expression());
        assertEquals(List.of("echo triggered"), ((Run) ob.trigger()).args());
        assertEquals("SIGTERM", ((Stopsignal) body.get(i++)).signal());
        Healthcheck hc = (Healthcheck) body.get(i++);
        assertEquals(List.of("CMD-SHELL", "curl -f http://localhost/ || exit 1"), hc.test());
        assertEquals(Duration.ofSeconds(30), hc.interval());
        assertEquals(Duration.ofSeconds(90), hc.timeout());
        assertEquals(Duration.ofMillis(500), hc.startPeriod());
        assertEquals(Duration.ofSeconds(2), hc.startInterval());
        assertEquals(3, hc.retries());
        Healthcheck hcJson = (Healthcheck) body.get(i++);
        assertEquals(List.of("CMD", "/bin/check", "--fast"), hcJson.test());
        assertNull(hcJson.interval());
        assertNull(hcJson.retries());
        assertEquals(List.of("NONE"), ((Healthcheck) body.get(i++)).test());
        assertEquals(List.of("/bin/bash", "-o", "pipefail", "-c"), ((Shell) body.get(i++)).shell());
        Run run = (Run) body.get(i++);
        assertEquals(List.of("echo a     && echo b     && echo c"), run.args());
        assertEquals(24, run.line());
        assertEquals(List.of("echo done"), ((Cmd) body.get(i++)).args());
        Cmd malformed = (Cmd) body.get(i++);
        assertTrue(malformed.shellForm(), "a malformed JSON array falls back to shell form");
        assertEquals(List.of("[\"not\", json"), malformed.args());
        assertEquals(body.size(), i);
    }

    @Test
    void heredocs() throws IOException {
        List<Instruction> body = corpus("heredocs.Dockerfile").stages().getFirst().body();
        Run first = (Run) body.get(0);
        assertEquals(List.of(new Heredoc("EOF", "echo one\necho $HOME\n", true, false)), first.heredocs());
        assertEquals(List.of("<<EOF"), first.args());
        Run chomped = (Run) body.get(1);
        assertEquals(List.of(new Heredoc("END", "echo tabbed\n", false, true)), chomped.heredocs());
        Run two = (Run) body.get(2);
        assertEquals(List.of(new Heredoc("A", "alpha\n", true, false), new Heredoc("B", "beta $X\n", false, false)),
                two.heredocs());
        Copy copy = (Copy) body.get(3);
        assertEquals(List.of(), copy.sources());
        assertEquals("/etc/greeting", copy.dest());
        assertEquals(List.of(new Heredoc("EOF", "hello\n", true, false)), copy.heredocs());
        Run quoted = (Run) body.get(4);
        assertEquals(List.of(), quoted.heredocs());
        assertEquals(17, quoted.line());
        assertEquals(5, body.size());
    }

    @Test
    void escapeDirectiveAndCrlf() throws IOException {
        Dockerfile df = corpus("escape.Dockerfile");
        assertEquals('`', df.escape());
        List<Instruction> body = df.stages().getFirst().body();
        assertEquals("c:\\", ((Copy) body.get(0)).dest());
        assertEquals(List.of("dir c:\\     more"), ((Run) body.get(1)).args());
        Run crlf = (Run) corpus("crlf.Dockerfile").stages().getFirst().body().getFirst();
        assertEquals(List.of("echo crlf   done"), crlf.args());
    }

    @Test
    void directivesOnlyAtTheTop() {
        Dockerfile df = DockerfileParser.parse("FROM busybox\n# escape=`\nRUN echo a \\\n b\n");
        assertEquals('\\', df.escape());
        assertEquals(List.of("echo a  b"), ((Run) df.stages().getFirst().body().getFirst()).args());
        assertEquals('\\', DockerfileParser.parse("\n# escape=`\nFROM busybox\n").escape(),
                "an empty line ends the directives");
    }

    @Test
    void lowerCaseInstructionsAndEmptyContinuationLines() {
        Dockerfile df = DockerfileParser.parse("from busybox\nrun echo a \\\n\n  b\n");
        assertEquals(List.of("echo a   b"), ((Run) df.stages().getFirst().body().getFirst()).args());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "FROM busybox\\nFORM x|dockerfile parse error on line 2: unknown instruction: FORM (did you mean FROM?)",
            "FROM busybox\\nfrobnicate x|dockerfile parse error on line 2: unknown instruction: frobnicate",
            "FROM busybox\\nCOPY --chmown=1 x y|dockerfile parse error on line 2: unknown flag: --chmown (did you mean chown?)",
            "RUN true|dockerfile parse error on line 1: no build stage in current context",
            "ARG A\\nENV B=1\\nFROM x|dockerfile parse error on line 2: no build stage in current context",
            "FROM busybox\\nRUN --foo=bar true|dockerfile parse error on line 2: unknown flag: --foo",
            "FROM busybox\\nCOPY --from=a --from=b x y|dockerfile parse error on line 2: duplicate flag specified: --from",
            "FROM busybox\\nCOPY --chown x y|dockerfile parse error on line 2: missing a value on flag: --chown",
            "FROM busybox\\nCOPY --link=maybe x y|dockerfile parse error on line 2: expecting boolean value for flag --link, not: maybe",
            "FROM busybox\\nRUN <<EOF\\necho|dockerfile parse error on line 2: unterminated heredoc",
            "FROM busybox\\nSHELL /bin/sh -c|dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form",
            "FROM busybox\\nSHELL|dockerfile parse error on line 2: SHELL requires at least one argument",
            "FROM busybox\\nONBUILD ONBUILD RUN x|dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
            "FROM busybox\\nONBUILD FROM x|dockerfile parse error on line 2: FROM isn't allowed as an ONBUILD trigger",
            "FROM busybox\\nONBUILD maintainer x|dockerfile parse error on line 2: MAINTAINER isn't allowed as an ONBUILD trigger",
            "FROM a b|dockerfile parse error on line 1: FROM requires either one or three arguments",
            "FROM a AS 1x|dockerfile parse error on line 1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols",
            "FROM busybox\\nCOPY x|dockerfile parse error on line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined.",
            "FROM busybox\\nENV|dockerfile parse error on line 2: ENV requires at least one argument",
            "FROM busybox\\nENV A|dockerfile parse error on line 2: ENV must have two arguments",
            "FROM busybox\\nENV A=1 B|dockerfile parse error on line 2: Syntax error - can't find = in \"B\". Must be of the form: name=value",
            "FROM busybox\\nARG =x|dockerfile parse error on line 2: ARG names can not be blank",
            "FROM busybox\\nUSER|dockerfile parse error on line 2: USER requires exactly one argument",
            "FROM busybox\\nWORKDIR|dockerfile parse error on line 2: WORKDIR requires exactly one argument",
            "FROM busybox\\nEXPOSE|dockerfile parse error on line 2: EXPOSE requires at least one argument",
            "FROM busybox\\nVOLUME|dockerfile parse error on line 2: VOLUME requires at least one argument",
            "FROM busybox\\nCMD [\"a\", 1]|dockerfile parse error on line 2: when using JSON array syntax, arrays must be comprised of strings only",
            "FROM busybox\\nHEALTHCHECK NONE x|dockerfile parse error on line 2: HEALTHCHECK NONE takes no arguments",
            "FROM busybox\\nHEALTHCHECK CMD|dockerfile parse error on line 2: Missing command after HEALTHCHECK CMD",
            "FROM busybox\\nHEALTHCHECK FOO x|dockerfile parse error on line 2: Unknown type \"FOO\" in HEALTHCHECK (try CMD)",
            "FROM busybox\\nHEALTHCHECK --retries=0 CMD x|dockerfile parse error on line 2: --retries must be at least 1 (not 0)",
            "FROM busybox\\nHEALTHCHECK --interval=1ns CMD x|dockerfile parse error on line 2: Interval \"interval\" cannot be less than 1ms",
            "FROM busybox\\nHEALTHCHECK --timeout=10 CMD x|dockerfile parse error on line 2: time: missing unit in duration \"10\"",
            "FROM busybox\\nHEALTHCHECK --foo=1 CMD x|dockerfile parse error on line 2: unknown flag: --foo",
            "FROM busybox\\nUSER --x=1 app|dockerfile parse error on line 2: unknown flag: --x",
            "# escape=x\\nFROM busybox|dockerfile parse error on line 1: invalid ESCAPE 'x'. Must be ` or \\",
            "# escape=`\\n# escape=\\\\\\nFROM x|dockerfile parse error on line 2: only one escape parser directive can be used",
            "FROM busybox\\nRUN --network=bogus true|dockerfile parse error on line 2: unsupported network mode \"bogus\"",
            "FROM busybox\\nCOPY a <<EOF\\nx\\nEOF|dockerfile parse error on line 2: COPY cannot accept a heredoc as a destination",
            "# just a comment\\n\\n|file with no instructions",
            "ARG A|no build stage in current context",
    })
    void errors(String text, String message) {
        assertEquals(message, parseError(text.replace("\\n", "\n")));
    }

    @Test
    void emptyFile() {
        assertEquals("the Dockerfile cannot be empty", parseError(""));
    }

    @Test
    void flagsEndAtDoubleDashAndQuotes() {
        Dockerfile df = DockerfileParser.parse("FROM busybox\nCOPY --chown=\"a b\" -- --weird /d\n");
        Copy c = (Copy) df.stages().getFirst().body().getFirst();
        assertEquals("a b", c.chown());
        assertEquals(List.of("--weird"), c.sources());
    }

    @Test
    void healthcheckDurations() {
        assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s"));
        assertEquals(Duration.ofMinutes(165), GoDuration.parse("2h45m"));
        assertEquals(Duration.ofNanos(10_000), GoDuration.parse("10us"));
        assertEquals(Duration.ZERO, GoDuration.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("5x"));
    }

    @Test
    void onbuildKeepsTriggerText() {
        Dockerfile df = DockerfileParser.parse("FROM busybox\nonbuild  COPY --chown=1 a /b\n");
        Onbuild ob = (Onbuild) df.stages().getFirst().body().getFirst();
        assertEquals("COPY --chown=1 a /b", ob.expression());
        assertEquals("1", ((Copy) ob.trigger()).chown());
    }

    @Test
    void onbuildTriggersFromAnImage() {
        List<Instruction> triggers = DockerfileParser.parseTriggers(List.of("RUN echo triggered", "COPY . /app"));
        assertEquals(List.of("echo triggered"), ((Run) triggers.get(0)).args());
        assertEquals(List.of("."), ((Copy) triggers.get(1)).sources());
        BerthException e = assertThrows(BerthException.class, () -> DockerfileParser.parseTriggers(List.of("FROM x")));
        assertEquals("dockerfile parse error on line 1: FROM isn't allowed as an ONBUILD trigger", e.getMessage());
        assertEquals(List.of(), DockerfileParser.parseTriggers(List.of()));
    }

    @Test
    void oddButValidLines() {
        Dockerfile df = DockerfileParser.parse("""
                FROM scratch
                LABEL "com.example.vendor"="ACME Inc" \\
                      version=1.0
                RUN echo <<"EOF
                COPY --from=BUILD a b
                """);
        List<Instruction> body = df.stages().getFirst().body();
        Label label = (Label) body.get(0);
        assertEquals(2, label.labels().size());
        assertEquals("com.example.vendor", VariableExpander.expand(label.labels().get(0).key(), Map.of()));
        assertEquals("ACME Inc", VariableExpander.expand(label.labels().get(0).value(), Map.of()));
        assertEquals(List.of(), ((Run) body.get(1)).heredocs());
        assertEquals("BUILD", ((Copy) body.get(2)).from());
        assertEquals(List.of(df.stages().getFirst()), df.stagesNeededFor(null));
    }
}
