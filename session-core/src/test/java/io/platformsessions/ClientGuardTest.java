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
        assertThat(guard.unknownToken(null, T0)).as("no address, nothing to count").isFalse();
        for (int i = 0; i < 3; i++) {
            assertThat(guard.unknownToken(ip, T0)).isFalse();
        }
        assertThat(guard.isThrottled(ip, T0)).isFalse();
        assertThat(guard.unknownToken(ip, T0)).as("reported once").isTrue();
        assertThat(guard.unknownToken(ip, T0)).isFalse();
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
}
