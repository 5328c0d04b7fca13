package io.platformsessions;

import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every call the engine makes to its {@link SessionStore}, with the failure rules in one place:
 * <ul>
 * <li>reads are retried under the {@link RetryPolicy} while the failure is transient;</li>
 * <li>writes are never repeated here (the engine cannot know whether a failed write took effect);</li>
 * <li>best-effort writes (recording activity, deleting a session found expired) never throw: a
 *     failure is logged and counted, and after a failed touch further touches pause for
 *     {@link #TOUCH_PAUSE_AFTER_FAILURE}, so a down database does not cost every cached request a
 *     timeout;</li>
 * <li>a store's {@link IllegalArgumentException} (input over a limit of its own) passes through as
 *     bad input; any other {@link RuntimeException} becomes a {@link SessionStoreException}, and every
 *     failure counts in {@link SessionMetrics#storeErrors()}.</li>
 * </ul>
 * Thread-safe.
 */
final class StoreCalls {
    /** How long touches pause after one failed. */
    static final Duration TOUCH_PAUSE_AFTER_FAILURE = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(DefaultSessionManager.class);

    /** What a best-effort touch did. */
    enum Touch {
        /** The stored activity moved. */
        MOVED,
        /** Nothing changed: the session is gone, or its stored activity is already as late. */
        UNCHANGED,
        /** Not done: the store failed now or recently; the session is fine. */
        SKIPPED
    }

    private final SessionStore store;
    private final RetryPolicy retryPolicy;
    private final EngineCounters counters;
    private volatile long touchesPausedUntilMillis = Long.MIN_VALUE;

    StoreCalls(SessionStore store, RetryPolicy retryPolicy, EngineCounters counters) {
        this.store = store;
        this.retryPolicy = retryPolicy;
        this.counters = counters;
    }

    Optional<SessionRecord> find(SessionKey key) {
        return read(() -> store.find(key));
    }

    List<SessionRecord> findByUser(String userId) {
        return read(() -> store.findByUser(userId));
    }

    Map<String, Long> countActiveByPlatformType(Instant now) {
        return read(() -> store.countActiveByPlatformType(now));
    }

    int insertAndCountLive(SessionRecord record, Instant now) {
        return write(() -> store.insertAndCountLive(record, now));
    }

    boolean update(SessionRecord next, long expectedVersion) {
        return write(() -> store.update(next, expectedVersion));
    }

    boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
        return write(() -> store.rekey(oldKey, next, expectedVersion));
    }

    boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
        return write(() -> store.delete(key, reason, endedAt));
    }

    int deleteExpired(Instant now, int batchSize) {
        return write(() -> store.deleteExpired(now, batchSize));
    }

    /**
     * Whether touches are paused after a recent failure.
     *
     * @param nowMillis the engine's time
     * @return {@code true} while paused
     */
    boolean touchesPaused(long nowMillis) {
        return nowMillis < touchesPausedUntilMillis;
    }

    /**
     * Records activity, best effort: a failure only delays the idle deadline's update.
     *
     * @param key the session
     * @param now the activity time
     * @param idleExpiresAt {@code now} plus the idle timeout
     * @return what happened; never throws
     */
    Touch touch(SessionKey key, Instant now, Instant idleExpiresAt) {
        try {
            return store.touch(key, now, idleExpiresAt) ? Touch.MOVED : Touch.UNCHANGED;
        } catch (RuntimeException e) {
            counters.storeError();
            touchesPausedUntilMillis = now.toEpochMilli() + TOUCH_PAUSE_AFTER_FAILURE.toMillis();
            LOG.warn("could not record activity of session {}…; pausing activity writes for {} ms: {}",
                    key.prefix(), TOUCH_PAUSE_AFTER_FAILURE.toMillis(), e.toString());
            return Touch.SKIPPED;
        }
    }

    /**
     * Deletes a session found expired, best effort: cleanup removes it later if this fails, and the
     * session is expired either way.
     *
     * @param key the session
     * @param reason which timeout ended it
     * @param endedAt when
     */
    void deleteExpiredSession(SessionKey key, InvalidationReason reason, Instant endedAt) {
        try {
            store.delete(key, reason, endedAt);
        } catch (RuntimeException e) {
            counters.storeError();
            LOG.warn("could not delete expired session {}…: {}", key.prefix(), e.toString());
        }
    }

    private <T> T read(Supplier<T> op) {
        for (int attempt = 1; ; attempt++) {
            try {
                return op.get();
            } catch (SessionStoreException e) {
                counters.storeError();
                if (!e.isTransient() || attempt >= retryPolicy.maxAttempts()) {
                    throw e;
                }
                LOG.debug("store read failed (attempt {} of {}), retrying: {}", attempt, retryPolicy.maxAttempts(),
                        e.toString());
                pause(retryPolicy.backoffBefore(attempt + 1));
            } catch (RuntimeException e) {
                throw translate(e);
            }
        }
    }

    private <T> T write(Supplier<T> op) {
        try {
            return op.get();
        } catch (SessionStoreException e) {
            counters.storeError();
            throw e;
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** The one mapping of a store's unexpected exception. */
    private RuntimeException translate(RuntimeException e) {
        if (e instanceof IllegalArgumentException) {
            return e; // the store refused the input (a limit of its own): bad input, not an outage
        }
        counters.storeError();
        return SessionStoreException.permanentFailure("session store failed: " + e, e);
    }

    private static void pause(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SessionStoreException.permanentFailure("interrupted while waiting to retry the session store", e);
        }
    }
}
