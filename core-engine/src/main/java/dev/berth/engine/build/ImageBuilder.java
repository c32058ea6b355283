package dev.berth.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.images.ImagePuller;
import dev.berth.engine.images.ImageRecord;
import dev.berth.engine.images.ImageService;
import dev.berth.engine.logs.LogOptions;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.Json;
import dev.berth.images.dockerfile.DockerIgnore;
import dev.berth.images.dockerfile.Dockerfile;
import dev.berth.images.dockerfile.DockerfileParser;
import dev.berth.images.dockerfile.Instruction;
import dev.berth.images.dockerfile.Stage;
import dev.berth.images.dockerfile.VariableExpander;
import dev.berth.images.manifest.Platform;
import dev.berth.registry.Credential;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The classic builder (moby builder/dockerfile): each instruction of the stages the target needs is
 * one step, its result an untagged image; metadata-only steps give empty-layer history entries, RUN
 * runs in a real container whose upper dir becomes the layer, COPY/ADD stage their files in a
 * directory whose tree becomes the layer. Steps whose key is in the {@link BuildCache} are reused.
 */
public final class ImageBuilder {
    /** Build args Docker accepts without declaring them (builder/dockerfile/buildargs.go). */
    static final Set<String> PREDEFINED_ARGS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");
    static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    private final ImageService images;
    private final ContainerService containers;
    private final ImagePuller puller;
    private final BuildCache cache;
    private final StepImages steps;
    private final BuildTemp temp;

    public ImageBuilder(ImageService images, ContainerService containers, ImagePuller puller, BuildCache cache, BuildTemp temp) {
        this.images = images;
        this.containers = containers;
        this.puller = puller;
        this.cache = cache;
        this.steps = new StepImages(images);
        this.temp = temp;
    }

    public BuildCache cache() {
        return cache;
    }

    /** One stage being built. */
    private static final class State {
        Digest image;
        ObjectNode cfg;
        /** moby's cmdSet: a CMD of this stage survives a later ENTRYPOINT. */
        boolean cmdSet;
        final Map<String, String> args = new LinkedHashMap<>();

        ObjectNode config() {
            return cfg.path("config").isObject() ? (ObjectNode) cfg.get("config") : cfg.putObject("config");
        }

        Map<String, String> env() {
            Map<String, String> m = new LinkedHashMap<>();
            for (JsonNode e : config().path("Env")) {
                String s = e.asText();
                int eq = s.indexOf('=');
                m.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
            return m;
        }

        /** ARGs under ENV: an ENV of the same name wins, as in Docker. */
        Map<String, String> scope() {
            Map<String, String> m = new HashMap<>(args);
            m.putAll(env());
            return m;
        }

        List<String> shell() {
            JsonNode s = config().path("Shell");
            if (s.isArray() && !s.isEmpty()) {
                List<String> l = new ArrayList<>();
                s.forEach(x -> l.add(x.asText()));
                return l;
            }
            return DEFAULT_SHELL;
        }
    }

    private final class Run {
        final BuildContext ctx;
        final BuildOptions opts;
        final java.util.function.Function<String, Credential> credentials;
        final BuildOutput out;
        final Dockerfile df;
        final Map<String, String> globalArgs = new LinkedHashMap<>();
        final Set<String> consumed = new LinkedHashSet<>();
        final Map<Integer, Digest> stageImages = new HashMap<>();
        final int total;
        int step;

        Run(BuildContext ctx, BuildOptions opts, java.util.function.Function<String, Credential> credentials, BuildOutput out,
            Dockerfile df, List<Stage> needed) {
            this.ctx = ctx;
            this.opts = opts;
            this.credentials = credentials;
            this.out = out;
            this.df = df;
            int n = df.globalArgs().size();
            for (Stage s : needed) {
                n += 1 + s.body().size();
            }
            this.total = n;
        }

        void say(String s) {
            if (!opts.quiet()) {
                out.stream(s);
            }
        }

        void stepHeader(Instruction i) {
            step++;
            say("Step " + step + "/" + total + " : " + i.original() + "\n");
        }
    }

    /** @return the built image's ID */
    public Digest build(BuildContext ctx, BuildOptions opts, Credential credential, BuildOutput out) throws IOException {
        return build(ctx, opts, registry -> credential, out);
    }

