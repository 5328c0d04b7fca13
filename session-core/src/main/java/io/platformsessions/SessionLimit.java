package io.platformsessions;

import io.platformsessions.spi.SessionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The per-user session limit ({@link SessionConfig#maxSessionsPerUser()}, {@link SessionConfig#limitPolicy()}),
 * settled after the insert from the store's count alone ({@link io.platformsessions.spi.SessionStore#insertAndCountLive},
 * which is exact under concurrency): a login over the limit is deleted again under REFUSE, or ends the
 * least recently used others under EVICT. One round trip on stores that count while inserting.
 * Thread-safe.
 */
final class SessionLimit {
    /**
     * One order every node agrees on (ties broken by creation, then by key): logins settling at the same moment
     * on several nodes then pick their victims from the front of the same list, so they end the same sessions
     * rather than one each.
     */
    private static final Comparator<SessionRecord> LEAST_RECENTLY_USED_FIRST = Comparator
            .comparing(SessionRecord::lastActivityAt).thenComparing(SessionRecord::createdAt)
            .thenComparing(r -> r.key().hex());

    private final SessionConfig config;
    private final StoreCalls store;
    private final SessionCache cache;
    private final Termination termination;

    SessionLimit(SessionConfig config, StoreCalls store, SessionCache cache, Termination termination) {
        this.config = config;
        this.store = store;
        this.cache = cache;
        this.termination = termination;
    }

    /**
     * Stores a new session within the user's limit.
     *
     * @param record the new session
     * @param now the engine's time
     * @throws SessionLimitException under REFUSE when the user is at the limit (nothing is left behind)
     * @throws SessionStoreException if the store fails
     */
    void insert(SessionRecord record, Instant now) {
        int live = store.insertAndCountLive(record, now);
        if (live > config.maxSessionsPerUser()) {
            settle(record.userId(), record, live - config.maxSessionsPerUser(), now);
        }
    }

    /**
     * Our insert made the user {@code excess} over the limit: undo our own session (REFUSE) or end the least
     * recently used others (EVICT); sessions other logins ended since our count no longer need ending.
     */
    private void settle(String userId, SessionRecord mine, int excess, Instant now) {
        if (config.limitPolicy() == SessionConfig.LimitPolicy.REFUSE) {
            store.delete(mine.key(), InvalidationReason.SESSION_LIMIT, now);
            cache.ended(mine.key());
            throw new SessionLimitException(config.maxSessionsPerUser());
        }
        List<SessionRecord> live = new ArrayList<>();
        for (SessionRecord r : store.findByUser(userId)) {
            if (!r.expiredAt(now)) {
                live.add(r);
            }
        }
        int evict = Math.min(excess, live.size() - config.maxSessionsPerUser());
        live.removeIf(r -> r.key().equals(mine.key()));
        live.sort(LEAST_RECENTLY_USED_FIRST);
        for (int i = 0; i < evict && i < live.size(); i++) {
            termination.end(live.get(i), InvalidationReason.SESSION_LIMIT, now);
        }
    }
}
