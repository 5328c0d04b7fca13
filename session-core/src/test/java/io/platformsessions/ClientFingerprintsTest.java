package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.spi.ClientBinding;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Client binding judged by meaning: networks, browser families, languages, missing parts, garbage. */
class ClientFingerprintsTest {
    private static final String FIREFOX_LINUX_120 =
            "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
    private static final String FIREFOX_LINUX_121 =
            "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
    private static final String CHROME_LINUX =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private static final ClientInfo HOME = new ClientInfo("203.0.113.7", FIREFOX_LINUX_120, "en-US,en;q=0.9");

    // ------------------------------------------------------------ judging by meaning

    @Test
    void ipv4SameSlash24IsTheSameNetworkAndAnotherSlash24IsNot() {
        assertThat(ClientFingerprints.network("203.0.113.7")).isEqualTo("203.0.113.0/24")
                .isEqualTo(ClientFingerprints.network("203.0.113.200"));
        assertThat(ClientFingerprints.network("203.0.114.7")).isEqualTo("203.0.114.0/24");
        assertThat(ClientFingerprints.network("::ffff:203.0.113.9")).as("IPv4-mapped").isEqualTo("203.0.113.0/24");
    }

    @Test
    void ipv6SameSlash48IsTheSameNetwork() {
        assertThat(ClientFingerprints.network("2001:db8:1:2::1")).isEqualTo("2001:db8:1::/48")
                .isEqualTo(ClientFingerprints.network("2001:0db8:0001:ffff:aaaa::9"))
                .isEqualTo(ClientFingerprints.network("[2001:db8:1::5]"));
        assertThat(ClientFingerprints.network("fe80::1%eth0")).isEqualTo("fe80:0:0::/48");
        assertThat(ClientFingerprints.network("2001:db8:2::1")).isNotEqualTo(ClientFingerprints.network("2001:db8:1::1"));
    }

    @Test
    void garbageAddressesHaveNoNetwork() {
        for (String bad : new String[] {null, "", "999.1.1.1", "1.2.3", "1.2.3.4.5", "a.b.c.d", "\uff11.2.3.4",
                "2001:db8::g", "::1::2", "1:2:3:4:5:6:7:8:9", "2001:db8:\uff11::1", "x".repeat(1000), "1.2.3.-4"}) {
            assertThat(ClientFingerprints.network(bad)).as(String.valueOf(bad)).isNull();
        }
    }

    @Test
    void browserVersionBumpIsTheSameClientAndAnotherBrowserIsNot() {
        ClientBinding v120 = ClientFingerprints.bind(HOME);
        ClientBinding v121 = ClientFingerprints.bind(new ClientInfo("203.0.113.99", FIREFOX_LINUX_121, "en-GB"));
        ClientBinding chrome = ClientFingerprints.bind(new ClientInfo("203.0.113.7", CHROME_LINUX, "en-US"));
        assertThat(v120.userAgentFamily()).isEqualTo("Firefox/Linux");
        assertThat(v120.deviceLabel()).isEqualTo("Firefox on Linux");
        assertThat(ClientFingerprints.sameClient(v120, v121)).isTrue();
        assertThat(ClientFingerprints.difference(v120, chrome)).isEqualTo("browser Firefox/Linux -> Chrome/Linux");
        assertThat(ClientFingerprints.browser(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0"))
                .isEqualTo("Edge");
        assertThat(ClientFingerprints.browser("x".repeat(100_000))).isEqualTo("Other");
    }

    @Test
    void languageIsThePrimarySubtagOfTheFirstEntry() {
        assertThat(ClientFingerprints.language("en-US,en;q=0.9")).isEqualTo("en");
        assertThat(ClientFingerprints.language("en-GB")).isEqualTo("en");
        assertThat(ClientFingerprints.language("de-DE,de;q=0.9,en;q=0.5")).isEqualTo("de");
        assertThat(ClientFingerprints.language("*")).isNull();
        assertThat(ClientFingerprints.language("\u00fc-DE")).isNull();
        assertThat(ClientFingerprints.language("en".repeat(1000))).isNull();
        ClientBinding en = ClientFingerprints.bind(HOME);
        ClientBinding de = ClientFingerprints.bind(new ClientInfo("203.0.113.7", FIREFOX_LINUX_120, "de-DE"));
        assertThat(ClientFingerprints.difference(en, de)).isEqualTo("language en -> de");
    }

    @Test
    void aPartKnownAtCreationButMissingNowIsAChangeUnlessNothingIsKnownNow() {
        ClientBinding home = ClientFingerprints.bind(HOME);
        ClientBinding noUserAgent = ClientFingerprints.bind(new ClientInfo("203.0.113.7", null, "en"));
        assertThat(ClientFingerprints.difference(home, noUserAgent)).isEqualTo("browser Firefox/Linux -> (none)");
        assertThat(ClientFingerprints.difference(home, ClientFingerprints.bind(ClientInfo.unknown()))).isNull();
        assertThat(ClientFingerprints.difference(ClientBinding.unknown(), home)).as("nothing bound at creation").isNull();
    }


    @Test
    void headersAreReadNoFurtherThanTheSharedClientHeaderLimit() {
        String padded = "en-GB" + ";q=0.9".repeat(100);
        assertThat(ClientFingerprints.language(padded.substring(0, Limits.MAX_CLIENT_HEADER_LENGTH))).isEqualTo("en");
        assertThat(ClientFingerprints.language(padded.substring(0, Limits.MAX_CLIENT_HEADER_LENGTH + 1))).isNull();
        String filler = "x".repeat(Limits.MAX_CLIENT_HEADER_LENGTH - "Firefox/".length());
        assertThat(ClientFingerprints.browser(filler + "Firefox/128.0")).isEqualTo("Firefox");
        assertThat(ClientFingerprints.browser(filler + "x" + "Firefox/128.0")).as("beyond the limit").isEqualTo("Other");
    }

    @Property(tries = 500)
    void clientFingerprintingNeverThrowsOnGarbage(@ForAll @StringLength(max = 300) String anything) {
        ClientFingerprints.network(anything);
        ClientFingerprints.rateLimitSubject(anything);
        ClientFingerprints.browser(anything);
        ClientFingerprints.language(anything);
        assertThat(ClientFingerprints.rateLimitSubject(anything) == null ? 0
                : ClientFingerprints.rateLimitSubject(anything).length()).isLessThanOrEqualTo(65);
    }

    @Test
    void nat64AddressesAreTheirIpv4AddressAndIpv6AddressesHaveWiderNetworks() {
        assertThat(ClientFingerprints.rateLimitSubject("64:ff9b::203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(ClientFingerprints.rateLimitSubject("64:ff9b::cb00:7107")).isEqualTo("203.0.113.7");
        assertThat(ClientFingerprints.network("64:ff9b::203.0.113.7")).isEqualTo("203.0.113.0/24");
        assertThat(ClientFingerprints.rateLimitNetworks("64:ff9b::203.0.113.7")).isEmpty();
        assertThat(ClientFingerprints.rateLimitSubject("64:ff9b:1::203.0.113.7")).as("not the well-known prefix")
                .endsWith("/64");
        assertThat(ClientFingerprints.rateLimitNetworks("2001:db8:1:2ab::9"))
                .containsExactly("2001:db8:1:200::/56", "2001:db8:1::/48");
        assertThat(ClientFingerprints.rateLimitNetworks("203.0.113.7")).isEmpty();
        assertThat(ClientFingerprints.rateLimitNetworks("garbage")).isEmpty();
        assertThat(ClientFingerprints.rateLimitNetworks(null)).isEmpty();
    }
}
