package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.spi.ClientBinding;
import org.junit.jupiter.api.Test;

/**
 * The edges of client fingerprinting: every browser and OS family, the exact length and range limits
 * of the IP and header parsers, and the bounded rate-limit subject for text that is not an address.
 * (ClientFingerprintsTest judges bindings by meaning; this class pins the limits those rest on.)
 */
class ClientFingerprintsEdgeTest {

    @Test
    void everyBrowserFamilyIsRecognised() {
        assertThat(ClientFingerprints.browser("Mozilla/5.0 (Windows NT 10.0) Chrome/120.0 Safari/537.36 Edg/120.0"))
                .isEqualTo("Edge");
        assertThat(ClientFingerprints.browser("Mozilla/5.0 (Windows Phone 10.0) Edge/40.15063")).isEqualTo("Edge");
        assertThat(ClientFingerprints.browser("Mozilla/5.0 Chrome/120.0 Safari/537.36 OPR/106.0")).isEqualTo("Opera");
        assertThat(ClientFingerprints.browser("Opera/9.80 (Windows NT 6.1)")).isEqualTo("Opera");
        assertThat(ClientFingerprints.browser("Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 FxiOS/120.0 Safari/605.1.15"))
                .isEqualTo("Firefox");
        assertThat(ClientFingerprints.browser("Mozilla/5.0 (X11; Linux x86_64) Chromium/120.0 Safari/537.36"))
                .isEqualTo("Chrome");
        assertThat(ClientFingerprints.browser("Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 CriOS/120.0 Mobile/15E148 Safari/604.1"))
                .isEqualTo("Chrome");
        assertThat(ClientFingerprints.browser("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 Version/17.1 Safari/605.1.15"))
                .isEqualTo("Safari");
        assertThat(ClientFingerprints.browser("curl/8.5.0")).isEqualTo("curl");
        assertThat(ClientFingerprints.browser("Wget/1.21")).isEqualTo("Other");
        assertThat(ClientFingerprints.browser("   ")).isNull();
        assertThat(ClientFingerprints.browser(null)).isNull();
    }

    @Test
    void everyOperatingSystemFamilyIsRecognised() {
        assertThat(ClientFingerprints.operatingSystem("Mozilla/5.0 (Windows NT 10.0; Win64; x64)")).isEqualTo("Windows");
        assertThat(ClientFingerprints.operatingSystem("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)")).isEqualTo("iOS");
        assertThat(ClientFingerprints.operatingSystem("Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X)")).isEqualTo("iOS");
        assertThat(ClientFingerprints.operatingSystem("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1)")).isEqualTo("macOS");
        assertThat(ClientFingerprints.operatingSystem("Mozilla/5.0 (Macintosh)")).isEqualTo("macOS");
        assertThat(ClientFingerprints.operatingSystem("Mozilla/5.0 (Linux; Android 14; Pixel 8)")).as("Android before Linux")
                .isEqualTo("Android");
        assertThat(ClientFingerprints.operatingSystem("Mozilla/5.0 (X11; CrOS x86_64 15633.69.0)")).as("ChromeOS before X11")
                .isEqualTo("ChromeOS");
        assertThat(ClientFingerprints.operatingSystem("Mozilla/5.0 (X11; FreeBSD amd64)")).isEqualTo("Linux");
        assertThat(ClientFingerprints.operatingSystem("Mozilla/5.0 (Linux x86_64)")).isEqualTo("Linux");
        assertThat(ClientFingerprints.operatingSystem("curl/8.5.0")).isNull();
        assertThat(ClientFingerprints.operatingSystem(" ")).isNull();
        assertThat(ClientFingerprints.operatingSystem(null)).isNull();
    }

    @Test
    void bindingLabelsNameBrowserAndSystemAndSayWhenTheSystemIsUnknown() {
        ClientBinding b = ClientFingerprints.bind(new ClientInfo("203.0.113.7", "curl/8.5.0", null));
        assertThat(b.userAgentFamily()).isEqualTo("curl/Unknown");
        assertThat(b.deviceLabel()).isEqualTo("curl on unknown OS");
        assertThat(ClientFingerprints.bind(null)).isEqualTo(ClientBinding.unknown());
    }

