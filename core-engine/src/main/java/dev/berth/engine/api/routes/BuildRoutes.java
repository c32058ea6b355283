package dev.berth.engine.api.routes;

import dev.berth.engine.Engine;
import dev.berth.engine.api.ApiRequest;
import dev.berth.engine.api.ApiResponse;
import dev.berth.engine.api.JsonMessageStream;
import dev.berth.engine.api.Route;
import dev.berth.engine.build.BuildCache;
import dev.berth.engine.build.BuildCachePrune;
import dev.berth.engine.build.BuildContext;
import dev.berth.engine.build.BuildTemp;
import dev.berth.engine.build.BuildOptions;
import dev.berth.engine.build.BuildOutput;
import dev.berth.engine.build.ImageBuilder;
import dev.berth.engine.build.RegistryConfigHeader;
import dev.berth.engine.images.ImagePuller;

import java.util.List;
import java.util.Map;

/** {@code POST /build} (the classic builder protocol) and {@code POST /build/prune}. */
public final class BuildRoutes {
    private final Engine engine;
    private final ImageBuilder builder;
    private final BuildTemp temp;

    public BuildRoutes(Engine engine) {
        this.engine = engine;
        this.temp = new BuildTemp(engine.options().dataRoot().resolve("build-tmp")).sweepLeftovers();
        this.builder = new ImageBuilder(engine.images(), engine.containers(),
                new ImagePuller(engine.images(), engine.registryOptions()), new BuildCache(engine.catalog()), temp);
    }

    public List<Route> routes() {
        return List.of(
                Route.of("POST", "/build", this::build),
                Route.of("POST", "/build/prune", this::prune));
    }

    private void build(ApiRequest rq, ApiResponse rs) throws Exception {
        BuildOptions opts = BuildOptions.parse(new BuildOptions.Query() {
            @Override
            public String get(String name) {
                return rq.query(name);
            }

            @Override
            public List<String> all(String name) {
                return rq.queryAll(name);
            }
        });
        var registryConfig = RegistryConfigHeader.forRegistries(rq.header("X-Registry-Config"));
        JsonMessageStream.serve(rs, out -> {
            try (BuildContext ctx = BuildContext.fromTar(rq.body(), temp)) {
                builder.build(ctx, opts, registryConfig, new BuildOutput() {
                    @Override
                    public void stream(String text) {
                        out.stream(text);
                    }

                    @Override
                    public void aux(Map<String, Object> aux) {
                        out.send(Map.of("aux", aux));
                    }

                    @Override
                    public boolean clientGone() {
                        return out.clientGone();
                    }
                });
            }
        });
    }

    private void prune(ApiRequest rq, ApiResponse rs) throws Exception {
        var selected = BuildCachePrune.selection(Filters.parse(rq.query("filters")), java.util.Arrays.asList(
                rq.query("keep-storage"), rq.query("reserved-space"), rq.query("max-used-space"), rq.query("min-free-space")));
        rs.json(200, BuildCachePrune.prune(engine.images(), builder.cache(), selected));
    }
}
