package dev.berth.desktop.build;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.UiExecutor;
import dev.berth.desktop.store.BuildRecord;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The build wizard's logic with the synchronous executor, a catalog on disk and an engine that is not there. */
class BuildWizardModelTest {
    static final String MULTI = """
            # a comment
            ARG BASE=busybox
            FROM ${BASE} AS builder
            ARG GREETING="hello"
            RUN echo $GREETING > /msg
            FROM busybox AS final
            COPY --from=builder /msg /msg
            CMD ["cat", "/msg"]
            """;

    @TempDir
    Path dir;
    DesktopCatalog catalog;
    AppServices services;

    @BeforeEach
    void setUp() {
        catalog = DesktopCatalog.open(dir.resolve("d.db"));
        services = new AppServices(UiExecutor.synchronous(), new EngineConnection(
                EngineEndpoint.unix(Path.of("/nonexistent/buildwiz.sock")), UiExecutor.synchronous(), Duration.ofSeconds(1)), catalog);
    }

    @AfterEach
    void tearDown() {
        catalog.close();
    }

    private Path project(String name, String dockerfile) throws Exception {
        Path p = Files.createDirectories(dir.resolve(name));
        Files.writeString(p.resolve("Dockerfile"), dockerfile);
        return p;
    }

    @Test
    void aContextFolderGivesItsDockerfileStagesArgsAndDefaultTags() throws Exception {
        Path p = project("My App", MULTI);
        BuildWizardModel m = new BuildWizardModel(services, () -> Optional.of("Alice"));
        m.chooseContext(p);
        assertEquals(p.resolve("Dockerfile").toString(), m.dockerfileProperty().get());
        assertEquals("", m.parseErrorProperty().get());
        assertEquals(List.of("builder", "final"), m.stages());
        assertEquals(List.of("BASE", "GREETING"), m.args().stream().map(BuildWizardModel.ArgRow::name).toList());
        assertEquals("busybox", m.args().getFirst().valueProperty().get());
        assertEquals("hello", m.args().get(1).valueProperty().get(), "shown as the build sees it");
        assertEquals(List.of("my-app:latest", "docker.io/alice/my-app:latest"), m.tags());
        assertTrue(m.canContinue());
        m.next();
        assertEquals(BuildWizardModel.Page.OPTIONS, m.pageProperty().get());
        m.targetProperty().set("builder");
        m.noCacheProperty().set(true);
        assertEquals(Map.of(), m.request().buildArgs(), "unchanged defaults are not sent: a build arg is literal");
        m.args().get(1).valueProperty().set("hi");
        var req = m.request();
        assertEquals("Dockerfile", req.dockerfile());
        assertEquals("builder", req.target());
        assertTrue(req.noCache());
        assertEquals(Map.of("GREETING", "hi"), req.buildArgs());
    }

    @Test
    void withoutADockerHubLoginOnlyTheLocalTagIsProposed() throws Exception {
        BuildWizardModel m = new BuildWizardModel(services, Optional::empty);
        m.chooseContext(project("web", "FROM busybox\n"));
        assertEquals(List.of("web:latest"), m.tags());
        assertTrue(m.stages().isEmpty());
    }

    @Test
    void aParseErrorIsShownWithItsLineAndBlocksTheNextStep() throws Exception {
        BuildWizardModel m = new BuildWizardModel(services, Optional::empty);
        m.chooseContext(project("broken", "FROM busybox\nRUN true\nFORM busybox\n"));
        assertTrue(m.parseErrorProperty().get().contains("line 3"), m.parseErrorProperty().get());
        assertTrue(m.parseErrorProperty().get().contains("unknown instruction"), m.parseErrorProperty().get());
        assertEquals(3, m.parseErrorLineProperty().get());
        assertFalse(m.canContinue());
        m.next();
        assertEquals(BuildWizardModel.Page.SOURCE, m.pageProperty().get());
    }

    @Test
    void aFolderWithoutADockerfileAsksForOne() throws Exception {
        BuildWizardModel m = new BuildWizardModel(services, Optional::empty);
        m.chooseContext(Files.createDirectories(dir.resolve("empty")));
        assertTrue(m.parseErrorProperty().get().startsWith("No Dockerfile"));
        assertFalse(m.canContinue());
        Path other = Files.writeString(dir.resolve("empty/Build.df"), "FROM busybox\n");
        m.chooseDockerfile(other);
        assertTrue(m.canContinue());
        assertEquals("Build.df", m.request().dockerfile());
    }

