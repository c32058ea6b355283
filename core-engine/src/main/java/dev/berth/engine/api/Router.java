package dev.berth.engine.api;

import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/** Finds the route for a request; resources register their routes here (one router per resource). */
public final class Router {
    private final List<Route> routes = new ArrayList<>();

    public Router add(Route route) {
        routes.add(route);
        return this;
    }

    public Router addAll(List<Route> more) {
        routes.addAll(more);
        return this;
    }

    /** The handler bound to the request, with path parameters bound; NOT_FOUND names the path. */
    Route.Handler resolve(ApiRequest request) {
        boolean pathKnown = false;
        String method = request.method().equals("HEAD") ? "GET" : request.method();
        for (Route r : routes) {
            Matcher m = r.pattern().matcher(request.path());
            if (m.matches()) {
                pathKnown = true;
                if (r.method().equals(request.method()) || r.method().equals(method)) {
                    request.bind(m);
                    return r.handler();
                }
            }
        }
        if (pathKnown) {
            throw new BerthException(dev.berth.errors.ErrorCategory.INVALID_ARGUMENT,
                    "method " + request.method() + " is not allowed on " + request.path());
        }
        throw BerthException.notFound("page not found");
    }
}
