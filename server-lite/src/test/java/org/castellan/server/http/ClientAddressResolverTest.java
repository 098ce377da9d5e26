package org.castellan.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.castellan.server.ratelimit.LimitKeys;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@NoDatabase("no database, no server: the same on either backend")
class ClientAddressResolverTest {
    final ClientAddressResolver resolver = new ClientAddressResolver(
            List.of("10.0.0.0/8", "192.168.1.10", "fd00:aa::/32", "::1"));

    String resolve(String peer, String... headers) {
        return resolver.resolve(peer, Arrays.asList(headers)).getHostAddress();
    }

    @Test
    void headerFromAnUntrustedPeerIsIgnoredIpv4() {
        assertThat(resolve("203.0.113.7", "198.51.100.1")).isEqualTo("203.0.113.7");
    }

    @Test
    void headerFromAnUntrustedPeerIsIgnoredIpv6() {
        assertThat(resolve("2001:db8::7", "198.51.100.1")).isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void trustedIpv4ProxyIsBelievedForTheHopItAdded() {
        assertThat(resolve("10.1.2.3", "198.51.100.1")).isEqualTo("198.51.100.1");
    }

    @Test
    void trustedIpv6ProxyIsBelievedForTheHopItAdded() {
        assertThat(resolve("fd00:aa:1::5", "2001:db8::42")).isEqualTo("2001:db8:0:0:0:0:0:42");
        assertThat(resolve("[::1]", "198.51.100.9")).isEqualTo("198.51.100.9");
    }

    @Test
    void spoofedLeftHopsAreIgnoredTheRightMostUntrustedHopWins() {
        // The client sent "X-Forwarded-For: 1.1.1.1, 10.9.9.9" hoping to look like an internal
        // proxy chain; our proxy appended the real address 198.51.100.1.
        assertThat(resolve("10.0.0.1", "1.1.1.1, 10.9.9.9, 198.51.100.1")).isEqualTo("198.51.100.1");
    }

    @Test
    void chainOfTrustedProxiesIsWalkedToTheFirstUntrustedHop() {
        assertThat(resolve("10.0.0.1", "6.6.6.6, 198.51.100.1, 192.168.1.10, 10.2.2.2")).isEqualTo("198.51.100.1");
    }

    @Test
    void multipleHeaderValuesAreOneChainInOrder() {
        assertThat(resolve("10.0.0.1", "6.6.6.6, 198.51.100.1", "10.3.3.3")).isEqualTo("198.51.100.1");
    }

    @Test
    void allHopsTrustedAnswersTheLeftMost() {
        assertThat(resolve("10.0.0.1", "10.5.5.5, 10.4.4.4")).isEqualTo("10.5.5.5");
    }

    @Test
    void noHeaderFromATrustedProxyAnswersTheProxy() {
        assertThat(resolve("10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(resolver.resolve("10.0.0.1", List.of()).getHostAddress()).isEqualTo("10.0.0.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "evil.example.com", "localhost", "", "1.2.3", "0x7f.0.0.1", "01.2.3.4",
        "256.1.1.1", "fe80::1%eth0", "1.2.3.4.5", "_hidden", "::ffff:zz", ".::1", "[evil.example]:80"})
    void malformedHopStopsTheWalkAtTheLastTrustedProxy(String bad) {
        // Whatever the client wrote to the left of a hop we cannot read is not believed.
        assertThat(resolve("10.0.0.1", "198.51.100.1, " + bad + ", 10.7.7.7")).isEqualTo("10.7.7.7");
        assertThat(resolve("10.0.0.1", bad)).isEqualTo("10.0.0.1");
    }

    @Test
    void hopsWithPortsAndBracketsAreUnderstood() {
        assertThat(resolve("10.0.0.1", "198.51.100.1:51234")).isEqualTo("198.51.100.1");
        assertThat(resolve("10.0.0.1", "[2001:db8::1]:443")).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(resolve("10.0.0.1", "  198.51.100.2  ")).isEqualTo("198.51.100.2");
    }

    @Test
    void ipv4MappedIpv6PeerCountsAsTheIpv4Proxy() {
        assertThat(resolve("::ffff:10.0.0.1", "198.51.100.1")).isEqualTo("198.51.100.1");
    }

    @Test
    void withNoTrustedProxiesTheHeaderIsNeverBelieved() {
        assertThat(ClientAddressResolver.direct().resolve("10.0.0.1", List.of("198.51.100.1")).getHostAddress())
                .isEqualTo("10.0.0.1");
    }

    @Test
    void socketAddressThatIsNotAnIpLiteralIsRejected() {
        assertThatThrownBy(() -> resolver.resolve("localhost", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.255.255.255, true",
        "10.0.0.0/8, 11.0.0.0, false",
        "192.168.1.10, 192.168.1.10, true",
        "192.168.1.10, 192.168.1.11, false",
        "172.16.0.0/12, 172.31.0.1, true",
        "172.16.0.0/12, 172.32.0.1, false",
        "0.0.0.0/0, 8.8.8.8, true",
        "fd00:aa::/32, fd00:aa:ffff::1, true",
        "fd00:aa::/32, fd00:ab::1, false",
        "2001:db8::/127, 2001:db8::1, true",
        "2001:db8::/127, 2001:db8::2, false",
        "10.0.0.0/8, ::ffff:10.1.1.1, true",
        "::/0, 10.0.0.1, false",
    })
    void cidrMembershipForIpv4AndIpv6(String cidr, String address, boolean expected) {
        InetAddress parsed = IpLiterals.parse(address).orElseThrow();
        assertThat(Cidr.parse(cidr).contains(parsed)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/33", "fd00::/129", "10.0.0.0/-1", "proxy.internal", "10.0.0.0/8/8", "10.0.0.0/"})
    void badTrustedProxyConfigurationIsRejectedAtStartup(String cidr) {
        assertThatThrownBy(() -> new ClientAddressResolver(List.of(cidr))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipv6ClientsAreKeyedByTheirSlash64() throws Exception {
        InetAddress a = InetAddress.getByName("2001:db8:1:2:aaaa::1");
        InetAddress b = InetAddress.getByName("2001:db8:1:2:bbbb::9");
        InetAddress c = InetAddress.getByName("2001:db8:1:3::1");
        assertThat(LimitKeys.address(a)).isEqualTo(LimitKeys.address(b)).isEqualTo("addr6:20010db800010002::/64");
        assertThat(LimitKeys.address(c)).isNotEqualTo(LimitKeys.address(a));
        assertThat(LimitKeys.address(InetAddress.getByName("198.51.100.1"))).isEqualTo("addr4:198.51.100.1");
        assertThat(LimitKeys.principal("user:1")).isNotEqualTo(LimitKeys.address(InetAddress.getByName("198.51.100.1")));
    }
}