    @Test
    void aDockerfileOutsideTheContextIsSentInsideTheTarUnderARandomName() throws Exception {
        Path ctx = project("ctx", "FROM busybox\n");
        Path outside = Files.writeString(dir.resolve("elsewhere.Dockerfile"), "FROM busybox\nCOPY . /x\n");
        BuildWizardModel m = new BuildWizardModel(services, Optional::empty);
        m.chooseContext(ctx);
        assertFalse(m.dockerfileOutsideContext());
        m.chooseDockerfile(outside);
        assertTrue(m.dockerfileOutsideContext());
        assertTrue(m.canContinue());
        assertTrue(m.request().dockerfile().matches("\\.dockerfile\\.[0-9a-f]{20}"), m.request().dockerfile());
    }

    @Test
    void argDefaultsAreUnquotedAsTheBuildReadsThem() {
        assertEquals("hello", BuildWizardModel.unquote("\"hello\""));
        assertEquals("a b", BuildWizardModel.unquote("'a b'"));
        assertEquals("say \"hi\" $X", BuildWizardModel.unquote("\"say \\\"hi\\\" \\$X\""));
        assertEquals("${BASE}", BuildWizardModel.unquote("${BASE}"));
        assertEquals("\"", BuildWizardModel.unquote("\""));
    }

    @Test
    void aBuildThatCannotReachTheEngineFailsAndIsRecordedInTheHistory() throws Exception {
        BuildWizardModel m = new BuildWizardModel(services, Optional::empty);
        m.chooseContext(project("offline", MULTI));
        m.start();
        assertEquals(BuildWizardModel.Result.FAILED, m.resultProperty().get());
        assertEquals(BuildWizardModel.Page.RESULT, m.pageProperty().get());
        assertFalse(m.runningProperty().get());
        assertEquals("Before the first step", m.failedStepProperty().get());
        assertTrue(m.failureTailProperty().get().contains("Cannot connect"), m.failureTailProperty().get());
        List<BuildRecord> history = catalog.builds(10);
        assertEquals(1, history.size());
        BuildRecord b = history.getFirst();
        assertEquals("failed", b.result());
        assertEquals(List.of("offline:latest"), b.tags());
        assertTrue(b.log().contains("Cannot connect"));

        m.backToEdit();
        assertEquals(BuildWizardModel.Page.SOURCE, m.pageProperty().get());

        BuildsViewModel builds = new BuildsViewModel(services, () -> new BuildWizardModel(services, Optional::empty));
        builds.refresh();
        assertEquals(1, builds.builds().size());
        BuildWizardModel again = builds.runAgain(builds.builds().getFirst());
        assertEquals(BuildWizardModel.Result.FAILED, again.resultProperty().get());
        assertEquals(2, catalog.builds(10).size(), "running again records a second build");
    }

    @Test
    void whoeverHearsTheResultFindsTheBuildInTheHistoryAndCanRunItAgain() throws Exception {
        BuildsViewModel builds = new BuildsViewModel(services, () -> new BuildWizardModel(services, Optional::empty));
        BuildWizardModel m = new BuildWizardModel(services, Optional::empty);
        m.chooseContext(project("heard", MULTI));
        m.resultProperty().addListener((o, a, b) -> builds.refresh()); // as the Builds view listens
        m.start();
        assertEquals(1, builds.builds().size(), "the record is written before the result is announced");
        BuildWizardModel again = builds.newWizard();
        again.resultProperty().addListener((o, a, b) -> builds.refresh());
        again.load(builds.builds().getFirst());
        assertEquals(List.of("heard:latest"), again.tags());
        assertEquals(BuildWizardModel.Page.OPTIONS, again.pageProperty().get());
        again.start();
        assertEquals(2, builds.builds().size());
        assertEquals(builds.builds().get(0).context(), builds.builds().get(1).context());
    }

    @Test
    void loadingARecordRestoresItsSettings() throws Exception {
        Path p = project("again", MULTI);
        BuildRecord r = new BuildRecord(0, 1, p.toString(), p.resolve("Dockerfile").toString(), List.of("x/y:1", "x/y:2"),
                Map.of("GREETING", "hi"), "builder", true, true, "succeeded", "sha256:ab", 1200, "log");
        BuildWizardModel m = new BuildWizardModel(services, () -> Optional.of("bob"));
        m.load(r);
        assertEquals(List.of("x/y:1", "x/y:2"), m.tags());
        assertEquals("builder", m.targetProperty().get());
        assertTrue(m.noCacheProperty().get() && m.pullProperty().get());
        assertEquals(Map.of("GREETING", "hi"), m.request().buildArgs());
        assertEquals(BuildWizardModel.Page.OPTIONS, m.pageProperty().get());
    }

