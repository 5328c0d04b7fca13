package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.spi.ClientBinding;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Client bindings, reported changes and both rate limiters, without an engine. */
class ClientGuardTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private final ClientGuard guard = new ClientGuard(SessionConfig.builder().maxUnknownTokensPerMinute(3)
            .unknownTokenCooldown(Duration.ofMinutes(5)).maxPlatformSwitchesPerMinute(2).build());

    @Test
    void bindingsAreCachedExceptForOversizedHeaders() {
        ClientInfo home = new ClientInfo("203.0.113.7", TestFixture.FIREFOX_LINUX_120, "en");
        assertThat(guard.binding(home)).isSameAs(guard.binding(new ClientInfo("203.0.113.7",
                TestFixture.FIREFOX_LINUX_120, "en")));
        ClientInfo huge = new ClientInfo("203.0.113.7", "x".repeat(Limits.MAX_CLIENT_HEADER_LENGTH + 1), "en");
        assertThat(guard.binding(huge)).isEqualTo(guard.binding(huge)).isNotSameAs(guard.binding(huge));
    }

    @Test
    void anAddressOverTheUnknownTokenRateIsThrottledForTheCoolDown() {
        String ip = "198.51.100.66";
        assertThat(guard.isThrottled(null, T0)).isFalse();
        assertThat(guard.unknownToken(null, T0)).as("no address, nothing to count").isNull();
        for (int i = 0; i < 3; i++) {
            assertThat(guard.unknownToken(ip, T0)).isNull();
        }
        assertThat(guard.isThrottled(ip, T0)).isFalse();
        assertThat(guard.unknownToken(ip, T0)).as("reported once").contains("more than 3").contains("PT5M");
        assertThat(guard.unknownToken(ip, T0)).isNull();
        assertThat(guard.isThrottled(ip, T0.plusSeconds(299))).isTrue();
        assertThat(guard.isThrottled("198.51.100.67", T0)).isFalse();
        assertThat(guard.isThrottled(ip, T0.plusSeconds(300))).isFalse();
    }

    @Test
    void aClientChangeIsReportedOncePerNewClient() {
        SessionKey key = SessionToken.generate(new SecureRandom()).key();
        ClientBinding original = ClientFingerprints.bind(TestFixture.HOME);
        ClientBinding chrome = ClientFingerprints.bind(new ClientInfo("203.0.113.7", TestFixture.CHROME_LINUX, "en"));
        assertThat(ClientGuard.difference(original, ClientFingerprints.bind(TestFixture.HOME))).isNull();
        assertThat(ClientGuard.difference(original, chrome)).contains("browser");
        assertThat(guard.firstReport(key, chrome)).isTrue();
        assertThat(guard.firstReport(key, chrome)).isFalse();
        assertThat(guard.firstReport(key, original)).isTrue();
    }

    @Test
    void rapidPlatformSwitchingIsReportedOnceAMinute() {
        assertThat(guard.platformSwitch("sid", T0)).isFalse();
        assertThat(guard.platformSwitch("sid", T0)).isFalse();
        assertThat(guard.platformSwitch("sid", T0)).isTrue();
        assertThat(guard.platformSwitch("sid", T0)).isFalse();
        assertThat(guard.platformSwitch("other", T0)).isFalse();
        assertThat(guard.isThrottled("sid", T0)).as("switches never throttle lookups").isFalse();
    }

    @Test
    void ipv6NetworksHaveTheirOwnHigherLimits() {
        // per /64 3, per /56 12, per /48 48
        for (int net = 0; net < 4; net++) { // four /64s of one /56, 3 each: no /64 goes over
            for (int i = 0; i < 3; i++) {
                assertThat(guard.unknownToken("2001:db8:1:10" + net + "::" + (i + 1), T0)).isNull();
            }
        }
        assertThat(guard.isThrottled("2001:db8:1:1ff::1", T0)).isFalse();
        assertThat(guard.unknownToken("2001:db8:1:1aa::1", T0)).as("the 13th from the /56")
                .contains("more than 12").contains("2001:db8:1:100::/56");
        assertThat(guard.isThrottled("2001:db8:1:1ff::1", T0)).as("anywhere in the /56").isTrue();
        assertThat(guard.isThrottled("2001:db8:1:200::1", T0)).as("another /56").isFalse();
        for (int net = 2; net < 5; net++) { // three more /56s of the /48, 12 each: the /48 reaches 49
            for (int i = 0; i < 12; i++) {
                guard.unknownToken("2001:db8:1:" + Integer.toHexString(net << 8 | i) + "::1", T0);
            }
        }
        assertThat(guard.isThrottled("2001:db8:1:ff00::1", T0)).as("anywhere in the /48").isTrue();
        assertThat(guard.isThrottled("2001:db8:2::1", T0)).as("another /48").isFalse();
    }

    @Test
    void allClientsTogetherAreCappedForAMinute() {
        ClientGuard capped = new ClientGuard(SessionConfig.builder().maxUnknownTokensPerMinuteTotal(10).build());
        for (int i = 0; i < 10; i++) {
            assertThat(capped.unknownToken("192.0.2." + i, T0)).isNull();
        }
        assertThat(capped.unknownToken("192.0.2.200", T0)).contains("all clients").contains("PT1M");
        assertThat(capped.isThrottled("198.51.100.1", T0.plusSeconds(59))).isTrue();
        assertThat(capped.isThrottled(null, T0)).as("no address: the application's own calls").isFalse();
        assertThat(capped.isThrottled("198.51.100.1", T0.plusSeconds(60))).isFalse();
    }

    @Test
    void aNat64AddressCountsAsTheIpv4AddressItCarries() {
        for (int i = 0; i < 2; i++) {
            guard.unknownToken("64:ff9b::198.51.100.66", T0);
            guard.unknownToken("198.51.100.66", T0);
        }
        assertThat(guard.isThrottled("64:ff9b::c633:6442", T0)).as("198.51.100.66, spelled in hex").isTrue();
        assertThat(guard.isThrottled("64:ff9b::198.51.100.67", T0)).as("another IPv4 client of the gateway")
                .isFalse();
    }
}