    @Test
    void languageSubtagIsOneToEightAsciiLetters() {
        assertThat(ClientFingerprints.language("abcdefgh-x")).isEqualTo("abcdefgh");
        assertThat(ClientFingerprints.language("abcdefghi")).isNull();
        assertThat(ClientFingerprints.language("za-CH")).isEqualTo("za");
        assertThat(ClientFingerprints.language("AZ")).isEqualTo("az");
        assertThat(ClientFingerprints.language("a{")).isNull();
        assertThat(ClientFingerprints.language("`a")).isNull();
        assertThat(ClientFingerprints.language("e1")).isNull();
        assertThat(ClientFingerprints.language("*")).isNull();
    }

    @Test
    void ipv4OctetsRunFromZeroTo255() {
        assertThat(ClientFingerprints.network("255.255.255.255")).isEqualTo("255.255.255.0/24");
        assertThat(ClientFingerprints.network("0.0.0.0")).isEqualTo("0.0.0.0/24");
        assertThat(ClientFingerprints.network("256.1.1.1")).isNull();
        assertThat(ClientFingerprints.network("1.2.3.0256")).isNull();
        assertThat(ClientFingerprints.network("1.2.3")).isNull();
        assertThat(ClientFingerprints.network("1.2.3.4.5")).isNull();
        assertThat(ClientFingerprints.network("1.2.3.")).isNull();
        assertThat(ClientFingerprints.network("1.2.3.a")).isNull();
    }

    @Test
    void ipv6HexGroupsAcceptBothCasesAndOnlyHexDigits() {
        assertThat(ClientFingerprints.network("ABCD:EF09:FA0::1")).isEqualTo("abcd:ef09:fa0::/48");
        assertThat(ClientFingerprints.network("abcd:ef09:fa0::1")).isEqualTo("abcd:ef09:fa0::/48");
        for (String bad : new String[] {"2001:dbg::1", "2001:DBG::1", "2001:db@::1", "2001:db`::1", "2001:db/::1",
            "2001:db:::1", "12345::1", "1::2::3"}) {
            assertThat(ClientFingerprints.network(bad)).as(bad).isNull();
        }
    }

    @Test
    void aDoubleColonStandsForAtLeastOneGroup() {
        assertThat(ClientFingerprints.network("1:2:3:4::5:6:7")).as("seven groups and ::").isEqualTo("1:2:3::/48");
        assertThat(ClientFingerprints.network("1:2:3:4::5:6:7:8")).as("eight groups and ::").isNull();
        assertThat(ClientFingerprints.network("1:2:3:4:5:6:7:8")).isEqualTo("1:2:3::/48");
        assertThat(ClientFingerprints.network("1:2:3:4:5:6:7")).as("seven groups without ::").isNull();
        assertThat(ClientFingerprints.network("::ffff:198.51.100.9")).isEqualTo("198.51.100.0/24");
    }

    @Test
    void addressTextIsReadUpTo64Characters() {
        String v6 = "2001:db8:1:2:3:4:5:6%";
        String at64 = v6 + "e".repeat(64 - v6.length());
        assertThat(ClientFingerprints.network(at64)).as("64 characters with a zone id").isEqualTo("2001:db8:1::/48");
        assertThat(ClientFingerprints.network(at64 + "e")).as("65 characters").isNull();
        assertThat(ClientFingerprints.network("[2001:db8:1::7]")).isEqualTo("2001:db8:1::/48");
    }

    @Test
    void garbageIsCountedAsItselfCutTo64Characters() {
        String g64 = "x".repeat(64);
        assertThat(ClientFingerprints.rateLimitSubject(g64)).isEqualTo("?" + g64);
        assertThat(ClientFingerprints.rateLimitSubject(g64 + "yz")).isEqualTo("?" + g64);
        assertThat(ClientFingerprints.rateLimitSubject("  not-an-ip ")).isEqualTo("?not-an-ip");
        assertThat(ClientFingerprints.rateLimitSubject(" ")).isNull();
        assertThat(ClientFingerprints.rateLimitSubject("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(ClientFingerprints.rateLimitSubject("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:2::/64");
    }

    @Test
    void differentBrowsersAreNotTheSameClient() {
        ClientBinding firefox = ClientFingerprints.bind(TestFixture.HOME);
        ClientBinding chrome = ClientFingerprints.bind(new ClientInfo("203.0.113.7", TestFixture.CHROME_LINUX, "en"));
        assertThat(ClientFingerprints.sameClient(firefox, firefox)).isTrue();
        assertThat(ClientFingerprints.sameClient(firefox, chrome)).isFalse();
    }
}
