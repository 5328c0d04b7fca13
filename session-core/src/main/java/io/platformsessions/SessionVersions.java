package io.platformsessions;

import io.platformsessions.spi.SessionRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * Reads the live version of a session (the cache's copy when it may be served, else the store's) and
 * writes the next version with compare-and-set. A write is repeated only when the version check proved
 * the previous attempt wrote nothing: then the engine re-reads the store and re-applies the change,
 * with jittered backoff after the first conflicts. A store failure is never repeated. Thread-safe.
 */
final class SessionVersions {
    /** Compare-and-set attempts before {@link ConcurrentSessionUpdateException}. */
    static final int MAX_ATTEMPTS = 64;

    private final Clock clock;
    private final StoreCalls store;
    private final SessionCache cache;
    private final Termination termination;

    SessionVersions(Clock clock, StoreCalls store, SessionCache cache, Termination termination) {
        this.clock = clock;
        this.store = store;
        this.cache = cache;
        this.termination = termination;
    }

    /**
     * The live session: the cached copy if it may be served and is not expired, else the store's.
     *
     * @param key the session
     * @param now the engine's time
     * @return the record, or {@code null} if there is no live session (an expired one is ended)
     */
    SessionRecord loadLive(SessionKey key, Instant now) {
        SessionRecord r = cache.get(key, now);
        if (r != null && !r.expiredAt(now)) {
            return r;
        }
        return loadLiveFromStore(key, now);
    }

    /**
     * The live session as the store has it; cached if nothing newer is known.
     *
     * @param key the session
     * @param now the engine's time
     * @return the record, or {@code null} if there is no live session (an expired one is ended)
     */
    SessionRecord loadLiveFromStore(SessionKey key, Instant now) {
        long ticket = cache.ticket();
        SessionRecord r = store.find(key).orElse(null);
        if (r == null) {
            cache.absent(key);
            return null;
        }
        if (r.expiredAt(now)) {
            termination.expire(r, now);
            return null;
        }
        cache.loaded(r, ticket, now);
        return r;
    }

    /**
     * Applies {@code change} to the live session with compare-and-set.
     *
     * @param key the session
     * @param justRead a live copy the caller has just read (saves a read), or {@code null}
     * @param change the change; may run more than once, on newer versions; returns {@code null} when the
     *     version it is given needs no change (then nothing is written)
     * @return the version written, or {@code null} if {@code change} returned {@code null}
     * @throws SessionNotFoundException if the session is not live
     * @throws ConcurrentSessionUpdateException if other writers kept winning
     */
    SessionRecord update(SessionKey key, SessionRecord justRead, UnaryOperator<SessionRecord> change) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            SessionRecord current = attempt > 1 ? loadLiveFromStore(key, now)
                    : justRead != null && !justRead.expiredAt(now) ? justRead : loadLive(key, now);
            if (current == null) {
                throw new SessionNotFoundException(key.prefix());
            }
            SessionRecord changed = change.apply(current);
            if (changed == null) {
                return null;
            }
            SessionRecord next = changed.withVersion(current.version() + 1);
            long ticket = cache.ticket();
            if (store.update(next, current.version())) {
                cache.written(next, ticket, now);
                return next;
            }
            cache.conflict(key, current.version());
            backOffAfterConflict(attempt);
        }
        throw new ConcurrentSessionUpdateException("session " + key.prefix() + "… kept changing; update gave up after "
                + MAX_ATTEMPTS + " attempts");
    }

    /**
     * Moves the live session to a new key with compare-and-set (rotation).
     *
     * @param key the current key
     * @param toNext makes the next state, with its new key, from the current one; may run more than once
     * @return the version written, under its new key
     * @throws SessionNotFoundException if the session is not live
     * @throws ConcurrentSessionUpdateException if other writers kept winning
     */
    SessionRecord rekey(SessionKey key, UnaryOperator<SessionRecord> toNext) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            SessionRecord current = attempt == 1 ? loadLive(key, now) : loadLiveFromStore(key, now);
            if (current == null) {
                throw new SessionNotFoundException(key.prefix());
            }
            SessionRecord next = toNext.apply(current).withVersion(current.version() + 1);
            long ticket = cache.ticket();
            if (store.rekey(key, next, current.version())) {
                cache.rekeyed(key, next, ticket, now);
                return next;
            }
            cache.conflict(key, current.version());
            backOffAfterConflict(attempt);
        }
        throw new ConcurrentSessionUpdateException("session " + key.prefix() + "… kept changing; rotation gave up after "
                + MAX_ATTEMPTS + " attempts");
    }

    /**
     * Spreads out writers that keep colliding on one session: without it, 8 threads hammering one
     * row can starve one of them past any fixed attempt limit.
     */
    private static void backOffAfterConflict(int attempt) {
        if (attempt < 3) {
            Thread.yield();
            return;
        }
        long maxMicros = 50L << Math.min(attempt - 3, 6); // 50 us doubling up to 3.2 ms
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(maxMicros) * 1000);
    }
}
