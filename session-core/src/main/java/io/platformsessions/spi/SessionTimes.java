package io.platformsessions.spi;

import io.platformsessions.InvalidationReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A session's four instants and the one place their arithmetic lives: creation, activity,
 * extension, expiry. Immutable and thread-safe; every method returns a new value.
 *
 * <p>The rules: the effective expiry is the earlier of {@code lastActivityAt + idleTimeout} and the
 * absolute expiry; activity never moves backwards; an extension never shortens a session and never
 * moves its absolute expiry past {@code createdAt + maxLifetime}; a session is expired from the
 * instant of its effective expiry on (inclusive).
 *
 * @param createdAt creation time
 * @param lastActivityAt last recorded activity
 * @param expiresAt effective expiry: idle or absolute, whichever is first
 * @param absoluteExpiresAt absolute expiry
 */
public record SessionTimes(Instant createdAt, Instant lastActivityAt, Instant expiresAt, Instant absoluteExpiresAt) {

    /**
     * Checks that every instant is present. Ordering is not checked: a store returns what it holds.
     *
     * @param createdAt the {@code createdAt} component
     * @param lastActivityAt the {@code lastActivityAt} component
     * @param expiresAt the {@code expiresAt} component
     * @param absoluteExpiresAt the {@code absoluteExpiresAt} component
     * @throws NullPointerException if any is null
     */
    public SessionTimes {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastActivityAt, "lastActivityAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(absoluteExpiresAt, "absoluteExpiresAt");
    }

    /**
     * The times of a session created at {@code now}: active now, absolute expiry
     * {@code now + absoluteTimeout}, effective expiry the earlier of that and {@code now + idleTimeout}.
     *
     * @param now the creation time
     * @param idleTimeout the idle timeout, positive
     * @param absoluteTimeout the absolute timeout, positive
     * @return the times
     * @throws NullPointerException if an argument is null
     */
    public static SessionTimes startingAt(Instant now, Duration idleTimeout, Duration absoluteTimeout) {
        Instant absolute = now.plus(absoluteTimeout);
        return new SessionTimes(now, now, earliest(now.plus(idleTimeout), absolute), absolute);
    }

    /**
     * Records activity at {@code now}: last activity becomes the later of {@code now} and the current
     * one (activity never moves backwards), and the effective expiry the earlier of
     * {@code lastActivity + idleTimeout} and the absolute expiry.
     *
     * @param now the time of the activity
     * @param idleTimeout the idle timeout
     * @return the new times; creation and absolute expiry unchanged
     * @throws NullPointerException if an argument is null
     */
    public SessionTimes touchedAt(Instant now, Duration idleTimeout) {
        Instant last = now.isAfter(lastActivityAt) ? now : lastActivityAt;
        return new SessionTimes(createdAt, last, earliest(last.plus(idleTimeout), absoluteExpiresAt),
                absoluteExpiresAt);
    }

    /**
     * Extends the session {@code by} from {@code now} and records activity at {@code now}. The new
     * absolute expiry is {@code min(now + by, createdAt + maxLifetime)}, but never earlier than the
     * current one: an extension never shortens a session, and never moves it past the maximum
     * lifetime (an absolute expiry already beyond that cap stays where it is).
     *
     * @param now the current time
     * @param by how far from now, positive
     * @param maxLifetime the cap counted from creation
     * @param idleTimeout the idle timeout
     * @return the new times
     * @throws NullPointerException if an argument is null
     */
    public SessionTimes extendedBy(Instant now, Duration by, Duration maxLifetime, Duration idleTimeout) {
        Instant wanted = earliest(now.plus(by), createdAt.plus(maxLifetime));
        Instant absolute = wanted.isAfter(absoluteExpiresAt) ? wanted : absoluteExpiresAt;
        return new SessionTimes(createdAt, lastActivityAt, expiresAt, absolute).touchedAt(now, idleTimeout);
    }

    /**
     * Whether the session is expired at {@code now}.
     *
     * @param now the current time
     * @return {@code true} if {@code now} is at or after {@link #expiresAt()}
     */
    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * Which timeout ends (or ended) the session by {@code now}: the absolute one if {@code now} has
     * reached the absolute expiry, else the idle one.
     *
     * @param now the time the session was found expired
     * @return {@link InvalidationReason#ABSOLUTE_TIMEOUT} or {@link InvalidationReason#IDLE_TIMEOUT}
     */
    public InvalidationReason expiryReason(Instant now) {
        return now.isBefore(absoluteExpiresAt) ? InvalidationReason.IDLE_TIMEOUT : InvalidationReason.ABSOLUTE_TIMEOUT;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
