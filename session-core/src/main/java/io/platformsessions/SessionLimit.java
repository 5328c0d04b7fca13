package io.platformsessions;

import io.platformsessions.spi.SessionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-user session limit ({@link SessionConfig#maxSessionsPerUser()}, {@link SessionConfig#limitPolicy()}),
 * settled after the insert: one round trip on stores that count while inserting. The count may miss
 * a create racing on another node, so at the limit (and when this node has creates in flight for the
 * user) a second, exact look settles it: under REFUSE the new session is deleted again, under EVICT the
 * least recently used others end. Thread-safe.
 */
final class SessionLimit {
    private final SessionConfig config;
    private final StoreCalls store;
    private final SessionCache cache;
    private final Termination termination;
    /** Creates in progress per user on this node, to tell when the limit needs a second look. */
    private final Map<String, Integer> creating = new ConcurrentHashMap<>();

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
        String userId = record.userId();
        int concurrent = creating.merge(userId, 1, Integer::sum);
        try {
            int live = store.insertAndCountLive(record, now);
            if (live >= config.maxSessionsPerUser() || concurrent > 1) {
                settle(userId, record, now);
            }
        } finally {
            creating.computeIfPresent(userId, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    private void settle(String userId, SessionRecord mine, Instant now) {
        List<SessionRecord> live = new ArrayList<>();
        for (SessionRecord r : store.findByUser(userId)) {
            if (!r.expiredAt(now)) {
                live.add(r);
            }
        }
        int excess = live.size() - config.maxSessionsPerUser();
        if (excess <= 0) {
            return;
        }
        if (config.limitPolicy() == SessionConfig.LimitPolicy.REFUSE) {
            store.delete(mine.key(), InvalidationReason.SESSION_LIMIT, now);
            cache.ended(mine.key());
            throw new SessionLimitException(config.maxSessionsPerUser());
        }
        live.removeIf(r -> r.key().equals(mine.key()));
        live.sort(Comparator.comparing(SessionRecord::lastActivityAt));
        for (int i = 0; i < excess && i < live.size(); i++) {
            termination.end(live.get(i), InvalidationReason.SESSION_LIMIT, now);
        }
    }
}
