package io.platformsessions;

import io.platformsessions.spi.SessionRecord;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How sessions end, in one place: deleted from the store, dropped from every cache (the
 * {@link SessionCache} remembers the key and announces it), counted, and reported as an event; and
 * expired sessions removed in bulk. Thread-safe.
 */
final class Termination {
    /** "Log out everywhere" reads the user's sessions again at most this many times. */
    static final int MAX_PASSES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(DefaultSessionManager.class);

    private final StoreCalls store;
    private final SessionCache cache;
    private final EngineCounters counters;
    private final Listeners listeners;

    Termination(StoreCalls store, SessionCache cache, EngineCounters counters, Listeners listeners) {
        this.store = store;
        this.cache = cache;
        this.counters = counters;
        this.listeners = listeners;
    }

    /**
     * Ends a session on purpose.
     *
     * @param r the session as last read
     * @param reason why
     * @param now the engine's time
     * @return whether the store had it
     * @throws SessionStoreException if the store fails (the session is then left as it was)
     */
    boolean end(SessionRecord r, InvalidationReason reason, Instant now) {
        boolean deleted = store.delete(r.key(), reason, now);
        cache.ended(r.key());
        if (deleted) {
            counters.invalidated(reason);
            counters.sessionEnded(r.createdAt(), now);
            listeners.emit(new SessionEvent.Invalidated(now, r.key(), r.sessionId(), r.userId(), reason));
        }
        return deleted;
    }

    /**
     * Ends a session found expired: removed (best effort; cleanup catches what this misses) and
     * reported. Never throws for a store failure.
     *
     * @param r the expired session
     * @param now the engine's time
     */
    void expire(SessionRecord r, Instant now) {
        InvalidationReason reason = r.times().expiryReason(now);
        store.deleteExpiredSession(r.key(), reason, now);
        cache.ended(r.key());
        counters.expired(1);
        counters.sessionEnded(r.createdAt(), now);
        listeners.emit(new SessionEvent.Expired(now, r.key(), r.sessionId(), r.userId(), reason));
    }

    /**
     * Deletes expired sessions in batches until none is left (no event per session: the store deletes
     * in bulk).
     *
     * @param now the engine's time
     * @param batchSize rows per store call
     * @return how many were deleted
     */
    int deleteExpired(Instant now, int batchSize) {
        int total = 0;
        while (true) {
            int n = store.deleteExpired(now, batchSize);
            total += n;
            if (n < batchSize) {
                break;
            }
        }
        counters.expired(total);
        if (total > 0) {
            LOG.debug("cleanup removed {} expired sessions", total);
        }
        return total;
    }

    /**
     * Ends every session of a user but {@code keep}, reading the user's sessions again until none is
     * left: a session rotated (re-keyed) or created while the first pass ran would otherwise survive
     * "log out everywhere". At most {@link #MAX_PASSES} passes.
     *
     * @param userId the user
     * @param keep a session to keep, or {@code null}
     * @param reason why
     * @param now the engine's time
     * @return how many sessions were ended
     */
    int endAllOf(String userId, SessionKey keep, InvalidationReason reason, Instant now) {
        int n = 0;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            boolean sawOthers = false;
            for (SessionRecord r : store.findByUser(userId)) {
                if (keep != null && r.key().equals(keep)) {
                    continue;
                }
                sawOthers = true;
                if (end(r, reason, now)) {
                    n++;
                }
            }
            if (!sawOthers) {
                return n;
            }
        }
        LOG.warn("sessions of a user kept appearing while ending them ({} passes); ended {}", MAX_PASSES, n);
        return n;
    }
}
