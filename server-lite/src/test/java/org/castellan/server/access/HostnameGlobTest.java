package org.castellan.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@NoDatabase("no database, no server: the same on either backend")
class HostnameGlobTest {
    @ParameterizedTest
    @CsvSource({
        "web-*, web-01, true",
        "web-*, WEB-01.EXAMPLE.COM, true",
        "WEB-*, web-01, true",
        "web-*, web-, true",
        "web-*, web, false",
        "web-*, xweb-01, false",
        "*.corp.example, pc1.corp.example, true",
        "*.corp.example, corp.example, false",
        "*.corp.example, pc1.corp.example.evil, false",
        "web-??, web-01, true",
        "web-??, web-1, false",
        "web-??, web-001, false",
        "*, anything, true",
        "a*b*c, abc, true",
        "a*b*c, aXXbYYc, true",
        "a*b*c, aXXbYY, false",
        "*-db-*, eu-db-01, true",
        "exact-host, exact-host, true",
        "exact-host, exact-hosts, false",
    })
    void matchesWithStarAndQuestionMarkCaseInsensitively(String pattern, String hostname, boolean expected) {
        assertThat(HostnameGlob.compile(pattern).matches(hostname)).isEqualTo(expected);
    }

    @Test
    void regexMetacharactersAreNotAcceptedSoTheyCannotBeInjected() {
        for (String bad : new String[] {"web.+", "(a|b)", "[a-z]*", "a{1,3}", "^web$", "web\\d", "a b", "web/*"}) {
            assertThatThrownBy(() -> HostnameGlob.compile(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("may only contain");
        }
    }

    @Test
    void dotIsLiteralNotAnyCharacter() {
        assertThat(HostnameGlob.compile("a.b").matches("axb")).isFalse();
    }

    @Test
    void pathologicalPatternsFinishQuickly() {
        String pattern = "*a".repeat(60) + "b";
        String hostname = "a".repeat(253);
        long start = System.nanoTime();
        assertThat(HostnameGlob.compile(pattern).matches(hostname)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void literalLengthCountsOnlyNonWildcards() {
        assertThat(HostnameGlob.compile("web-*").literalLength()).isEqualTo(4);
        assertThat(HostnameGlob.compile("web-??.corp").literalLength()).isEqualTo(9);
        assertThat(HostnameGlob.compile("*").literalLength()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 254})
    void emptyOrOverlongPatternsAreRejected(int length) {
        assertThatThrownBy(() -> HostnameGlob.compile("a".repeat(length))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void matchNeedsAtLeastOneCriterionAndAKnownOs() {
        assertThatThrownBy(() -> DeviceMatch.of(null, null)).hasMessageContaining("needs a hostname pattern");
        assertThatThrownBy(() -> DeviceMatch.of("x", "solaris")).hasMessageContaining("must be one of linux, windows, macos");
    }

    @Test
    void matchRequiresBothHostnameAndOsWhenBothAreGiven() {
        DeviceMatch linuxWeb = DeviceMatch.of("web-*", "linux");
        assertThat(linuxWeb.matches(new DeviceFacts("1", "web-1", "linux", false, true))).isTrue();
        assertThat(linuxWeb.matches(new DeviceFacts("1", "web-1", "windows", false, true))).isFalse();
        assertThat(linuxWeb.matches(new DeviceFacts("1", "db-1", "linux", false, true))).isFalse();
        assertThat(DeviceMatch.of(null, "Windows").matches(new DeviceFacts("1", "any", "windows", false, true))).isTrue();
    }
}
