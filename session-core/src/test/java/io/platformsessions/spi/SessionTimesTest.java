package io.platformsessions.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.InvalidationReason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The session time arithmetic on its own: creation, activity, extension, expiry and its reason. */
class SessionTimesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Duration IDLE = Duration.ofMinutes(30);
    private static final Duration ABSOLUTE = Duration.ofHours(12);
    private static final Duration MAX_LIFETIME = Duration.ofHours(24);

    @Test
    void aNewSessionExpiresAtTheEarlierOfIdleAndAbsolute() {
        SessionTimes t = SessionTimes.startingAt(T0, IDLE, ABSOLUTE);
        assertThat(t).isEqualTo(new SessionTimes(T0, T0, T0.plus(IDLE), T0.plus(ABSOLUTE)));
        SessionTimes shortAbsolute = SessionTimes.startingAt(T0, IDLE, Duration.ofMinutes(10));
        assertThat(shortAbsolute.expiresAt()).as("absolute earlier than idle").isEqualTo(T0.plusSeconds(600));
        assertThat(shortAbsolute.absoluteExpiresAt()).isEqualTo(T0.plusSeconds(600));
    }

    @Test
    void expiredExactlyAtTheDeadlineNotBefore() {
        SessionTimes t = SessionTimes.startingAt(T0, IDLE, ABSOLUTE);
        assertThat(t.expiredAt(T0.plus(IDLE).minusMillis(1))).isFalse();
        assertThat(t.expiredAt(T0.plus(IDLE))).as("at the deadline").isTrue();
        assertThat(t.expiredAt(T0.plus(IDLE).plusMillis(1))).isTrue();
    }

    @Test
    void activityMovesTheIdleDeadlineButNeverPastTheAbsoluteOne() {
        SessionTimes t = SessionTimes.startingAt(T0, IDLE, ABSOLUTE);
        SessionTimes later = t.touchedAt(T0.plusSeconds(600), IDLE);
        assertThat(later).isEqualTo(new SessionTimes(T0, T0.plusSeconds(600), T0.plusSeconds(600).plus(IDLE),
                T0.plus(ABSOLUTE)));
        Instant nearTheEnd = T0.plus(ABSOLUTE).minusSeconds(60);
        SessionTimes capped = t.touchedAt(nearTheEnd, IDLE);
        assertThat(capped.lastActivityAt()).isEqualTo(nearTheEnd);
        assertThat(capped.expiresAt()).as("capped by the absolute expiry").isEqualTo(T0.plus(ABSOLUTE));
    }

    @Test
    void activityNeverMovesBackwards() {
        SessionTimes t = SessionTimes.startingAt(T0, IDLE, ABSOLUTE).touchedAt(T0.plusSeconds(600), IDLE);
        SessionTimes earlier = t.touchedAt(T0.plusSeconds(300), IDLE);
        assertThat(earlier).as("an earlier clock reading changes nothing").isEqualTo(t);
        assertThat(t.touchedAt(t.lastActivityAt(), IDLE)).isEqualTo(t);
    }

    @Test
    void extensionLengthensFromNowAndRecordsActivity() {
        SessionTimes t = SessionTimes.startingAt(T0, IDLE, ABSOLUTE);
        Instant now = T0.plus(Duration.ofHours(2));
        SessionTimes extended = t.extendedBy(now, Duration.ofHours(14), MAX_LIFETIME, IDLE);
        assertThat(extended).isEqualTo(new SessionTimes(T0, now, now.plus(IDLE), now.plus(Duration.ofHours(14))));
    }

    @Test
    void extensionIsCappedByTheMaximumLifetime() {
        SessionTimes t = SessionTimes.startingAt(T0, IDLE, ABSOLUTE);
        Instant now = T0.plus(Duration.ofHours(20));
        SessionTimes extended = t.extendedBy(now, Duration.ofHours(12), MAX_LIFETIME, IDLE);
        assertThat(extended.absoluteExpiresAt()).isEqualTo(T0.plus(MAX_LIFETIME));
        assertThat(extended.expiresAt()).isEqualTo(now.plus(IDLE));
        Instant late = T0.plus(MAX_LIFETIME).minusSeconds(60);
        assertThat(t.extendedBy(late, Duration.ofHours(1), MAX_LIFETIME, IDLE).expiresAt())
                .as("idle expiry capped by the capped absolute expiry").isEqualTo(T0.plus(MAX_LIFETIME));
    }

    @Test
    void extensionNeverShortens() {
        SessionTimes t = SessionTimes.startingAt(T0, IDLE, ABSOLUTE);
        SessionTimes extended = t.extendedBy(T0.plusSeconds(60), Duration.ofMinutes(5), MAX_LIFETIME, IDLE);
        assertThat(extended.absoluteExpiresAt()).isEqualTo(T0.plus(ABSOLUTE));
        SessionTimes beyondCap = new SessionTimes(T0, T0, T0.plus(IDLE), T0.plus(Duration.ofHours(30)));
        assertThat(beyondCap.extendedBy(T0.plusSeconds(60), Duration.ofHours(1), MAX_LIFETIME, IDLE)
                .absoluteExpiresAt()).as("already past the cap: stays").isEqualTo(T0.plus(Duration.ofHours(30)));
    }

    @Test
    void extensionNeverMovesActivityBackwards() {
        SessionTimes t = SessionTimes.startingAt(T0, IDLE, ABSOLUTE).touchedAt(T0.plusSeconds(600), IDLE);
        SessionTimes extended = t.extendedBy(T0.plusSeconds(300), Duration.ofHours(13), MAX_LIFETIME, IDLE);
        assertThat(extended.lastActivityAt()).isEqualTo(T0.plusSeconds(600));
        assertThat(extended.absoluteExpiresAt()).isEqualTo(T0.plusSeconds(300).plus(Duration.ofHours(13)));
    }

    @Test
    void theReasonIsAbsoluteFromTheAbsoluteDeadlineOnAndIdleBefore() {
        SessionTimes t = new SessionTimes(T0, T0, T0.plus(IDLE), T0.plus(ABSOLUTE));
        assertThat(t.expiryReason(T0.plus(IDLE))).isEqualTo(InvalidationReason.IDLE_TIMEOUT);
        assertThat(t.expiryReason(T0.plus(ABSOLUTE).minusMillis(1))).isEqualTo(InvalidationReason.IDLE_TIMEOUT);
        assertThat(t.expiryReason(T0.plus(ABSOLUTE))).isEqualTo(InvalidationReason.ABSOLUTE_TIMEOUT);
        SessionTimes absoluteFirst = SessionTimes.startingAt(T0, IDLE, Duration.ofMinutes(10));
        assertThat(absoluteFirst.expiryReason(absoluteFirst.expiresAt())).isEqualTo(InvalidationReason.ABSOLUTE_TIMEOUT);
    }

    @Test
    void everyInstantIsRequired() {
        assertThatThrownBy(() -> new SessionTimes(null, T0, T0, T0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SessionTimes(T0, T0, T0, null)).isInstanceOf(NullPointerException.class);
    }
}
