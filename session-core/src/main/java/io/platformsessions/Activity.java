package io.platformsessions;

import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When activity is written: at most once per {@link SessionConfig#touchInterval()}, by reads (a
 * version-free touch) and writes (the times travel with the compare-and-set) alike. Within the
 * interval the times stay as they are, so a write leaves the indexed expiry column alone (on
 * PostgreSQL that keeps the UPDATE heap-only) and a busy session costs one touch a minute.
 * Thread-safe.
 */
final class Activity {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultSessionManager.class);

    private final Duration idleTimeout;
    private final long touchIntervalMillis;
    private final StoreCalls store;
    private final SessionCache cache;

    Activity(SessionConfig config, StoreCalls store, SessionCache cache) {
        this.idleTimeout = config.idleTimeout();
        this.touchIntervalMillis = config.touchInterval().toMillis();
        this.store = store;
        this.cache = cache;
    }

    private boolean due(SessionRecord r, long nowMillis) {
        return nowMillis - r.lastActivityAt().toEpochMilli() >= touchIntervalMillis;
    }

    /**
     * The record a write should store: with activity recorded if the interval has passed.
     *
     * @param r the record the write starts from
     * @param now the engine's time
     * @return {@code r} itself, or {@code r} with later times
     */
    SessionRecord inWrite(SessionRecord r, Instant now) {
        return due(r, now.toEpochMilli()) ? r.withTimes(r.times().touchedAt(now, idleTimeout)) : r;
    }

    /**
     * Records the activity of a read when due (a touch; paused for a while after a failed one).
     *
     * @param r the live record just resolved
     * @param now the engine's time
     * @return the record to use, or {@code null} if the store turned out to have no live session
     */
    SessionRecord onRead(SessionRecord r, Instant now) {
        long nowMillis = now.toEpochMilli();
        if (!due(r, nowMillis) || store.touchesPaused(nowMillis)) {
            return r;
        }
        StoreCalls.Touch result = store.touch(r.key(), now, now.plus(idleTimeout));
        if (result == StoreCalls.Touch.SKIPPED) {
            return r;
        }
        if (result == StoreCalls.Touch.UNCHANGED) {
            return afterTouchThatMovedNothing(r, now);
        }
        SessionRecord touched = r.withTimes(r.times().touchedAt(now, idleTimeout));
        cache.touched(touched);
        return touched;
    }

    /**
     * The store changed nothing: either another node recorded later activity, or the session is gone from
     * the store behind this node's cache (deleted directly in the database, or lost in a database crash
     * after an asynchronous create commit). One read tells which, so such a session stops working within
     * one touch interval and cannot outlive "log out everywhere" in a cache.
     */
    private SessionRecord afterTouchThatMovedNothing(SessionRecord r, Instant now) {
        long ticket = cache.ticket();
        SessionRecord stored;
        try {
            stored = store.find(r.key()).orElse(null);
        } catch (RuntimeException e) {
            return r; // as after a failed touch: the next due touch asks again
        }
        if (stored == null || stored.expiredAt(now)) {
            LOG.debug("session {}… is no longer in the store; dropping the cached copy", r.key().prefix());
            cache.absent(r.key());
            return null;
        }
        cache.loaded(stored, ticket, now);
        return stored;
    }
}
