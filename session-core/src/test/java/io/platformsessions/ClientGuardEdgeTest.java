package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The exact edges of the guard's header limit and of its rate limiter's answers. */
class ClientGuardEdgeTest {
    private final ClientGuard guard = new ClientGuard(SessionConfig.builder().build());

    @Test
    void headersOfExactlyTheLimitAreStillCached() {
        String ua = "x".repeat(Limits.MAX_CLIENT_HEADER_LENGTH);
        String ip = "203.0.113.7";
        assertThat(guard.binding(new ClientInfo(ip, ua, "en"))).isSameAs(guard.binding(new ClientInfo(ip, ua, "en")));
        String lang = "en" + " ".repeat(Limits.MAX_CLIENT_HEADER_LENGTH - 2);
        assertThat(guard.binding(new ClientInfo(ip, "curl/8", lang)))
                .isSameAs(guard.binding(new ClientInfo(ip, "curl/8", lang)));
        String longLang = lang + " ";
        assertThat(guard.binding(new ClientInfo(ip, "curl/8", longLang)))
                .isNotSameAs(guard.binding(new ClientInfo(ip, "curl/8", longLang)));
    }

    @Test
    void aLimiterReportsOnceAWindowAndTracksItsSubjects() {
        RateLimiter<String> limiter = new RateLimiter<>(1, Duration.ZERO, 10);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(limiter.trackedSubjects()).isZero();
        assertThat(limiter.record("a", t)).isFalse();
        assertThat(limiter.record("a", t)).as("over the limit: reported").isTrue();
        assertThat(limiter.record("a", t)).as("reported once a window").isFalse();
        assertThat(limiter.isBlocked("a", t)).as("no cool-down: never blocked").isFalse();
        limiter.record("b", t);
        assertThat(limiter.trackedSubjects()).isEqualTo(2);
        assertThat(limiter.record("a", t.plus(RateLimiter.WINDOW))).as("a new window starts afresh").isFalse();
        assertThat(limiter.record("a", t.plus(RateLimiter.WINDOW))).isTrue();
    }
}
