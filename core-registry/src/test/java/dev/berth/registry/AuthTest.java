package dev.berth.registry;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.Platform;
import dev.berth.images.store.BlobStore;
import dev.berth.images.testing.ImageFixture;
import dev.berth.images.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Basic (htpasswd) and token (Docker Hub's flow) authentication against the real registry. */
class AuthTest {
    static final Platform AMD64 = Platform.of("linux", "amd64", null);

    @Test
    void basicAuthSucceedsWithTheRightPasswordAndFailsClearlyWithout(@TempDir Path tmp) throws Exception {
        Fixtures.requireBusybox();
        try (LocalRegistry registry = LocalRegistry.start(LocalRegistry.Mode.HTPASSWD)) {
            ImageFixture f = TestImages.busybox();
            RegistryClient client = registry.client();
            ImageReference ref = PushPullTest.pushFixture(client, f, Fixtures.uniqueRepo("basic"), "v1", tmp.resolve("src"),
                    ProgressListener.NONE);
            assertEquals(f.digest(), client.pull(ref, AMD64, new BlobStore(tmp.resolve("dst")), ProgressListener.NONE).digest());

            RegistryClient wrong = RegistryClient.create(registry.host(),
                    registry.options(registry.host(), Credential.basic(LocalRegistry.USER, "wrong")));
            BerthException e = assertThrows(BerthException.class, () -> wrong.getManifest(ref.repository(), "v1"));
            assertEquals(ErrorCategory.UNAUTHORIZED, e.category());
            assertEquals("unauthorized: authentication required", e.getMessage());

            RegistryClient anonymous = RegistryClient.create(registry.host(),
                    registry.options(registry.host(), Credential.ANONYMOUS));
            BerthException anon = assertThrows(BerthException.class, () -> anonymous.resolve(ref, AMD64));
            assertEquals(ErrorCategory.UNAUTHORIZED, anon.category());
            assertEquals("pull access denied for " + registry.host() + "/" + ref.repository()
                    + ", repository does not exist or may require 'docker login': unauthorized: authentication required",
                    anon.getMessage());

            RegistryOptions options = registry.options(registry.host(), Credential.ANONYMOUS);
            assertEquals(LoginResult.SUCCEEDED,
                    RegistryClient.login(registry.host(), LocalRegistry.USER, LocalRegistry.PASSWORD, options).status());
            BerthException badLogin = assertThrows(BerthException.class,
                    () -> RegistryClient.login(registry.host(), LocalRegistry.USER, "nope", options));
            assertEquals(ErrorCategory.UNAUTHORIZED, badLogin.category());
            assertFalse(badLogin.getMessage().contains("nope"), "a password never appears in a message");
        }
    }

    @Test
    void authorizationIsNotForwardedWhenABlobIsRedirectedToAnotherHost(@TempDir Path tmp) throws Exception {
        Fixtures.requireBusybox();
        try (LocalRegistry registry = LocalRegistry.start(LocalRegistry.Mode.HTPASSWD);
             FaultyProxy proxy = new FaultyProxy(registry.host())) {
            ImageFixture f = TestImages.busybox(TestImages.Options.defaults().withHello("redirect\n"));
            ImageReference pushed = PushPullTest.pushFixture(registry.client(), f, Fixtures.uniqueRepo("redirect"), "v1",
                    tmp.resolve("src"), ProgressListener.NONE);
            proxy.redirectBlobsToOtherHost();
            RegistryClient client = RegistryClient.create(proxy.host(), registry.options(proxy.host(), registry.credential()));
            ImageReference ref = ImageReference.parse(proxy.host() + "/" + pushed.repository() + ":v1");
            BlobStore dst = new BlobStore(tmp.resolve("dst"));
            ResolvedImage image = client.pull(ref, AMD64, dst, ProgressListener.NONE);
            for (Descriptor d : image.blobs()) {
                assertArrayEquals(f.blobs().get(d.digest()), dst.read(d.digest()));
            }
            assertEquals(3, proxy.storageRequests().size(), "every blob came from the storage host");
            proxy.storageRequests().forEach(r -> assertFalse(r.headers().containsKey("authorization"),
                    "credentials leaked to the storage host: " + r));
            assertTrue(proxy.requestsMatching(r -> FaultyProxy.MANIFEST.matcher(r.path()).matches())
                    .stream().allMatch(r -> r.headers().containsKey("authorization")), "the registry itself gets them");
        }
    }

    @Test
    void tokenAuthFetchesScopedTokensAndCachesThem(@TempDir Path tmp) throws Exception {
        Fixtures.requireBusybox();
        try (LocalRegistry registry = LocalRegistry.start(LocalRegistry.Mode.TOKEN)) {
            TokenServer tokens = registry.tokenServer();
            ImageFixture f = TestImages.busybox(TestImages.Options.defaults().withHello("token\n"));
            String repo = Fixtures.uniqueRepo("token");
            ImageReference ref = PushPullTest.pushFixture(registry.client(), f, repo, "v1", tmp.resolve("src"),
                    ProgressListener.NONE);
            assertTrue(tokens.requestedScopes().contains("repository:" + repo + ":pull,push"), tokens.requestedScopes().toString());

            RegistryClient client = registry.client();
            int before = tokens.tokenRequests();
            BlobStore dst = new BlobStore(tmp.resolve("dst"));
            client.pull(ref, AMD64, dst, ProgressListener.NONE);
            client.pull(ref, AMD64, new BlobStore(tmp.resolve("dst2")), ProgressListener.NONE);
            assertEquals(1, tokens.tokenRequests() - before,
                    "a manifest and three blobs, twice, share one pull-scoped token");
            assertEquals(1, client.cachedTokens());

            // Some token servers answer access_token instead of token (OAuth2 style).
            tokens.useAccessTokenField = true;
            RegistryClient oauthStyle = registry.client();
            assertEquals(f.digest(), oauthStyle.resolve(ref, AMD64).digest());

            // Catalog needs its own scope: a second token, then cached too.
            assertTrue(client.catalog(0, null).contains(repo));
            assertEquals(2, client.cachedTokens());

            // A token is used until it expires, then replaced.
            tokens.expiresInSeconds = 1;
            RegistryClient shortLived = registry.client();
            shortLived.getManifest(repo, "v1");
            int afterFirst = tokens.tokenRequests();
            shortLived.getManifest(repo, "v1");
            assertEquals(afterFirst, tokens.tokenRequests(), "still valid: reused");
            Thread.sleep(1100);
            shortLived.getManifest(repo, "v1");
            assertEquals(afterFirst + 1, tokens.tokenRequests(), "expired: fetched anew");
            tokens.expiresInSeconds = 300;

            RegistryClient anonymous = RegistryClient.create(registry.host(),
                    registry.options(registry.host(), Credential.ANONYMOUS));
            BerthException denied = assertThrows(BerthException.class, () -> anonymous.resolve(ref, AMD64));
            assertEquals(ErrorCategory.UNAUTHORIZED, denied.category());
            assertTrue(denied.getMessage().startsWith("pull access denied for " + registry.host() + "/" + repo),
                    denied.getMessage());

            RegistryClient wrong = RegistryClient.create(registry.host(),
                    registry.options(registry.host(), Credential.basic(LocalRegistry.USER, "wrong")));
            BerthException bad = assertThrows(BerthException.class, () -> wrong.getManifest(repo, "v1"));
            assertEquals(ErrorCategory.UNAUTHORIZED, bad.category());
            assertEquals("unauthorized: incorrect username or password", bad.getMessage());
        }
    }

    @Test
    void loginAgainstATokenRegistryReturnsAnIdentityTokenThatWorks(@TempDir Path tmp) throws Exception {
        Fixtures.requireBusybox();
        try (LocalRegistry registry = LocalRegistry.start(LocalRegistry.Mode.TOKEN)) {
            RegistryOptions options = registry.options(registry.host(), Credential.ANONYMOUS);
            LoginResult login = RegistryClient.login(registry.host(), LocalRegistry.USER, LocalRegistry.PASSWORD, options);
            assertEquals(LoginResult.SUCCEEDED, login.status());
            assertNotNull(login.identityToken());
            assertFalse(login.toString().contains(login.identityToken()));
            assertThrows(BerthException.class,
                    () -> RegistryClient.login(registry.host(), LocalRegistry.USER, "wrong", options));

            // The identity token alone (no password) is enough to push, as after `docker login`.
            RegistryClient client = RegistryClient.create(registry.host(),
                    registry.options(registry.host(), Credential.identityToken(LocalRegistry.USER, login.identityToken())));
            ImageFixture f = TestImages.busybox(TestImages.Options.defaults().withHello("identity\n"));
            ImageReference ref = PushPullTest.pushFixture(client, f, Fixtures.uniqueRepo("idtoken"), "v1", tmp.resolve("src"),
                    ProgressListener.NONE);
            Digest d = client.resolve(ref, AMD64).digest();
            assertEquals(f.digest(), d);
            assertEquals(List.of("v1"), client.tags(ref.repository(), 0, null));
        }
    }
}