    /** @param credentials the credential for each registry a base image is pulled from (X-Registry-Config) */
    public Digest build(BuildContext ctx, BuildOptions opts, java.util.function.Function<String, Credential> credentials,
                        BuildOutput out) throws IOException {
        String text = ctx.dockerfile(opts.dockerfile());
        Dockerfile df = DockerfileParser.parse(text);
        String ignore = ctx.dockerignore();
        if (ignore != null) {
            applyIgnore(ctx, DockerIgnore.parse(ignore));
        }
        Map<String, String> global = new LinkedHashMap<>();
        for (Instruction.Arg a : df.globalArgs()) {
            for (Instruction.ArgDef d : a.args()) {
                String v = opts.buildArgs().containsKey(d.name()) ? opts.buildArgs().get(d.name())
                        : d.defaultValue() == null ? null : VariableExpander.expand(d.defaultValue(), nonNull(global));
                global.put(d.name(), v);
            }
        }
        List<Stage> needed = df.stagesNeededFor(opts.target(), s -> VariableExpander.expand(s, nonNull(global)));
        Run run = new Run(ctx, opts, credentials, out, df, needed);
        run.globalArgs.putAll(global);
        for (Instruction.Arg a : df.globalArgs()) {
            run.stepHeader(a);
            a.args().forEach(d -> run.consumed.add(d.name()));
        }
        Digest last = null;
        for (Stage s : needed) {
            last = buildStage(run, s);
            run.stageImages.put(s.index(), last);
        }
        List<String> unused = new ArrayList<>();
        for (String k : new TreeMap<>(opts.buildArgs()).keySet()) {
            if (!run.consumed.contains(k) && !PREDEFINED_ARGS.contains(k)) {
                unused.add(k);
            }
        }
        if (!unused.isEmpty()) {
            run.say("[Warning] One or more build-args " + unused + " were not consumed\n");
        }
        if (!opts.labels().isEmpty()) {
            ObjectNode cfg = steps.config(last);
            ObjectNode c = cfg.path("config").isObject() ? (ObjectNode) cfg.get("config") : cfg.putObject("config");
            ObjectNode labels = c.path("Labels").isObject() ? (ObjectNode) c.get("Labels") : c.putObject("Labels");
            opts.labels().forEach(labels::put);
            // moby's buildLabelOptions commits the labels as one last metadata step.
            StringBuilder sb = new StringBuilder("LABEL");
            new TreeMap<>(opts.labels()).forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            last = steps.commit(last, cfg, null, nop(DEFAULT_SHELL, sb.toString()));
        }
        out.aux(Map.of("ID", last.toString()));
        if (!opts.quiet()) {
            out.stream("Successfully built " + last.hex().substring(0, 12) + "\n");
        } else {
            // moby's postBuild: with -q the only output is the image ID
            out.stream(last + "\n");
        }
        for (String t : opts.tags()) {
            ImageReference ref = ImageReference.parseNormalizedNamed(t);
            ref = ref.tag().isPresent() ? ref : ref.withTag(ImageReference.DEFAULT_TAG);
            images.tag(last.toString(), ref.repositoryOnly().toString(), ref.tag().orElseThrow());
            if (!opts.quiet()) {
                out.stream("Successfully tagged " + ref.familiarString() + "\n");
            }
        }
        return last;
    }

    private static Map<String, String> nonNull(Map<String, String> m) {
        Map<String, String> r = new HashMap<>();
        m.forEach((k, v) -> {
            if (v != null) {
                r.put(k, v);
            }
        });
        return r;
    }

    private static void applyIgnore(BuildContext ctx, DockerIgnore ignore) throws IOException {
        Path root = ctx.dir();
        List<Path> all;
        try (var s = Files.walk(root)) {
            all = s.filter(p -> !p.equals(root)).toList();
        }
        for (Path p : all.reversed()) {
            String rel = root.relativize(p).toString();
            // .dockerignore goes too when it excludes itself (moby's removeDockerfile), after being read
            if (!ignore.excluded(rel)) {
                continue;
            }
            if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (var s = Files.list(p)) {
                    if (s.findAny().isPresent()) {
                        continue; // an exception kept something inside
                    }
                }
            }
            Files.deleteIfExists(p);
        }
    }

