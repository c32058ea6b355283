package dev.berth.images.dockerfile;

import dev.berth.errors.BerthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Cases ported from moby/patternmatcher's TestMatches and ignorefile's TestReadAll. */
class DockerIgnoreTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = 0, ignoreLeadingAndTrailingWhitespace = true, value = {
            "**                | file                     | true",
            "**/               | file                     | true",
            "**                | dir/file                 | true",
            "**/               | dir/file                 | true",
            "**/**             | dir/file                 | true",
            "dir/**            | dir/file                 | true",
            "dir/**            | dir/dir2/file            | true",
            "**/dir            | dir                      | true",
            "**/dir            | dir/file                 | true",
            "**/dir2/*         | dir/dir2/file            | true",
            "**/dir2/**        | dir/dir2/dir3/file       | true",
            "**file            | file                     | true",
            "**file            | dir/file                 | true",
            "**/file           | dir/file                 | true",
            "**file            | dir/dir/file             | true",
            "**/file           | dir/dir/file             | true",
            "**/file*          | dir/dir/file             | true",
            "**/file*          | dir/dir/file.txt         | true",
            "**/file*txt       | dir/dir/file.txt         | true",
            "**/file*.txt      | dir/dir/file.txt         | true",
            "**/file*.txt*     | dir/dir/file.txt         | true",
            "**/**/*.txt       | dir/dir/file.txt         | true",
            "**/**/*.txt2      | dir/dir/file.txt         | false",
            "**/*.txt          | file.txt                 | true",
            "**/**/*.txt       | file.txt                 | true",
            "a**/*.txt         | a/file.txt               | true",
            "a**/*.txt         | a/dir/file.txt           | true",
            "a**/*.txt         | a/dir/dir/file.txt       | true",
            "a/*.txt           | a/dir/file.txt           | false",
            "a/*.txt           | a/file.txt               | true",
            "a/*.txt**         | a/file.txt               | true",
            "a[b-d]e           | ae                       | false",
            "a[b-d]e           | ace                      | true",
            "a[b-d]e           | aae                      | false",
            "a[^b-d]e          | aze                      | true",
            ".*                | .foo                     | true",
            ".*                | foo                      | false",
            "abc.def           | abcdef                   | false",
            "abc.def           | abc.def                  | true",
            "abc.def           | abcZdef                  | false",
            "abc?def           | abcZdef                  | true",
            "abc?def           | abcdef                   | false",
            "a\\\\             | a\\                      | true",
            "**/foo/bar        | foo/bar                  | true",
            "**/foo/bar        | dir/foo/bar              | true",
            "**/foo/bar        | dir/dir2/foo/bar         | true",
            "abc/**            | abc                      | false",
            "abc/**            | abc/def                  | true",
            "abc/**            | abc/def/ghi              | true",
            "**/.foo           | .foo                     | true",
            "**/.foo           | bar.foo                  | false",
            "a(b)c/def         | a(b)c/def                | true",
            "a(b)c/def         | a(b)c/xyz                | false",
            "a.)$(}+{bc        | a.)$(}+{bc               | true",
            "dist/*.whl        | dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl | true",
            "/abs/path         | abs/path                 | true",
            "./rel/path        | rel/path                 | true",
            "dir/../other      | other                    | true",
            "dir               | dir/sub/file             | true",
            "*.go              | sub/x.go                 | false",
    })
    void matches(String pattern, String path, boolean expected) {
        assertEquals(expected, DockerIgnore.parse(pattern).matches(path), pattern + " vs " + path);
    }

    @Test
    void readsLikeIgnorefile() {
        DockerIgnore di = DockerIgnore.parse("test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n  spaced  \r\n");
        assertEquals(List.of("test1", "test2", "a/file/here", "lastfile", "!inverted/abs/path", "spaced"), di.patterns());
        BerthException e = assertThrows(BerthException.class, () -> DockerIgnore.parse("a\n!\n"));
        assertEquals("illegal exclusion pattern: \"!\"", e.getMessage());
    }

    @Test
    void exceptionsLastMatchWins() {
        DockerIgnore di = DockerIgnore.parse("*.md\n!README*.md\nREADME-secret.md\n");
        assertTrue(di.matches("CHANGES.md"));
        assertFalse(di.matches("README.md"));
        assertTrue(di.matches("README-secret.md"));
        assertFalse(di.matches("sub/CHANGES.md"), "* does not cross directories");
        assertTrue(di.hasExceptions());
    }

    @Test
    void directorySkipping() {
        DockerIgnore noExceptions = DockerIgnore.parse("node_modules\n.git\n");
        assertTrue(noExceptions.canSkipDirectory("node_modules"));
        assertFalse(noExceptions.canSkipDirectory("src"), "not excluded at all");

        DockerIgnore di = DockerIgnore.parse("docs\n!docs/keep.txt\nbuild\n");
        assertTrue(di.matches("docs/a.txt"));
        assertFalse(di.matches("docs/keep.txt"));
        assertFalse(di.canSkipDirectory("docs"));
        assertTrue(di.canSkipDirectory("build"));

        DockerIgnore anywhere = DockerIgnore.parse("logs\n!**/keep.log\n");
        assertFalse(anywhere.canSkipDirectory("logs"));
        assertFalse(anywhere.matches("logs/keep.log"));
        assertTrue(anywhere.matches("logs/other.log"));

        DockerIgnore wild = DockerIgnore.parse("*\n!src*/main\n");
        assertFalse(wild.canSkipDirectory("src1"));
        assertTrue(wild.canSkipDirectory("lib"));
    }
}
