package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The edges of trusting a proxy: networks whose prefix is not a whole number of bytes, the prefix
 * length limits, and what counts as a port. ({@code ClientAddressesTest} has the ordinary cases.)
 */
class ClientAddressesEdgeTest {

    private static String client(ClientAddresses a, String remote, String... lines) {
        return a.clientAddress(remote, Collections.enumeration(List.of(lines)));
    }

    @Test
    void aPrefixThatEndsInsideAByteTrustsExactlyThatNetwork() {
        ClientAddresses a = ClientAddresses.of(List.of("172.16.0.0/12"), "X-Forwarded-For");
        assertThat(client(a, "172.16.0.1", "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(client(a, "172.31.255.254", "198.51.100.7")).as("last address of the /12").isEqualTo("198.51.100.7");
        assertThat(client(a, "172.32.0.1", "198.51.100.7")).as("just outside").isEqualTo("172.32.0.1");
        assertThat(client(a, "172.15.255.255", "198.51.100.7")).as("just below").isEqualTo("172.15.255.255");
        assertThat(client(a, "::ffff:172.20.1.1", "198.51.100.7")).isEqualTo("198.51.100.7");

        ClientAddresses v6 = ClientAddresses.of(List.of("fc00::/7"), "X-Forwarded-For");
        assertThat(client(v6, "fd12::1", "2001:db8::9")).isEqualTo("2001:db8::9");
        assertThat(client(v6, "fc00::1", "2001:db8::9")).isEqualTo("2001:db8::9");
        assertThat(client(v6, "fe00::1", "2001:db8::9")).isEqualTo("fe00::1");
        assertThat(client(v6, "172.16.0.1", "2001:db8::9")).as("another family is never covered").isEqualTo("172.16.0.1");

        ClientAddresses three = ClientAddresses.of(List.of("10.0.0.0/3"), "X-Forwarded-For");
        assertThat(client(three, "31.255.255.255", "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(client(three, "32.0.0.0", "198.51.100.7")).isEqualTo("32.0.0.0");
    }

    @Test
    void prefixLengthsRunFromZeroToTheAddressLength() {
        ClientAddresses host = ClientAddresses.of(List.of("10.0.0.1/32"), "X-Forwarded-For");
        assertThat(client(host, "10.0.0.1", "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(client(host, "10.0.0.2", "198.51.100.7")).isEqualTo("10.0.0.2");
        assertThat(ClientAddresses.of(List.of("2001:db8::1/128"), "X-Forwarded-For").trustsEveryone()).isFalse();
        assertThat(ClientAddresses.of(List.of("0.0.0.0/0"), "X-Forwarded-For").trustsEveryone()).isTrue();
        assertThatThrownBy(() -> ClientAddresses.of(List.of("2001:db8::/129"), "X-Forwarded-For"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..128");
        assertThatThrownBy(() -> ClientAddresses.of(List.of("10.0.0.0/0032"), "X-Forwarded-For"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientAddresses.of(List.of("/8"), "X-Forwarded-For"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutTrustedProxiesTheConnectionIsTheClient() {
        assertThat(ClientAddresses.of(List.of(), "X-Forwarded-For").isDirect()).isTrue();
        assertThat(ClientAddresses.of(List.of("10.0.0.0/8"), "X-Forwarded-For").isDirect()).isFalse();
        assertThat(ClientAddresses.of(List.of("10.0.0.0/8"), "X-Real-IP").header()).isEqualTo("X-Real-IP");
    }

    @Test
    void aPortIsOneToFiveDigits() {
        ClientAddresses a = ClientAddresses.of(List.of("10.0.0.0/8"), "X-Forwarded-For");
        assertThat(client(a, "10.0.0.1", "198.51.100.7:8")).isEqualTo("198.51.100.7");
        assertThat(client(a, "10.0.0.1", "198.51.100.7:65535")).isEqualTo("198.51.100.7");
        assertThat(client(a, "10.0.0.1", "198.51.100.7:9090")).isEqualTo("198.51.100.7");
        assertThat(client(a, "10.0.0.1", "[2001:db8::1]:0")).isEqualTo("2001:db8::1");
        assertThat(client(a, "10.0.0.1", "198.51.100.7:123456")).as("six digits").isEqualTo("10.0.0.1");
        assertThat(client(a, "10.0.0.1", "198.51.100.7:")).as("no digits").isEqualTo("10.0.0.1");
        assertThat(client(a, "10.0.0.1", "198.51.100.7:8/")).isEqualTo("10.0.0.1");
        assertThat(client(a, "10.0.0.1", "198.51.100.7:/8")).isEqualTo("10.0.0.1");
        assertThat(client(a, "10.0.0.1", "[2001:db8::1]:8a")).isEqualTo("10.0.0.1");
        assertThat(client(a, "10.0.0.1", "[2001:db8::1]x")).isEqualTo("10.0.0.1");
    }

    @Test
    void hopsAreCountedOverEveryHeaderLine() {
        ClientAddresses a = ClientAddresses.of(List.of("10.0.0.0/8"), "X-Forwarded-For");
        String[] lines = Collections.nCopies(ClientAddresses.MAX_HOPS, "10.0.0.2").toArray(new String[0]);
        assertThat(client(a, "10.0.0.1", lines)).as("exactly the maximum, all trusted: the left-most").isEqualTo("10.0.0.2");
        String[] more = Collections.nCopies(ClientAddresses.MAX_HOPS + 1, "10.0.0.2").toArray(new String[0]);
        assertThat(client(a, "10.0.0.1", more)).as("one hop too many, over several lines").isEqualTo("10.0.0.1");
        assertThat(a.clientAddress("10.0.0.1", null)).isEqualTo("10.0.0.1");
    }
}