    private Digest buildStage(Run run, Stage stage) throws IOException {
        State st = new State();
        Instruction.From from = stage.from();
        run.stepHeader(from);
        String image = VariableExpander.expand(from.image(), nonNull(run.globalArgs));
        Stage ref = run.df.stage(image);
        if (ref != null && ref.index() < stage.index() && run.stageImages.containsKey(ref.index())) {
            st.image = run.stageImages.get(ref.index());
            st.cfg = steps.config(st.image);
        } else if (image.equalsIgnoreCase("scratch")) {
            st.cfg = StepImages.scratch();
        } else {
            st.image = baseImage(run, image, from.platform());
            st.cfg = steps.config(st.image);
        }
        if (st.image != null) {
            run.say(" ---> " + st.image.hex().substring(0, 12) + "\n");
        }
        JsonNode onbuild = st.config().path("OnBuild");
        if (onbuild.isArray() && !onbuild.isEmpty()) {
            List<String> triggers = new ArrayList<>();
            onbuild.forEach(t -> triggers.add(t.asText()));
            st.config().remove("OnBuild");
            run.say("# Executing " + triggers.size() + " build trigger" + (triggers.size() == 1 ? "" : "s") + "\n");
            for (String t : triggers) {
                Dockerfile tdf = DockerfileParser.parse("FROM scratch\n" + t + "\n");
                for (Instruction i : tdf.stages().getFirst().body()) {
                    dispatch(run, st, i);
                }
            }
        }
        for (Instruction i : stage.body()) {
            run.stepHeader(i);
            dispatch(run, st, i);
        }
        if (st.image == null) {
            // FROM scratch with nothing after it: moby refuses to produce an image without layers.
            throw BerthException.invalid("No image was generated. Is your Dockerfile empty?");
        }
        return st.image;
    }

    private Digest baseImage(Run run, String name, String platform) throws IOException {
        ImageReference ref = ImageReference.parseNormalizedNamed(name);
        if (!ref.tag().isPresent() && ref.digest().isEmpty()) {
            ref = ref.withTag(ImageReference.DEFAULT_TAG);
        }
        var local = images.find(ref.toString());
        if (local.isEmpty()) {
            local = images.find(name);
        }
        if (local.isPresent() && !run.opts.pull()) {
            return local.get().id();
        }
        Platform p = platform != null && !platform.isEmpty() ? Platform.parse(platform)
                : run.opts.platform() != null ? Platform.parse(run.opts.platform()) : Platform.host();
        ImageReference pullRef = ref;
        ImageRecord r = puller.pull(pullRef, p, run.credentials.apply(pullRef.registry()), m -> {
            Object status = m.get("status");
            if (status != null && !run.opts.quiet() && m.get("progressDetail") == null) {
                run.out.stream((m.get("id") != null ? m.get("id") + ": " : "") + status + "\n");
            }
        });
        return r.id();
    }

    // ---- dispatch ----

