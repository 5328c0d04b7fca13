package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** IP literals without DNS, trusted networks, and the right-most untrusted hop of a forwarded header. */
class ClientAddressesTest {
    private static final ClientAddresses XFF = ClientAddresses.of(List.of("10.0.0.0/8", "fd00::/8"), "X-Forwarded-For");
    private static final ClientAddresses FORWARDED = ClientAddresses.of(List.of("10.0.0.0/8"), "Forwarded");

    private static String client(ClientAddresses a, String remote, String... lines) {
        return a.clientAddress(remote, Collections.enumeration(List.of(lines)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4", "0.0.0.0", "255.255.255.255", "::", "::1", "2001:db8::1", "1:2:3:4:5:6:7:8",
        "2001:DB8:0:0:8:800:200C:417A", "1::", "1::8", "::ffff:192.0.2.1", "64:ff9b::192.0.2.33", "fe80::1:2"})
    void literalsParseLikeTheJdk(String literal) throws Exception {
        byte[] expected = InetAddress.getByName(literal).getAddress(); // literals only: no lookup
        assertThat(IpLiteral.parse(literal)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.-4",
        " 1.2.3.4", "1.2.3.4 ", "a.b.c.d", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", ":1", "1:", "1::2::3", "12345::",
        "fe80::1%eth0", "\u0661::1", "::ffff:1.2.3", "1:2:3:4:5:6:7::8", "unknown", "_hidden", "[::1]"})
    void anythingElseIsNotALiteral(String text) {
        assertThat(IpLiteral.parse(text)).isNull();
    }

    @Test
    void trustedNetworksAreValidatedAndNeverResolved() {
        assertThatThrownBy(() -> ClientAddresses.of(List.of("proxy.internal"), "X-Forwarded-For"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxy.internal");
        assertThatThrownBy(() -> ClientAddresses.of(List.of("10.0.0.0/33"), "X-Forwarded-For"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientAddresses.of(List.of("10.0.0.0/x"), "X-Forwarded-For"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientAddresses.of(List.of(), "X Forwarded"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ClientAddresses.of(List.of("::/0"), "Forwarded").trustsEveryone()).isTrue();
        assertThat(XFF.trustsEveryone()).isFalse();
    }

    @Test
    void theRightMostUntrustedHopIsTheClient() {
        // an untrusted peer's header is ignored
        assertThat(client(XFF, "203.0.113.5", "198.51.100.7")).isEqualTo("203.0.113.5");
        assertThat(client(XFF, "10.0.0.1", "198.51.100.7")).isEqualTo("198.51.100.7");
        // the client wrote the left part itself: only the right-most untrusted hop counts
        assertThat(client(XFF, "10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2")).isEqualTo("198.51.100.7");
        assertThat(client(XFF, "10.0.0.1", "6.6.6.6", "198.51.100.7")).isEqualTo("198.51.100.7");
        // every hop trusted: the left-most
        assertThat(client(XFF, "10.0.0.1", "10.0.0.3, 10.0.0.2")).isEqualTo("10.0.0.3");
        // ports and brackets
        assertThat(client(XFF, "10.0.0.1", "198.51.100.7:8080")).isEqualTo("198.51.100.7");
        assertThat(client(XFF, "10.0.0.1", "[2001:db8::1]:443")).isEqualTo("2001:db8::1");
        assertThat(client(XFF, "fd00::7", "2001:db8::1")).isEqualTo("2001:db8::1");
        assertThat(client(XFF, "::ffff:10.0.0.1", "198.51.100.7")).as("IPv4-mapped proxy").isEqualTo("198.51.100.7");
    }

    @Test
    void anythingMalformedLeavesTheRemoteAddress() {
        assertThat(client(XFF, "10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(client(XFF, "10.0.0.1", "")).isEqualTo("10.0.0.1");
        assertThat(client(XFF, "10.0.0.1", "198.51.100.7, garbage")).isEqualTo("10.0.0.1");
        assertThat(client(XFF, "10.0.0.1", "unknown")).isEqualTo("10.0.0.1");
        assertThat(client(XFF, "10.0.0.1", "198.51.100.7,")).isEqualTo("10.0.0.1");
        assertThat(client(XFF, "10.0.0.1", "[2001:db8::1")).isEqualTo("10.0.0.1");
        assertThat(client(XFF, "10.0.0.1", "198.51.100.7:http")).isEqualTo("10.0.0.1");
        assertThat(client(XFF, "10.0.0.1", "example.com")).isEqualTo("10.0.0.1");
        assertThat(client(XFF, "10.0.0.1", String.join(",", Collections.nCopies(ClientAddresses.MAX_HOPS + 1, "10.0.0.2"))))
                .isEqualTo("10.0.0.1");
    }

    @Test
    void forwardedIsReadAsRfc7239() {
        assertThat(client(FORWARDED, "10.0.0.1", "for=198.51.100.7;proto=https, for=\"[2001:db8::1]:4711\""))
                .isEqualTo("2001:db8::1");
        assertThat(client(FORWARDED, "10.0.0.1", "for=198.51.100.7;by=10.0.0.1, For=10.0.0.9")).isEqualTo("198.51.100.7");
        assertThat(client(FORWARDED, "10.0.0.1", "for=\"198.51.100.7:80\"")).isEqualTo("198.51.100.7");
        assertThat(client(FORWARDED, "10.0.0.1", "for=_hidden")).isEqualTo("10.0.0.1");
        assertThat(client(FORWARDED, "10.0.0.1", "for=unknown")).isEqualTo("10.0.0.1");
        assertThat(client(FORWARDED, "10.0.0.1", "proto=https")).isEqualTo("10.0.0.1");
        assertThat(client(FORWARDED, "10.0.0.1", "for=198.51.100.7;for=198.51.100.8")).isEqualTo("10.0.0.1");
        // an X-Forwarded-For-style value is not RFC 7239
        assertThat(client(FORWARDED, "10.0.0.1", "198.51.100.7")).isEqualTo("10.0.0.1");
    }
}
