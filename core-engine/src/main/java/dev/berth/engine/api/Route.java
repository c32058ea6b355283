package dev.berth.engine.api;

import java.util.regex.Pattern;

/** A method plus a path pattern with named groups, bound to a handler. */
public record Route(String method, Pattern pattern, Handler handler) {
    @FunctionalInterface
    public interface Handler {
        void handle(ApiRequest request, ApiResponse response) throws Exception;
    }

    /**
     * {@code /images/{name}/json} style templates; a parameter matches greedily across slashes because
     * image names contain them (moby routes {@code {name:.*}} the same way).
     */
    public static Route of(String method, String template, Handler handler) {
        String regex = template.replaceAll("\\{(\\w+)}", "(?<$1>.+)");
        return new Route(method, Pattern.compile("^" + regex + "$"), handler);
    }
}
