package dev.berth.engine.api.routes;

import dev.berth.engine.Engine;
import dev.berth.engine.api.ApiRequest;
import dev.berth.engine.api.ApiResponse;
import dev.berth.engine.api.Route;
import dev.berth.engine.images.ImageService;

import java.io.IOException;
import java.util.List;

/** The image resource of the Docker API: HTTP in, {@link ImageService} calls, HTTP out. */
public final class ImageRoutes {
    private final ImageService images;

    public ImageRoutes(Engine engine) {
        this.images = engine.images();
    }

    public List<Route> routes() {
        return List.of(
                Route.of("GET", "/images/json", this::list),
                Route.of("POST", "/images/prune", (rq, rs) -> rs.json(200, images.prune(Filters.parse(rq.query("filters"))))),
                Route.of("GET", "/images/{name}/json", (rq, rs) -> rs.json(200, images.inspect(rq.pathParam("name")))),
                Route.of("GET", "/images/{name}/history", (rq, rs) -> rs.json(200, images.history(rq.pathParam("name")))),
                Route.of("POST", "/images/{name}/tag", this::tag),
                Route.of("DELETE", "/images/{name}", this::remove));
    }

    private void list(ApiRequest rq, ApiResponse rs) throws IOException {
        rs.json(200, images.list(rq.queryBool("all"), Filters.parse(rq.query("filters")), rq.queryBool("digests")));
    }

    private void tag(ApiRequest rq, ApiResponse rs) throws IOException {
        images.tag(rq.pathParam("name"), rq.query("repo"), rq.query("tag"));
        rs.empty(201);
    }

    private void remove(ApiRequest rq, ApiResponse rs) throws IOException {
        var items = images.remove(rq.pathParam("name"), rq.queryBool("force"), !rq.queryBool("noprune"));
        rs.json(200, items.stream().map(ImageService.DeleteItem::toJson).toList());
    }
}
