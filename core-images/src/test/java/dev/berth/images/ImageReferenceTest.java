package dev.berth.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.berth.images.BerthAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Docker's normalisation, ported from the cases of distribution/reference's normalize_test.go and
 * reference_test.go (ParseNormalizedNamed / ParseDockerRef / FamiliarName / FamiliarString).
 */
class ImageReferenceTest {
    static final String SHA_F = "sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
    static final String SHA_BUSYBOX = "sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582";
    static final String HEX64 = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";

    // ---- normalisation: input -> fully qualified form with Docker's default tag ----

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            busybox                                    | docker.io/library/busybox:latest
            busybox:latest                             | docker.io/library/busybox:latest
            library/busybox                            | docker.io/library/busybox:latest
            docker.io/busybox                          | docker.io/library/busybox:latest
            docker.io/library/busybox                  | docker.io/library/busybox:latest
            docker.io/busybox:latest                   | docker.io/library/busybox:latest
            library/busybox:latest                     | docker.io/library/busybox:latest
            docker.io/library/busybox:latest           | docker.io/library/busybox:latest
            index.docker.io/foo                        | docker.io/library/foo:latest
            index.docker.io/library/debian             | docker.io/library/debian:latest
            index.docker.io/docker/docker              | docker.io/docker/docker:latest
            gcr.io/library/busybox                     | gcr.io/library/busybox:latest
            localhost/foo                              | localhost/foo:latest
            localhost:5000/foo                         | localhost:5000/foo:latest
            Foo/bar                                    | Foo/bar:latest
            FOO/bar                                    | FOO/bar:latest
            Docker/docker                              | Docker/docker:latest
            test_com/foo                               | docker.io/test_com/foo:latest
            test.com/foo                               | test.com/foo:latest
            test.com:8080/foo                          | test.com:8080/foo:latest
            test-com:8080/foo                          | test-com:8080/foo:latest
            test:5000/repo:tag                         | test:5000/repo:tag
            xn--n3h.com/foo                            | xn--n3h.com/foo:latest
            xn--n3h.com:18080/foo                      | xn--n3h.com:18080/foo:latest
            docker.io/library/foo/bar                  | docker.io/library/foo/bar:latest
            store/foo/bar                              | docker.io/store/foo/bar:latest
            127.0.0.1:5000/docker/docker               | 127.0.0.1:5000/docker/docker:latest
            127.0.0.1:5000/debian                      | 127.0.0.1:5000/debian:latest
            192.168.0.1                                | docker.io/library/192.168.0.1:latest
            192.168.0.1:80                             | docker.io/library/192.168.0.1:80
            192.168.0.1:8/debian                       | 192.168.0.1:8/debian:latest
            192.168.1.1/repo                           | 192.168.1.1/repo:latest
            192.168.1.1:5000/repo:5050                 | 192.168.1.1:5000/repo:5050
            test.com:5000                              | docker.io/library/test.com:5000
            foo_bar.com:8080                           | docker.io/library/foo_bar.com:8080
            foo/foo_bar.com:8080                       | docker.io/foo/foo_bar.com:8080
            [fc00::1]:5000/docker                      | [fc00::1]:5000/docker:latest
            [fc00:1:2:3:4:5:6:7]:5000/library/debian   | [fc00:1:2:3:4:5:6:7]:5000/library/debian:latest
            [::1]:5000/foo                             | [::1]:5000/foo:latest
            [2001:db8::1]/repo                         | [2001:db8::1]/repo:latest
            [2001:db8::]:5000/repo                     | [2001:db8::]:5000/repo:latest
            [2001:db8:1:2:3:4:5:6]/repo:tag            | [2001:db8:1:2:3:4:5:6]/repo:tag
            sub-dom1.foo.com/bar/baz/quux:some-long-tag | sub-dom1.foo.com/bar/baz/quux:some-long-tag
            b.gcr.io/test.example.com/my-app:test.example.com | b.gcr.io/test.example.com/my-app:test.example.com
            lowercase:Uppercase                        | docker.io/library/lowercase:Uppercase
            dmcgowan/myapp                             | docker.io/dmcgowan/myapp:latest
            thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev | docker.io/library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev:latest
            dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9 | docker.io/library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9:latest
            dbcc1                                      | docker.io/library/dbcc1:latest
            docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a | docker.io/library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a:latest
            docker-rules/docker                        | docker.io/docker-rules/docker:latest
            docker---rules/docker                      | docker.io/docker---rules/docker:latest
            doc/docker                                 | docker.io/doc/docker:latest
            d/docker                                   | docker.io/d/docker:latest
            jess/t                                     | docker.io/jess/t:latest
            dock__er/docker                            | docker.io/dock__er/docker:latest
            """)
    void normalisesLikeDocker(String input, String expected) {
        ImageReference ref = ImageReference.parse(input);
        assertEquals(expected, ref.toString());
        // The normalised form is itself a valid reference that parses to the same value.
        assertEquals(ref, ImageReference.parse(ref.toString()));
    }

    @ParameterizedTest(name = "{0}: registry {1}, repository {2}")
    @CsvSource(delimiter = '|', textBlock = """
            test.com/foo                  | test.com          | foo
            test_com/foo                  | docker.io         | test_com/foo
            docker/migrator               | docker.io         | docker/migrator
            test.com:8080/foo             | test.com:8080     | foo
            test-com:8080/foo             | test-com:8080     | foo
            foo                           | docker.io         | library/foo
            xn--n3h.com/foo               | xn--n3h.com       | foo
            xn--n3h.com:18080/foo         | xn--n3h.com:18080 | foo
            docker.io/foo                 | docker.io         | library/foo
            docker.io/library/foo         | docker.io         | library/foo
            docker.io/library/foo/bar     | docker.io         | library/foo/bar
            localhost/foo                 | localhost         | foo
            localhost:5000/a/b            | localhost:5000    | a/b
            Foo/bar                       | Foo               | bar
            [::1]:5000/foo                | [::1]:5000        | foo
            """)
    void splitsDomainAndPath(String input, String registry, String repository) {
        ImageReference ref = ImageReference.parseNormalizedNamed(input);
        assertEquals(registry, ref.registry());
        assertEquals(repository, ref.repository());
        assertEquals(registry + "/" + repository, ref.name());
        assertEquals(Optional.empty(), ref.tag(), "parseNormalizedNamed adds no tag");
        assertEquals(Optional.empty(), ref.digest());
    }

    @Test
    void localhostWithPortTagAndDigest() {
        ImageReference ref = ImageReference.parse("localhost:5000/a/b:tag@" + SHA_F);
        assertAll(
                () -> assertEquals("localhost:5000", ref.registry()),
                () -> assertEquals("a/b", ref.repository()),
                () -> assertEquals(Optional.of("tag"), ref.tag()),
                () -> assertEquals(Optional.of(Digest.parse(SHA_F)), ref.digest()),
                () -> assertEquals(SHA_F, ref.manifestReference(), "the digest wins over the tag"),
                () -> assertEquals("localhost:5000/a/b:tag@" + SHA_F, ref.toString()),
                () -> assertEquals("localhost:5000/a/b:tag@" + SHA_F, ref.familiarString()));
    }

    @Test
    void tagAndDigestTogether() {
        // TestParseReferenceWithTagAndDigest
        String shortRef = "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
        ImageReference ref = ImageReference.parseNormalizedNamed(shortRef);
        assertEquals("docker.io/library/" + shortRef, ref.toString());
        assertEquals(Optional.of("latest"), ref.tag());
        assertTrue(ref.digest().isPresent());
        assertEquals(shortRef, ref.familiarString());
    }

    @Test
    void digestOnlyGetsNoDefaultTag() {
        ImageReference ref = ImageReference.parse("busybox@" + SHA_BUSYBOX);
        assertEquals("docker.io/library/busybox@" + SHA_BUSYBOX, ref.toString());
        assertEquals(Optional.empty(), ref.tag());
        assertEquals(SHA_BUSYBOX, ref.manifestReference());
    }

    @Test
    void sha512DigestInReference() {
        String sha512 = "sha512:" + "f".repeat(128);
        ImageReference ref = ImageReference.parse("xn--7o8h.com/myimage:xn--7o8h.com@" + sha512);
        assertEquals("xn--7o8h.com", ref.registry());
        assertEquals("myimage", ref.repository());
        assertEquals(Optional.of("xn--7o8h.com"), ref.tag());
        assertEquals(Digest.Algorithm.SHA512, ref.digest().orElseThrow().algorithm());
    }

    @Test
    void bareNameStaysBareWithParseNormalizedNamed() {
        ImageReference ref = ImageReference.parseNormalizedNamed("busybox");
        assertEquals("docker.io/library/busybox", ref.toString());
        assertEquals("busybox", ref.familiarString());
        assertEquals(null, ref.manifestReference());
    }

    // ---- familiar names (TestParseRepositoryInfo) ----

    record RepoInfo(String remoteName, String familiarName, String fullName, String ambiguousName, String domain) {
    }

    static Stream<RepoInfo> repositoryInfo() {
        return Stream.of(
                new RepoInfo("fooo/bar", "fooo/bar", "docker.io/fooo/bar", "index.docker.io/fooo/bar", "docker.io"),
                new RepoInfo("library/ubuntu", "ubuntu", "docker.io/library/ubuntu", "library/ubuntu", "docker.io"),
                new RepoInfo("nonlibrary/ubuntu", "nonlibrary/ubuntu", "docker.io/nonlibrary/ubuntu", null, "docker.io"),
                new RepoInfo("other/library", "other/library", "docker.io/other/library", null, "docker.io"),
                new RepoInfo("private/moonbase", "127.0.0.1:8000/private/moonbase", "127.0.0.1:8000/private/moonbase", null,
                        "127.0.0.1:8000"),
                new RepoInfo("privatebase", "127.0.0.1:8000/privatebase", "127.0.0.1:8000/privatebase", null, "127.0.0.1:8000"),
                new RepoInfo("private/moonbase", "example.com/private/moonbase", "example.com/private/moonbase", null,
                        "example.com"),
                new RepoInfo("privatebase", "example.com/privatebase", "example.com/privatebase", null, "example.com"),
                new RepoInfo("private/moonbase", "example.com:8000/private/moonbase", "example.com:8000/private/moonbase",
                        null, "example.com:8000"),
                new RepoInfo("privatebasee", "example.com:8000/privatebasee", "example.com:8000/privatebasee", null,
                        "example.com:8000"),
                new RepoInfo("library/ubuntu-12.04-base", "ubuntu-12.04-base", "docker.io/library/ubuntu-12.04-base",
                        "index.docker.io/library/ubuntu-12.04-base", "docker.io"),
                new RepoInfo("library/foo", "foo", "docker.io/library/foo", "docker.io/foo", "docker.io"),
                new RepoInfo("library/foo/bar", "library/foo/bar", "docker.io/library/foo/bar", null, "docker.io"),
                new RepoInfo("store/foo/bar", "store/foo/bar", "docker.io/store/foo/bar", null, "docker.io"),
                new RepoInfo("bar", "Foo/bar", "Foo/bar", null, "Foo"),
                new RepoInfo("bar", "FOO/bar", "FOO/bar", null, "FOO"),
                new RepoInfo("foo", "localhost/foo", "localhost/foo", null, "localhost"));
    }

    @ParameterizedTest
    @MethodSource("repositoryInfo")
    void familiarNameFullNameDomainAndPath(RepoInfo tc) {
        List<String> inputs = tc.ambiguousName() == null ? List.of(tc.familiarName(), tc.fullName())
                : List.of(tc.familiarName(), tc.fullName(), tc.ambiguousName());
        for (String input : inputs) {
            ImageReference ref = ImageReference.parseNormalizedNamed(input);
            assertAll(input,
                    () -> assertEquals(tc.familiarName(), ref.familiarName()),
                    () -> assertEquals(tc.fullName(), ref.name()),
                    () -> assertEquals(tc.fullName(), ref.toString()),
                    () -> assertEquals(tc.domain(), ref.registry()),
                    () -> assertEquals(tc.remoteName(), ref.repository()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "busybox:1.36", "library/busybox:latest", "docker.io/library/busybox",
            "user/app:v1", "library/foo/bar", "localhost/foo", "localhost:5000/a/b:tag@" + SHA_F, "Foo/bar:x",
            "[::1]:5000/foo:1", "gcr.io/project/app@" + SHA_BUSYBOX, "docker.io/library/busybox:latest@" + SHA_BUSYBOX})
    void familiarStringRoundTrips(String input) {
        ImageReference ref = ImageReference.parse(input);
        assertEquals(ref, ImageReference.parse(ref.familiarString()), ref.familiarString());
        assertEquals(ref, ImageReference.parse(ref.toString()), ref.toString());
        assertEquals(ref.hashCode(), ImageReference.parse(ref.familiarString()).hashCode());
    }

    @Test
    void familiarFormsOfCommonNames() {
        assertEquals("busybox:latest", ImageReference.parse("docker.io/library/busybox").familiarString());
        assertEquals("user/app:v1", ImageReference.parse("index.docker.io/user/app:v1").familiarString());
        assertEquals("localhost:5000/app:latest", ImageReference.parse("localhost:5000/app").familiarString());
        assertEquals("busybox", ImageReference.parse("busybox:1").familiarName());
    }

    // ---- rejections, each saying why ----

    @ParameterizedTest
    @ValueSource(strings = {"foo/Bar", "docker/Docker", "docker.io/docker/Docker", "Uppercase:tag",
            "test:5000/Uppercase/lowercase:tag", "localhost/Foo", "UPPER"})
    void uppercaseRepositoryNamesFailSayingMustBeLowercase(String input) {
        assertInvalid(() -> ImageReference.parse(input), "must be lowercase");
    }

    @Test
    void lowercaseMessageNamesTheOffendingRepository() {
        assertInvalid(() -> ImageReference.parse("foo/Bar"), "repository name (foo/Bar) must be lowercase");
        assertInvalid(() -> ImageReference.parse("Uppercase:tag"), "(library/Uppercase)");
    }

    @Test
    void sixtyFourHexNamesAreRejected() {
        assertInvalid(() -> ImageReference.parse(HEX64), "cannot specify 64-byte hexadecimal strings", HEX64);
        // ...but not with a tag, nor under an explicit registry (Docker accepts both).
        assertEquals("docker.io/library/" + HEX64 + ":tag", ImageReference.parse(HEX64 + ":tag").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://github.com/docker/docker", "-docker", "-docker/docker", "-docker.io/docker/docker",
            "docker///docker", "docker.io/docker///docker", "[fc00::1]", "[fc00::1]:5000", "fc00::1:5000/debian",
            "[fe80::1%eth0]:5000/debian", "[2001:db8:3:4::192.0.2.33]:5000/debian", "docker-/docker",
            "-docker-/docker", "____/____", "_docker/_docker", "dock..er/docker", "dock_.er/docker", "dock-.er/docker",
            "docker/", ":justtag", "@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "aa/asdf$$^/aa", "[2001:db8::1]", "[2001:db8::1]:5000", "[2001:db8::1]:tag",
            "[fe80::1%@invalidzone]:5000/repo", "foo bar", "/foo", "foo//bar"})
    void malformedReferencesFailWithInvalidReferenceFormat(String input) {
        assertInvalid(() -> ImageReference.parse(input), "invalid reference format", input);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a_b.c/foo", "foo_bar.com/x:1", "x__y.z/foo/bar"})
    void aFirstComponentTakenAsRegistryMustBeAHostName(String input) {
        // The dot makes it a registry, as in Docker, but it is not a host name: reject it rather than
        // produce a reference without a registry.
        String host = input.substring(0, input.indexOf('/'));
        assertInvalid(() -> ImageReference.parse(input), "invalid reference format", host, "registry");
    }

    @Test
    void emptyAndNullSayThereIsNoName() {
        assertInvalid(() -> ImageReference.parse(""), "repository name must have at least one component");
        assertInvalid(() -> ImageReference.parse(null), "at least one component");
    }

    @Test
    void badDigestsSayWhatIsWrongWithTheDigest() {
        assertInvalid(() -> ImageReference.parse("repo@sha256:ffffffffffffffffffffffffffffffffff"), "sha256 needs 64");
        assertInvalid(() -> ImageReference.parse("validname@invaliddigest:" + "f".repeat(64)),
                "unsupported digest algorithm invaliddigest");
        assertInvalid(() -> ImageReference.parse("repo@sha256:" + "F".repeat(64)), "lowercase hex");
        assertInvalid(() -> ImageReference.parse("foo@"), "invalid reference format", "invalid digest");
    }

    @Test
    void tagLengthLimitIs128() {
        String tag128 = "t".repeat(128);
        assertEquals(Optional.of(tag128), ImageReference.parse("busybox:" + tag128).tag());
        assertInvalid(() -> ImageReference.parse("busybox:" + tag128 + "x"), "invalid reference format", "tag",
                "128 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox:-foo", "busybox:.foo", "busybox:a+b", "localhost:5000/busybox:-1", "foo/bar:"})
    void badTagsSayTheTagIsTheProblem(String input) {
        assertInvalid(() -> ImageReference.parse(input), "invalid reference format", "tag");
    }

    @Test
    void namesLongerThan255CharactersAreRejected() {
        // The limit applies to the full name, registry included (reference.Parse on domain + "/" + path).
        String domain = "example.com/";
        String path255 = "a/".repeat(121) + "a"; // 12 + 243 = 255
        assertEquals(255, (domain + path255).length());
        assertEquals(domain + path255 + ":tag", ImageReference.parse(domain + path255 + ":tag").toString());
        assertInvalid(() -> ImageReference.parse(domain + path255 + "a:tag"),
                "repository name must not be more than 255 characters");
        assertInvalid(() -> ImageReference.parse("a/".repeat(128) + "a:tag"), "must not be more than 255 characters");
        // Valid for reference.Parse, but normalisation prepends docker.io/ and pushes it over.
        assertInvalid(() -> ImageReference.parse("a/".repeat(127) + "a:tag-puts-this-over-max"), "255 characters");
        String namespace = String.join("_", java.util.Collections.nCopies(4,
                "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255"));
        assertInvalid(() -> ImageReference.parse(namespace + "/docker"), "255 characters");
    }

    @Test
    void hostileLongInputsFailFast() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertInvalid(() -> ImageReference.parse("a".repeat(100_000) + "!"), "invalid reference format");
            assertInvalid(() -> ImageReference.parse("a-".repeat(50_000) + "-"), "invalid reference format");
            assertInvalid(() -> ImageReference.parse("a.b/".repeat(25_000) + "A"), "lowercase");
            assertInvalid(() -> ImageReference.parse("x.y-".repeat(25_000) + "-/foo"), "invalid reference format");
        });
    }

    // ---- derived references ----

    @Test
    void withTagValidatesAndReplaces() {
        ImageReference ref = ImageReference.parse("test.com:8000/foo");
        assertEquals("test.com:8000/foo:TAG5", ref.withTag("TAG5").toString());
        assertEquals("busybox:tag2", ImageReference.parse("busybox").withTag("tag2").familiarString());
        assertEquals(Optional.of("t".repeat(128)), ref.withTag("t".repeat(128)).tag());
        for (String bad : new String[] {"-foo", ".foo", "", "t".repeat(129), "a b", "a:b", "a@b", "a/b", null}) {
            assertInvalid(() -> ref.withTag(bad), "invalid tag format");
        }
    }

    @Test
    void withTagOnADigestReferenceNamesTheRepositoryAndTheNewTagOnly() {
        // As `docker tag` does (reference.TrimNamed, then WithTag): the new name carries no digest.
        ImageReference ref = ImageReference.parse("busybox@" + SHA_BUSYBOX).withTag("v1");
        assertEquals("docker.io/library/busybox:v1", ref.toString());
        assertEquals(Optional.empty(), ref.digest());
    }

    @Test
    void withDigestAndRepositoryOnly() {
        ImageReference ref = ImageReference.parse("localhost:5000/app:1");
        ImageReference pinned = ref.withDigest(Digest.parse(SHA_F));
        assertEquals("localhost:5000/app@" + SHA_F, pinned.toString());
        assertEquals(SHA_F, pinned.manifestReference());
        assertEquals("localhost:5000/app", ref.repositoryOnly().toString());
        assertEquals(ref.repositoryOnly(), pinned.repositoryOnly());
        assertNotEquals(ref, ref.repositoryOnly());
    }

    @Test
    void isValidTag() {
        assertTrue(ImageReference.isValidTag("latest"));
        assertTrue(ImageReference.isValidTag("_x"));
        assertTrue(ImageReference.isValidTag("1.0-rc_1"));
        assertFalse(ImageReference.isValidTag("-x"));
        assertFalse(ImageReference.isValidTag(null));
        assertFalse(ImageReference.isValidTag("é"));
    }

    @Test
    void equalityCoversEveryPart() {
        ImageReference a = ImageReference.parse("busybox:1");
        assertEquals(a, ImageReference.parse("docker.io/library/busybox:1"));
        assertNotEquals(a, ImageReference.parse("busybox:2"));
        assertNotEquals(a, ImageReference.parse("other.io/library/busybox:1"));
        assertNotEquals(a, ImageReference.parse("library/busybox2:1"));
        assertNotEquals(a, ImageReference.parse("busybox:1@" + SHA_F));
    }
}
