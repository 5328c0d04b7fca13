package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-subject rate limiter behind brute-force refusal and rapid-switch reports. */
class RateLimiterTest {

    @Test
    void limiterCatchesASubjectAgainAfterAShortCoolDown() {
        RateLimiter<String> limiter = new RateLimiter<>(2, Duration.ofSeconds(10), 100);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(limiter.record("ip", t)).isFalse();
        assertThat(limiter.record("ip", t)).isFalse();
        assertThat(limiter.record("ip", t)).isTrue();
        assertThat(limiter.isBlocked("ip", t.plusSeconds(9))).isTrue();
        assertThat(limiter.isBlocked("ip", t.plusSeconds(10))).isFalse();
        // still inside the first minute: a fresh burst must be caught again
        Instant later = t.plusSeconds(20);
        assertThat(limiter.record("ip", later)).isFalse();
        assertThat(limiter.record("ip", later)).isFalse();
        assertThat(limiter.record("ip", later)).isTrue();
        assertThat(limiter.isBlocked("ip", later.plusSeconds(1))).isTrue();
    }

    @Test
    void limiterMemoryIsBounded() {
        RateLimiter<String> limiter = new RateLimiter<>(1, Duration.ofMinutes(1), 100);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 20_000; i++) {
            limiter.record("10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff), t);
        }
        assertThat(limiter.trackedSubjects()).isLessThanOrEqualTo(100);
        assertThat(limiter.isBlocked("never-seen", t)).isFalse();
    }
}
