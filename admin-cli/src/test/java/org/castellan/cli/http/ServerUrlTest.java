package org.castellan.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The server URL as typed by people, and the request URLs built from it, which no value can reshape. */
class ServerUrlTest {
    @ParameterizedTest
    @CsvSource({
            "castellan.example,                       https://castellan.example:443/",
            "castellan.example:8443,                  https://castellan.example:8443/",
            "https://Castellan.Example:8443,          https://castellan.example:8443/",
            "HTTPS://castellan.example:8443/,         https://castellan.example:8443/",
            "https://castellan.example:8443/api/v1,   https://castellan.example:8443/",
            "https://castellan.example:8443/api/v1/,  https://castellan.example:8443/",
            "https://proxy.example/castellan,         https://proxy.example:443/castellan/",
            "https://proxy.example/castellan/api/v1,  https://proxy.example:443/castellan/",
            "https://[::1]:8443,                      https://[::1]:8443/",
            "127.0.0.1:8443,                          https://127.0.0.1:8443/",
            "https://bücher.example:8443,             https://xn--bcher-kva.example:8443/",
            "Bücher.Example/castellan/api/v1,         https://xn--bcher-kva.example:443/castellan/",
            "https://xn--bcher-kva.example,           https://xn--bcher-kva.example:443/",
    })
    void acceptsWhatPeoplePasteAndKeepsOnlyTheBase(String given, String base) {
        assertThat(ServerUrl.parse(given)).hasToString(base);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://", "https:///api/v1", "https://exa mple", "ftp://castellan.example", "https://host:99999",
            "https://host:port", "https://%zz"})
    void refusesWhatIsNotAUrlOfAServer(String given) {
        assertThatThrownBy(() -> ServerUrl.parse(given)).isInstanceOf(ServerUrl.Refused.class)
                .hasMessage("server URL '" + given + "' is not a valid URL");
    }

    @Test
    void aHostNameThatIsNoInternationalisedDomainNameIsNotAUrl() {
        String tooLongLabel = "https://" + "ü".repeat(70) + ".example";

        assertThatThrownBy(() -> ServerUrl.parse(tooLongLabel)).isInstanceOf(ServerUrl.Refused.class)
                .hasMessageEndingWith("is not a valid URL");
    }

    @Test
    void aCredentialBeforeAnInternationalisedHostIsStillRefused() {
        assertThatThrownBy(() -> ServerUrl.parse("https://admin:pässwort@bücher.example"))
                .hasMessage("server URL must not hold a user name or password");
    }

    @Test
    void refusesPlainHttpSoTheTokenNeverTravelsInClear() {
        assertThatThrownBy(() -> ServerUrl.parse("http://castellan.example:8443")).isInstanceOf(ServerUrl.Refused.class)
                .hasMessageContaining("must use https");
    }

    @Test
    void refusesACredentialWithoutRepeatingIt() {
        assertThatThrownBy(() -> ServerUrl.parse("https://admin:hunter2@castellan.example")).isInstanceOf(ServerUrl.Refused.class)
                .hasMessage("server URL must not hold a user name or password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://castellan.example/?x=1", "https://castellan.example/#top", "https://castellan.example?"})
    void refusesAQueryOrFragment(String given) {
        assertThatThrownBy(() -> ServerUrl.parse(given)).hasMessageContaining("must not have a query or fragment");
    }

    @Test
    void originNamesSchemeHostAndPortForMessages() {
        ServerUrl url = ServerUrl.parse("https://proxy.example/castellan");

        assertThat(url.origin()).isEqualTo("https://proxy.example:443");
        assertThat(url.host()).isEqualTo("proxy.example");
        assertThat(url.port()).isEqualTo(443);
    }

    @Test
    void requestUrlsGoUnderTheApiRootAndKeepThePrefix() {
        URI url = ServerUrl.parse("https://proxy.example:8443/castellan").resolve(List.of("devices", "d-1", "password"), Map.of());

        assertThat(url).hasToString("https://proxy.example:8443/castellan/api/v1/devices/d-1/password");
    }

    @Test
    void noSegmentOrValueCanChangeTheRequestsShape() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("reason", "ticket #4711 & reboot=yes?");
        query.put("q&x", "ä/€");
        URI url = ServerUrl.parse("https://h:8443").resolve(List.of("device-groups", "a/b?x#y z", "%2F"), query);

        assertThat(url.getRawPath()).isEqualTo("/api/v1/device-groups/a%2Fb%3Fx%23y%20z/%252F");
        assertThat(url.getRawQuery()).isEqualTo("reason=ticket%20%234711%20%26%20reboot%3Dyes%3F&q%26x=%C3%A4%2F%E2%82%AC");
        assertThat(url.getRawFragment()).isNull();
        assertThat(url.getPath()).as("decoded, the segments are the values given")
                .isEqualTo("/api/v1/device-groups/a/b?x#y z/%2F");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void dotSegmentsAreNamesNotStepsUpThePath(String segment) {
        URI url = ServerUrl.parse("https://h:8443").resolve(List.of("devices", segment, "password"), Map.of());

        assertThat(url.normalize().getRawPath()).as("normalising, as an HTTP stack may, leaves the path as it was")
                .isEqualTo(url.getRawPath()).startsWith("/api/v1/devices/%2E").endsWith("/password");
    }

    @Test
    void encodesEveryByteButTheUnreservedOnes() {
        StringBuilder all = new StringBuilder();
        for (char c = 0x20; c < 0x7f; c++) {
            all.append(c);
        }
        String encoded = ServerUrl.encoded(all.toString());

        assertThat(encoded).matches("([A-Za-z0-9._~-]|%[0-9A-F]{2})+");
        assertThat(java.net.URLDecoder.decode(encoded.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(all.toString());
    }
}