    private void dispatch(Run run, State st, Instruction i) throws IOException {
        Map<String, String> scope = st.scope();
        // the Dockerfile's escape directive holds for the words too: with `, a backslash is a letter
        VariableExpander vx = new VariableExpander(run.df.escape());
        switch (i) {
            case Instruction.Run r -> run(run, st, r);
            case Instruction.Copy c -> new CopyStep(images, containers, run.ctx, temp).escape(run.df.escape()).copy(this, run.out, run.opts.quiet(),
                    st.image, st.cfg, c.sources(), c.dest(), c.from(), c.chown(), c.chmod(), c.heredocs(), false,
                    c.original(), scope, run.opts.noCache(), stageLookup(run), st2 -> apply(st, st2));
            case Instruction.Add a -> new CopyStep(images, containers, run.ctx, temp).escape(run.df.escape()).copy(this, run.out, run.opts.quiet(),
                    st.image, st.cfg, a.sources(), a.dest(), null, a.chown(), a.chmod(), a.heredocs(), true,
                    a.original(), scope, run.opts.noCache(), stageLookup(run), st2 -> apply(st, st2));
            case Instruction.Arg a -> {
                StringBuilder sb = new StringBuilder("ARG");
                for (Instruction.ArgDef d : a.args()) {
                    run.consumed.add(d.name());
                    String v;
                    if (run.opts.buildArgs().containsKey(d.name())) {
                        v = run.opts.buildArgs().get(d.name());
                    } else if (d.defaultValue() != null) {
                        v = vx.processWord(d.defaultValue(), scope);
                    } else {
                        v = run.globalArgs.get(d.name());
                    }
                    st.args.put(d.name(), v);
                    sb.append(' ').append(d.name());
                    if (d.defaultValue() != null) {
                        sb.append('=').append(vx.processWord(d.defaultValue(), scope));
                    }
                }
                metadata(run, st, sb.toString(), nonNull(st.args).toString());
            }
            case Instruction.Env e -> {
                StringBuilder sb = new StringBuilder("ENV");
                // moby expands the whole instruction against the env before it: ENV A=1 B=$A leaves B empty
                Map<String, String> before = new java.util.HashMap<>(scope);
                for (Instruction.KeyValue kv : e.vars()) {
                    String v = vx.processWord(kv.value(), before);
                    setEnv(st.config(), kv.key(), v);
                    scope.put(kv.key(), v);
                    sb.append(' ').append(kv.key()).append('=').append(v);
                }
                metadata(run, st, sb.toString(), "");
            }
            case Instruction.Label l -> {
                StringBuilder sb = new StringBuilder("LABEL");
                ObjectNode labels = obj(st.config(), "Labels");
                for (Instruction.KeyValue kv : l.labels()) {
                    String k = vx.processWord(kv.key(), scope);
                    String v = vx.processWord(kv.value(), scope);
                    labels.put(k, v);
                    sb.append(' ').append(k).append('=').append(v);
                }
                metadata(run, st, sb.toString(), "");
            }
            case Instruction.Cmd c -> {
                List<String> cmd = c.shellForm() ? withShell(st.shell(), c.args()) : c.args();
                st.config().set("Cmd", array(cmd));
                st.cmdSet |= !c.args().isEmpty(); // moby: CMD [] does not count
                metadata(run, st, "CMD " + goQuote(cmd), "");
            }
            case Instruction.Entrypoint e -> {
                List<String> ep = e.shellForm() ? withShell(st.shell(), e.args()) : e.args();
                st.config().set("Entrypoint", array(ep));
                // moby: an ENTRYPOINT resets a CMD inherited from the base image, not one this stage set
                if (!st.cmdSet) {
                    st.config().putNull("Cmd");
                }
                metadata(run, st, "ENTRYPOINT " + goQuote(ep), "");
            }
            case Instruction.Expose e -> {
                ObjectNode ports = obj(st.config(), "ExposedPorts");
                List<String> list = new ArrayList<>();
                for (String p : e.ports()) {
                    for (String w : vx.processWords(p, scope)) {
                        // moby's nat.ParsePortSpecs: a range exposes each port; history keeps the words, sorted
                        ExposedPorts.expand(w).forEach(ports::putObject);
                        list.add(w);
                    }
                }
                metadata(run, st, "EXPOSE " + String.join(" ", list.stream().sorted().toList()), "");
            }
            case Instruction.Volume v -> {
                ObjectNode vols = obj(st.config(), "Volumes");
                List<String> list = new ArrayList<>();
                for (String p : v.paths()) {
                    String x = vx.processWord(p, scope);
                    if (x.isEmpty()) {
                        throw BerthException.invalid("VOLUME specified can not be an empty string");
                    }
                    vols.putObject(x);
                    list.add(x);
                }
                metadata(run, st, "VOLUME [" + String.join(" ", list) + "]", "");
            }
            case Instruction.User u -> {
                String user = vx.processWord(u.user(), scope);
                st.config().put("User", user);
                metadata(run, st, "USER " + user, "");
            }
            case Instruction.Workdir w -> {
                String dir = vx.processWord(w.path(), scope);
                String abs = Workdirs.normalize(st.config().path("WorkingDir").asText(""), dir);
                st.config().put("WorkingDir", abs);
                new CopyStep(images, containers, run.ctx, temp).escape(run.df.escape()).workdir(this, run.out, run.opts.quiet(), st.image, st.cfg,
                        Path.of(abs).normalize().toString(), "WORKDIR " + abs, run.opts.noCache(), st2 -> apply(st, st2));
            }
            case Instruction.Stopsignal s -> {
                String sig = vx.processWord(s.signal(), scope);
                st.config().put("StopSignal", sig);
                metadata(run, st, "STOPSIGNAL " + sig, "");
            }
            case Instruction.Shell s -> {
                st.config().set("Shell", array(s.shell()));
                metadata(run, st, "SHELL [" + String.join(" ", s.shell()) + "]", "");
            }
            case Instruction.Maintainer m -> {
                st.cfg.put("author", m.maintainer());
                metadata(run, st, "MAINTAINER " + m.maintainer(), "");
            }
            case Instruction.Onbuild o -> {
                ArrayNode ob = st.config().path("OnBuild").isArray() ? (ArrayNode) st.config().get("OnBuild")
                        : st.config().putArray("OnBuild");
                ob.add(o.expression());
                metadata(run, st, "ONBUILD " + o.expression(), "");
            }
            case Instruction.Healthcheck h -> {
                ObjectNode hc = st.config().putObject("Healthcheck");
                hc.set("Test", array(h.test()));
                if (h.interval() != null) {
                    hc.put("Interval", h.interval().toNanos());
                }
                if (h.timeout() != null) {
                    hc.put("Timeout", h.timeout().toNanos());
                }
                if (h.startPeriod() != null) {
                    hc.put("StartPeriod", h.startPeriod().toNanos());
                }
                if (h.startInterval() != null) {
                    hc.put("StartInterval", h.startInterval().toNanos());
                }
                if (h.retries() != null) {
                    hc.put("Retries", h.retries());
                }
                metadata(run, st, "HEALTHCHECK " + HistoryText.healthcheck(h.test(), h.interval(), h.timeout(),
                        h.startPeriod(), h.startInterval(), h.retries()), "");
            }
            case Instruction.From f -> throw BerthException.invalid("unexpected FROM inside a stage");
        }
    }

