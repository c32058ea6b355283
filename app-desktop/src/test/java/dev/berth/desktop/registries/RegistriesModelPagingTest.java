package dev.berth.desktop.registries;

import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.Page;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tags a page at a time, as distribution 3 pages them (see {@link PagedTagsServer}); the catalog's
 * paging is proven against the real registry in RegsHelperAndSearchFxTest.
 */
class RegistriesModelPagingTest {
    @Test
    void tagsComeOnePageAtATimeFollowingTheLinkHeader(@TempDir Path dir) throws Exception {
        try (PagedTagsServer server = new PagedTagsServer();
             DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("desktop.db"))) {
            String host = server.host();
            RegistriesModel model = new RegistriesModel(new RegistryList(catalog),
                    EngineClient.create(EngineEndpoint.unix(dir.resolve("no.sock"))),
                    CredentialStore.dockerConfig(dir.resolve("docker"), List.of()), 2, HubSearch.dockerHub());
            model.add(host, false);
            Page<String> page = model.tagsPage(host, PagedTagsServer.REPOSITORY, null);
            assertEquals(List.of("1.0", "1.1"), page.items());
            List<String> all = new ArrayList<>(page.items());
            int pages = 1;
            while (page.next().isPresent()) {
                page = model.tagsPage(host, PagedTagsServer.REPOSITORY, page.next().get());
                all.addAll(page.items());
                pages++;
            }
            assertEquals(PagedTagsServer.TAGS, all);
            assertEquals(3, pages, "one request per page, not the whole list at once");
            assertFalse(page.next().isPresent());
            assertTrue(server.requests.contains("/v2/paged/app/tags/list?n=2"), server.requests.toString());
            assertTrue(server.requests.stream().anyMatch(r -> r.contains("last=2.1")), server.requests.toString());
        }
    }
}
