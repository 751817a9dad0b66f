package dev.switchboard.router.table;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestPathTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/|/",
            "/api/users|/api/users",
            "/api/users/|/api/users/",
            "//|/",
            "//api///users//|/api/users/",
            "/./|/",
            "/a/./b|/a/b",
            "/a/.|/a/",
            "/a/b/..|/a/",
            "/a/b/../c|/a/c",
            "/a/..|/",
            "/a/%2e%2e/b|/b",
            "/a/%2E/b|/a/b",
            "/a/b/%2e%2e/%2e%2e/c|/c",
            "/a/.%2e/b|/b",
            "/%61pi/x|/api/x",
            "/a%7eb|/a~b",
            "/a%2fb%20c|rejected",
            "/a%20c|/a%20c",
            "/a%3bb|/a%3Bb",
            "/.well-known/x|/.well-known/x",
            "/a/.../b|/a/.../b",
            "/a/..b/c|/a/..b/c",
            "/a/b..|/a/b..",
            "/a;b=c/d|/a;b=c/d",
            "/a?x=1|/a",
            "/a/../b?../..|/b",
            "http://example.com/a/b|/a/b",
            "HTTPS://example.com:8443//a/./b|/a/b",
            "http://example.com|/",
            "http://example.com?x=1|/",
    })
    void normalizes(String raw, String expected) {
        RequestPath p = RequestPath.parse(raw);
        if (expected.equals("rejected")) {
            assertThat(p.isValid()).isFalse();
        } else {
            assertThat(p.isValid()).as(p.toString()).isTrue();
            assertThat(p.path()).isEqualTo(expected);
            assertThat(p.reason()).isNull();
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "/../etc/passwd|climbs above /",
            "/..|climbs above /",
            "/a/../../etc|climbs above /",
            "/a/%2e%2e/%2e%2e/b|climbs above /",
            "/%2E%2E|climbs above /",
            "/a%2fb|encoded slash",
            "/a%2Fb|encoded slash",
            "/a%5cb|encoded backslash",
            "/a%5C..%5Cb|encoded backslash",
            "/a\\b|backslash",
            "/a%00b|encoded control",
            "/a%0d%0aSet-Cookie:x|encoded control",
            "/a%7f|encoded control",
            "/a%zz|invalid percent-encoding",
            "/a%4|invalid percent-encoding",
            "/a%|invalid percent-encoding",
            "/a%%41|invalid percent-encoding",
            "/a/%c0%ae%c0%ae/b|overlong",
            "/a/%C1%9C|overlong",
            "/a/%e0%80%ae|overlong",
            "/a/%f0%80%80%ae|overlong",
            "/a/..;/admin|dot segment with parameters",
            "/a/.;x/b|dot segment with parameters",
            "api/users|does not start with /",
            "*|does not start with /",
            "example.com:443|does not start with /",
            "ftp://example.com/a|does not start with /",
            "/a#frag|#",
    })
    void rejects(String raw, String reasonFragment) {
        RequestPath p = RequestPath.parse(raw);
        assertThat(p.isValid()).as(raw).isFalse();
        assertThat(p.path()).isNull();
        assertThat(p.reason()).contains(reasonFragment);
    }

    @Test
    void rejectsControlCharactersSpacesAndNonAscii() {
        for (String raw : new String[] {"/a\u0000b", "/a\tb", "/a b", "/a\nb", "/a\u007fb", "/caf\u00e9", "/a\u2024\u2024/b"}) {
            assertThat(RequestPath.parse(raw).isValid()).as(raw).isFalse();
            assertThat(RequestPath.parse(raw).reason()).contains("control character");
        }
    }

    @Test
    void nonAsciiDigitsAreNotHex() {
        // Character.digit would read the Arabic-Indic digit as 2 and accept "%2<U+0662>" as an escape.
        assertThat(RequestPath.parse("/a%2\u0662").reason()).contains("invalid percent-encoding");
    }

    @Test
    void rejectsNullAndEmpty() {
        assertThat(RequestPath.parse(null).isValid()).isFalse();
        assertThat(RequestPath.parse("").isValid()).isFalse();
    }

    @Test
    void cleanPathIsReturnedWithoutCopying() {
        String raw = "/api/v1/users/42";
        assertThat(RequestPath.parse(raw).path()).isSameAs(raw);
    }

    @Test
    void strictRejectsDotSegmentsQueryAndRelativePaths() {
        assertThat(RequestPath.strict("/a/../b").reason()).contains(". or .. segment");
        assertThat(RequestPath.strict("/a/./b").reason()).contains(". or .. segment");
        assertThat(RequestPath.strict("/a/%2e%2e/b").reason()).contains(". or .. segment");
        assertThat(RequestPath.strict("/a?b").reason()).contains("?");
        assertThat(RequestPath.strict("a/b").reason()).contains("does not start with /");
        assertThat(RequestPath.strict("").isValid()).isFalse();
        assertThat(RequestPath.strict("/a//b").path()).isEqualTo("/a/b");
    }
}
