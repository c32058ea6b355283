package dev.berth.registry;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.ImageReference;
import dev.berth.images.store.BlobStore;
import dev.berth.images.testing.ImageFixture;
import dev.berth.images.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Browsing real registries (Debian's distribution): catalog and tag paging, tag details, delete, refusals. */
class RegistryBrowserTest {
    static LocalRegistry open;
    static LocalRegistry basic;
    static ImageFixture image;
    static ImageFixture index;

    @BeforeAll
    static void start() throws Exception {
        Fixtures.requireBusybox();
        open = LocalRegistry.start(LocalRegistry.Mode.OPEN);
        basic = LocalRegistry.start(LocalRegistry.Mode.HTPASSWD, false);
        image = TestImages.busybox();
        index = TestImages.busyboxIndexWithAttestation(TestImages.Options.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        for (LocalRegistry r : new LocalRegistry[] {open, basic}) {
            if (r != null) {
                r.close();
            }
        }
    }

    static void push(RegistryClient client, ImageFixture f, String repoAndTag, Path tmp) throws Exception {
        BlobStore store = new BlobStore(Fixtures.storeDir(tmp, repoAndTag.replace('/', '_').replace(':', '_')));
        Fixtures.load(store, f);
        client.push(ImageReference.parse(client.registry() + "/" + repoAndTag), f.digest(), f.mediaType(), store, null,
                ProgressListener.NONE);
    }

    @Test
    void catalogAndTagsPageThroughLinkHeaders(@TempDir Path tmp) throws Exception {
        RegistryClient client = open.client();
        List<String> repos = List.of("regs/a", "regs/b", "regs/c");
        for (String r : repos) {
            push(client, image, r + ":1", tmp);
        }
        for (int i = 1; i <= 5; i++) {
            push(client, image, "regs/many:v" + i, tmp);
        }
        RegistryBrowser browser = client.browser();
        RepositoryListing first = browser.repositories(2, null);
        Page<String> page = assertInstanceOf(RepositoryListing.Listed.class, first).page();
        assertEquals(2, page.items().size());
        assertTrue(page.next().isPresent(), "a Link to the next page");
        List<String> all = new ArrayList<>(page.items());
        while (page.next().isPresent()) {
            page = assertInstanceOf(RepositoryListing.Listed.class, browser.repositoriesAt(page.next().get())).page();
            all.addAll(page.items());
        }
        assertTrue(all.containsAll(List.of("regs/a", "regs/b", "regs/c", "regs/many")), all.toString());

        // distribution 2.8 ignores n on tags/list (paging arrived in 3.0); following Link works either way.
        Page<String> tags = browser.tags("regs/many", 2, null);
        List<String> allTags = new ArrayList<>(tags.items());
        while (tags.next().isPresent()) {
            tags = browser.tagsAt("regs/many", tags.next().get());
            allTags.addAll(tags.items());
        }
        assertEquals(List.of("v1", "v2", "v3", "v4", "v5"), allTags.stream().sorted().toList());
    }

    @Test
    void tagDetailsGiveDigestSizeCreatedAndPlatforms(@TempDir Path tmp) throws Exception {
        RegistryClient client = open.client();
        push(client, image, "regs/details:single", tmp);
        push(client, index, "regs/details:multi", tmp);
        RegistryBrowser browser = client.browser();

        TagDetails single = browser.details("regs/details", "single");
        assertEquals(image.digest(), single.digest());
        long expected = image.image().blobs().values().stream().mapToLong(b -> b.length).sum();
        assertEquals(expected, single.size(), "config plus layers");
        assertEquals(TestImages.MTIME, single.created().orElseThrow());
        assertFalse(single.isMultiPlatform());

        TagDetails multi = browser.details("regs/details", "multi");
        assertEquals(index.digest(), multi.digest());
        assertEquals(List.of("linux/amd64"), multi.platforms(), "attestations are not platforms");
        assertEquals(TestImages.MTIME, multi.created().orElseThrow());
        assertTrue(multi.size() > 0);
    }

    @Test
    void deleteTagWhereAllowedAndSayWhyNotElsewhere(@TempDir Path tmp) throws Exception {
        RegistryClient client = open.client();
        push(client, image, "regs/del:gone", tmp);
        RegistryBrowser browser = client.browser();
        assertEquals(image.digest(), browser.deleteTag("regs/del", "gone"));
        assertTrue(client.headManifest("regs/del", "gone").isEmpty());
        BerthException missing = assertThrows(BerthException.class, () -> browser.deleteTag("regs/del", "gone"));
        assertEquals(ErrorCategory.NOT_FOUND, missing.category());

        RegistryClient signedIn = basic.client();
        push(signedIn, image, "regs/kept:1", tmp);
        BerthException refused = assertThrows(BerthException.class, () -> signedIn.browser().deleteTag("regs/kept", "1"));
        assertEquals(ErrorCategory.NOT_IMPLEMENTED, refused.category());
        assertTrue(PlainMessages.of(basic.host(), refused).contains("does not allow deleting"), refused.getMessage());
        assertTrue(signedIn.headManifest("regs/kept", "1").isPresent());
    }

    @Test
    void catalogBehindBasicAuthNeedsSignInAndRejectsBadPasswords(@TempDir Path tmp) throws Exception {
        RegistryOptions fast = RegistryOptions.defaults().withRetry(RetryPolicy.FAST)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));
        RegistryClient anonymous = RegistryClient.create(basic.host(), fast.withCredentials(CredentialStore.anonymous()));
        BerthException e = assertThrows(BerthException.class, () -> anonymous.browser().repositories(10, null));
        assertEquals(ErrorCategory.UNAUTHORIZED, e.category());
        assertEquals("Sign in to " + basic.host() + " first.", PlainMessages.of(basic.host(), e));

        RegistryClient wrong = RegistryClient.create(basic.host(), fast.withCredentials(CredentialStore.of(
                Map.of(basic.host(), Credential.basic(LocalRegistry.USER, "wrong-password")))));
        BerthException bad = assertThrows(BerthException.class, () -> wrong.browser().repositories(10, null));
        assertEquals(ErrorCategory.UNAUTHORIZED, bad.category());
        assertEquals("The user name or password was not accepted by " + basic.host() + ".", PlainMessages.of(basic.host(), bad));

        push(basic.client(), image, "regs/private:1", tmp);
        Page<String> page = assertInstanceOf(RepositoryListing.Listed.class, basic.client().browser().repositories(100, null))
                .page();
        assertTrue(page.items().contains("regs/private"), page.items().toString());
    }

    @Test
    void tokenAuthRegistryListsForTheSignedInUser(@TempDir Path tmp) throws Exception {
        try (LocalRegistry token = LocalRegistry.start(LocalRegistry.Mode.TOKEN)) {
            push(token.client(), image, "regs/tok:1", tmp);
            RegistryBrowser browser = token.client().browser();
            Page<String> page = assertInstanceOf(RepositoryListing.Listed.class, browser.repositories(10, null)).page();
            assertEquals(List.of("regs/tok"), page.items());
            assertEquals(List.of("1"), browser.tags("regs/tok", 10, null).items());
            assertEquals(image.digest(), browser.details("regs/tok", "1").digest());
            RegistryClient wrong = RegistryClient.create(token.host(), token.options(token.host(),
                    Credential.basic(LocalRegistry.USER, "wrong-password")));
            BerthException bad = assertThrows(BerthException.class, () -> wrong.browser().repositories(10, null));
            assertTrue(PlainMessages.of(token.host(), bad).startsWith("The user name or password was not accepted"),
                    bad.getMessage());
        }
    }

    @Test
    void dockerHubRefusesTheCatalogWithoutAsking() {
        RegistryClient hub = RegistryClient.create("docker.io", RegistryOptions.defaults()
                .withCredentials(CredentialStore.anonymous()).withTimeouts(Duration.ofMillis(1), Duration.ofMillis(1)));
        RepositoryListing listing = hub.browser().repositories(10, null);
        assertTrue(assertInstanceOf(RepositoryListing.Refused.class, listing).reason().contains("search by name"));
        BerthException e = assertThrows(BerthException.class,
                () -> RepositorySearch.unavailable("docker.io").search("busybox", 10));
        assertEquals(ErrorCategory.NOT_IMPLEMENTED, e.category());
    }

    @Test
    void searchOverCatalogFiltersByName(@TempDir Path tmp) throws Exception {
        push(open.client(), image, "regs/findme-x:1", tmp);
        assertEquals(List.of("regs/findme-x"), RepositorySearch.overCatalog(open.client()).search("FINDME", 10));
    }

    @Test
    void unreachableRegistryIsWordedPlainly() throws Exception {
        int port = LocalRegistry.freePort();
        RegistryClient gone = RegistryClient.create("127.0.0.1:" + port, RegistryOptions.defaults()
                .withRetry(RetryPolicy.FAST).withCredentials(CredentialStore.anonymous()));
        BerthException e = assertThrows(BerthException.class, () -> gone.browser().repositories(10, null));
        assertEquals(ErrorCategory.UNAVAILABLE, e.category());
        assertTrue(PlainMessages.of("127.0.0.1:" + port, e).startsWith("Cannot reach 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void rateLimitIsWordedPlainlyWithTheRemainingQuota(@TempDir Path tmp) throws Exception {
        push(open.client(), image, "regs/limited:1", tmp);
        try (FaultyProxy proxy = new FaultyProxy(open.host())) {
            proxy.rateLimit(-1, "0", "0;w=21600");
            RegistryBrowser browser = RegistryClient.create(proxy.host(),
                    open.options(proxy.host(), Credential.ANONYMOUS)).browser();
            BerthException e = assertThrows(BerthException.class, () -> browser.details("regs/limited", "1"));
            assertEquals(proxy.host() + " is rate limiting you (remaining: 0;w=21600). Wait a while, or sign in for a "
                    + "higher limit.", PlainMessages.of(proxy.host(), e));
            assertEquals("0;w=21600", browser.rateLimitRemaining().orElseThrow());
        }
    }
}