    private Function<String, Digest> stageLookup(Run run) {
        return name -> {
            Stage s = run.df.stage(name);
            if (s != null && run.stageImages.containsKey(s.index())) {
                return run.stageImages.get(s.index());
            }
            if (s != null) {
                throw BerthException.invalid("invalid from flag value " + name + ": stage not built before it is used");
            }
            try {
                return baseImage(run, name, null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    /** The step produced {@code image}; the stage continues from it. */
    private void apply(State st, Digest image) throws IOException {
        st.image = image;
        Map<String, String> args = new LinkedHashMap<>(st.args);
        st.cfg = steps.config(image);
        st.args.clear();
        st.args.putAll(args);
    }

    static String nop(List<String> shell, String comment) {
        return String.join(" ", shell) + " #(nop)  " + comment;
    }

    /** moby's withCmdCommentString, for WORKDIR, COPY and ADD: one space after {@code #(nop)}, not two. */
    static String nop1(List<String> shell, String comment) {
        return String.join(" ", shell) + " #(nop) " + comment;
    }

    private void metadata(Run run, State st, String comment, String extraKey) throws IOException {
        String createdBy = nop(st.shell(), comment);
        String key = BuildCache.key(st.image, createdBy, configKey(st.cfg), extraKey);
        Digest hit = run.opts.noCache() ? null : cached(key);
        if (hit != null) {
            run.say(" ---> Using cache\n");
            apply(st, hit);
        } else {
            Digest id = steps.commit(st.image, st.cfg, null, createdBy);
            cache.put(key, id);
            apply(st, id);
        }
        run.say(" ---> " + st.image.hex().substring(0, 12) + "\n");
    }

    /** The config a step produces is part of its identity (ENV, LABEL … values). */
    static String configKey(ObjectNode cfg) {
        return cfg.path("config").toString() + "|" + cfg.path("author").asText("");
    }

    Digest cached(String key) {
        return cache.get(key).filter(id -> images.find(id.toString()).isPresent()).orElse(null);
    }

    Digest commitCached(String key, boolean noCache, Digest parent, ObjectNode cfg, Path dir, String createdBy) throws IOException {
        Digest id = steps.commit(parent, cfg, dir, createdBy);
        cache.put(key, id);
        return id;
    }

    private void run(Run run, State st, Instruction.Run r) throws IOException {
        if (st.image == null) {
            throw BerthException.invalid("RUN is not possible in an empty stage (FROM scratch with no files)");
        }
        List<String> cmd = r.shellForm() ? withShell(st.shell(), HeredocScript.args(r.args(), r.heredocs())) : r.args();
        Map<String, String> env = st.env();
        TreeMap<String, String> argEnv = new TreeMap<>();
        st.args.forEach((k, v) -> {
            if (v != null && !env.containsKey(k)) {
                argEnv.put(k, v);
            }
        });
        String createdBy = String.join(" ", cmd);
        if (!argEnv.isEmpty()) {
            List<String> kv = new ArrayList<>();
            argEnv.forEach((k, v) -> kv.add(k + "=" + v));
            createdBy = "|" + argEnv.size() + " " + String.join(" ", kv) + " " + createdBy;
        }
        String key = BuildCache.key(st.image, "RUN", createdBy, configKey(st.cfg));
        Digest hit = run.opts.noCache() ? null : cached(key);
        if (hit != null) {
            run.say(" ---> Using cache\n");
            apply(st, hit);
            run.say(" ---> " + st.image.hex().substring(0, 12) + "\n");
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("Image", st.image.toString());
        body.set("Cmd", array(cmd));
        body.putArray("Entrypoint");
        ArrayNode envs = body.putArray("Env");
        env.forEach((k, v) -> envs.add(k + "=" + v));
        argEnv.forEach((k, v) -> envs.add(k + "=" + v));
        // moby's FilterAllowed: a proxy arg given with --build-arg reaches RUN undeclared, though neither
        // the history nor the cache key shows it (prependEnvOnCmd keeps only referenced ones)
        new TreeMap<>(run.opts.buildArgs()).forEach((k, v) -> {
            if (v != null && PREDEFINED_ARGS.contains(k) && !st.args.containsKey(k) && !env.containsKey(k)) {
                envs.add(k + "=" + v);
            }
        });
        body.put("User", st.config().path("User").asText(""));
        body.put("WorkingDir", st.config().path("WorkingDir").asText(""));
        body.put("AttachStdout", true);
        body.put("AttachStderr", true);
        body.putObject("Labels");
        String network = run.opts.networkMode();
        if (network != null && !network.isEmpty() && !network.equals("default")) {
            // docker build --network: moby puts it in the RUN container's HostConfig as given
            body.putObject("HostConfig").put("NetworkMode", network);
        }
        String id = containers.create(null, body).id();
        try {
            run.say(" ---> Running in " + id.substring(0, 12) + "\n");
            var exit = containers.waitFor(id, ContainerService.WaitCondition.NEXT_EXIT);
            containers.start(id);
            StepCanceller canceller = StepCanceller.watch(run.out, exit, () -> containers.kill(id, "KILL"));
            try (RunOutput ro = new RunOutput(run.out, run.opts.quiet())) {
                containers.logs(id, LogOptions.all().withFollow(true)).stream(ro);
            } finally {
                canceller.stop();
            }
            int code;
            try {
                code = exit.get(24, TimeUnit.HOURS);
            } catch (Exception e) {
                throw BerthException.system("waiting for the RUN container failed", e);
            }
            if (canceller.cancelled()) {
                throw new BerthException(ErrorCategory.INVALID_ARGUMENT, "the build was cancelled: the client disconnected");
            }
            if (code != 0) {
                throw new RunStepFailed("The command '" + String.join(" ", cmd) + "' returned a non-zero code: " + code, code);
            }
            String cb = createdBy;
            Digest img = containers.withRootFs(id, false, (rec, rootfs, lowers) ->
                    steps.commit(st.image, st.cfg, rootfs.upper(), cb,
                            new dev.berth.engine.containers.ChangesReader(rootfs.upper(), lowers).initLayerEntries()));
            cache.put(key, img);
            apply(st, img);
        } finally {
            try {
                containers.remove(id, true);
            } catch (Exception e) {
                // the build's own error is the one to report
            }
            run.say(" ---> Removed intermediate container " + id.substring(0, 12) + "\n");
        }
        run.say(" ---> " + st.image.hex().substring(0, 12) + "\n");
    }

    // ---- helpers ----

    static List<String> withShell(List<String> shell, List<String> args) {
        List<String> l = new ArrayList<>(shell);
        l.add(String.join(" ", args));
        return l;
    }

    static ArrayNode array(List<String> l) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        l.forEach(a::add);
        return a;
    }

    static ObjectNode obj(ObjectNode parent, String field) {
        return parent.path(field).isObject() ? (ObjectNode) parent.get(field) : parent.putObject(field);
    }

    /** Go's {@code %q} of a string slice, as moby formats CMD/ENTRYPOINT comments: {@code ["a" "b"]}. */
    static String goQuote(List<String> l) {
        List<String> q = new ArrayList<>();
        for (String s : l) {
            q.add(Json.MAPPER.valueToTree(s).toString());
        }
        return "[" + String.join(" ", q) + "]";
    }

    static void setEnv(ObjectNode config, String key, String value) {
        ArrayNode env = config.path("Env").isArray() ? (ArrayNode) config.get("Env") : config.putArray("Env");
        for (int i = 0; i < env.size(); i++) {
            String s = env.get(i).asText();
            if (s.equals(key) || s.startsWith(key + "=")) {
                env.set(i, Json.MAPPER.getNodeFactory().textNode(key + "=" + value));
                return;
            }
        }
        env.add(key + "=" + value);
    }

}
