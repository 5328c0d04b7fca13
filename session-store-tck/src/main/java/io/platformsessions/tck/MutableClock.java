package io.platformsessions.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that tests move by hand, so that expiry, touch intervals and cool-downs are tested without
 * sleeping: pass it to {@code SessionConfig.builder().clock(...)} and call {@link #advance(Duration)}.
 * Always in UTC. Thread-safe: the time is a volatile field, so a move is seen at once by every
 * thread.
 */
public final class MutableClock extends Clock {
    private volatile Instant now;

    /**
     * Creates a clock standing at {@code start}.
     *
     * @param start the initial time
     * @throws NullPointerException if {@code start} is null
     */
    public MutableClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /**
     * Moves the clock forward (or backward, for a negative duration).
     *
     * @param d how far
     * @throws NullPointerException if {@code d} is null
     */
    public void advance(Duration d) {
        now = now.plus(Objects.requireNonNull(d, "d"));
    }

    /**
     * Sets the clock to an instant.
     *
     * @param instant the new time
     * @throws NullPointerException if {@code instant} is null
     */
    public void set(Instant instant) {
        now = Objects.requireNonNull(instant, "instant");
    }

    /**
     * The current time of this clock.
     *
     * @return the instant last set or reached by {@link #advance(Duration)}
     */
    @Override
    public Instant instant() {
        return now;
    }

    /**
     * Always UTC.
     *
     * @return {@link ZoneOffset#UTC}
     */
    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /**
     * This clock itself: the zone does not change the instant, which is all the engine reads.
     *
     * @param zone ignored
     * @return this clock
     */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
