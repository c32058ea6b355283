package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;
import okhttp3.HttpUrl;
import okhttp3.Response;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /v2/_catalog} and {@code /v2/<name>/tags/list}, with RFC 5988 {@code Link} pagination. */
final class CatalogEndpoint {
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;[^,]*rel=\"?next\"?");
    /** Listings are small JSON; this bounds a hostile one. */
    static final int MAX_PAGE_BYTES = 8 * 1024 * 1024;
    /** Stops a registry whose Link points back at itself from paging forever. */
    static final int MAX_PAGES = 10_000;

    private final RegistryCaller caller;

    CatalogEndpoint(RegistryCaller caller) {
        this.caller = caller;
    }

    Page<String> catalogPage(String target) {
        return page(target, "repositories", RegistryAuthenticator.CATALOG_SCOPE, "catalog");
    }

    Page<String> tagsPage(String repository, String target) {
        return page(target, "tags", RegistryAuthenticator.repositoryScope(repository, false), repository);
    }

    static String firstTarget(String path, int n, String last) {
        StringBuilder sb = new StringBuilder(path);
        char sep = '?';
        if (n > 0) {
            sb.append(sep).append("n=").append(n);
            sep = '&';
        }
        if (last != null && !last.isEmpty()) {
            sb.append(sep).append("last=").append(java.net.URLEncoder.encode(last, java.nio.charset.StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /** Follows every page from {@code first}. */
    List<String> all(String first, java.util.function.Function<String, Page<String>> fetch) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String target = first;
        for (int i = 0; target != null && i < MAX_PAGES && seen.add(target); i++) {
            Page<String> p = fetch.apply(target);
            out.addAll(p.items());
            target = p.next().orElse(null);
        }
        return out;
    }

    private Page<String> page(String target, String field, String scope, String what) {
        RegistryCaller.Call call = RegistryCaller.Call.get(target).scope(scope).accept(200)
                .errors(f -> f.hasCode("NAME_UNKNOWN") || f.status() == 404
                        ? new BerthException(ErrorCategory.NOT_FOUND, (field.equals("tags") ? "repository "
                                + caller.registry() + "/" + what + " not found: " : "catalog not available: ") + f.describe())
                        : RegistryErrors.DEFAULT.translate(f));
        try (Response r = caller.execute(call); InputStream in = r.body().byteStream()) {
            byte[] body = in.readNBytes(MAX_PAGE_BYTES);
            JsonNode json = Json.MAPPER.readTree(body);
            List<String> items = new ArrayList<>();
            JsonNode arr = json == null ? null : json.get(field);
            if (arr != null && arr.isArray()) {
                arr.forEach(n -> items.add(n.asText()));
            }
            return new Page<>(items, nextLink(r));
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "reading " + what + " listing from " + caller.registry()
                    + ": " + Json.describe(e), e);
        }
    }

    private static Optional<String> nextLink(Response r) {
        for (String link : r.headers("Link")) {
            Matcher m = NEXT_LINK.matcher(link);
            if (m.find()) {
                HttpUrl next = r.request().url().resolve(m.group(1));
                if (next != null) {
                    return Optional.of(next.toString());
                }
            }
        }
        return Optional.empty();
    }
}