    @Test
    void theBuildLogFollowsStepsCacheHitsElapsedTimeAndSplitLines() {
        AtomicLong now = new AtomicLong(1000);
        BuildLog log = new BuildLog(now::get);
        log.accept("Step 1/3 : FROM busybox\n ---> 0123456789ab\n");
        now.addAndGet(100);
        log.accept("Step 2/3 : RUN echo hi\n ---> Running in abcdefabcdef\nh");
        now.addAndGet(400);
        assertEquals(400, log.current().orElseThrow().elapsedMillis(), "the running step's time so far");
        log.accept("i\n ---> Removed intermediate container abcdefabcdef\n ---> 111111111111\n");
        now.addAndGet(500);
        log.accept("Step 3/3 : CMD [\"sh\"]\n ---> Using cache\n ---> 222222222222\n");
        now.addAndGet(20);
        log.accept("Successfully built 222222222222\nSuccessfully tagged x:latest\n");
        List<BuildLog.Step> steps = log.steps();
        assertEquals(3, steps.size());
        assertEquals(List.of("hi"), steps.get(1).output());
        assertEquals(900, steps.get(1).elapsedMillis());
        assertFalse(steps.get(1).cached());
        assertTrue(steps.get(2).cached());
        assertTrue(steps.get(2).done());
        assertEquals(20, steps.get(2).elapsedMillis());
        assertEquals(1, log.cacheHits());
        assertEquals("222222222222", log.builtId());
    }

    @Test
    void theHighlighterMarksInstructionsCommentsStringsAndVariables() {
        var spans = DockerfileHighlighter.highlight("# hi\nFROM ${BASE} AS b\nRUN echo \"x $Y\" $HOME\n");
        assertEquals(new DockerfileHighlighter.Span(DockerfileHighlighter.Kind.COMMENT, "# hi\n"), spans.getFirst());
        assertTrue(spans.contains(new DockerfileHighlighter.Span(DockerfileHighlighter.Kind.INSTRUCTION, "FROM")));
        assertTrue(spans.contains(new DockerfileHighlighter.Span(DockerfileHighlighter.Kind.INSTRUCTION, "AS")));
        assertTrue(spans.contains(new DockerfileHighlighter.Span(DockerfileHighlighter.Kind.INSTRUCTION, "RUN")));
        assertTrue(spans.contains(new DockerfileHighlighter.Span(DockerfileHighlighter.Kind.VARIABLE, "${BASE}")));
        assertTrue(spans.contains(new DockerfileHighlighter.Span(DockerfileHighlighter.Kind.VARIABLE, "$HOME")));
        assertTrue(spans.contains(new DockerfileHighlighter.Span(DockerfileHighlighter.Kind.STRING, "\"x $Y\"")));
        assertFalse(spans.contains(new DockerfileHighlighter.Span(DockerfileHighlighter.Kind.INSTRUCTION, "echo")));
        StringBuilder back = new StringBuilder();
        spans.forEach(s -> back.append(s.text()));
        assertEquals("# hi\nFROM ${BASE} AS b\nRUN echo \"x $Y\" $HOME\n", back.toString(), "no text is lost");
    }

    @Test
    void aLongLogIsKeptToItsTail() {
        String big = "a".repeat(BuildRecord.MAX_LOG_CHARS) + "THE END";
        BuildRecord r = new BuildRecord(0, 1, "/c", "/c/Dockerfile", List.of(), Map.of(), "", false, false, "failed", "", 1, big);
        catalog.addBuild(r);
        String kept = catalog.builds(1).getFirst().log();
        assertTrue(kept.endsWith("THE END"));
        assertTrue(kept.length() < BuildRecord.MAX_LOG_CHARS + 100);
    }

    @Test
    void repositoryNamesFollowDockersRules() {
        assertEquals("my-app", BuildWizardModel.repositoryName("My App"));
        assertEquals("a.b_c", BuildWizardModel.repositoryName("__A.b_c!!"));
        assertEquals("image", BuildWizardModel.repositoryName("!!!"));
    }
}
