package io.platformsessions.memory;

import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SessionStore} in a {@link ConcurrentHashMap}: for tests, demos and single-node apps that
 * accept losing sessions on restart. Thread-safe; compare-and-set updates are atomic per key.
 */
public final class InMemorySessionStore implements SessionStore {
    private final ConcurrentHashMap<SessionKey, SessionRecord> sessions = new ConcurrentHashMap<>();
    private final Object rekeyLock = new Object();

    /** Creates an empty store. */
    public InMemorySessionStore() {
    }

    @Override
    public void insert(SessionRecord record) {
        if (sessions.putIfAbsent(record.key(), record) != null) {
            throw SessionStoreException.permanentFailure("a session with key " + record.key().prefix() + "… exists", null);
        }
    }

    @Override
    public Optional<SessionRecord> find(SessionKey key) {
        return Optional.ofNullable(sessions.get(key));
    }

    @Override
    public boolean update(SessionRecord next, long expectedVersion) {
        boolean[] written = {false};
        sessions.computeIfPresent(next.key(), (k, current) -> {
            if (current.version() != expectedVersion) {
                return current;
            }
            written[0] = true;
            return next;
        });
        return written[0];
    }

    @Override
    public boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
        synchronized (rekeyLock) {
            SessionRecord current = sessions.get(oldKey);
            if (current == null || current.version() != expectedVersion) {
                return false;
            }
            if (sessions.putIfAbsent(next.key(), next) != null) {
                throw SessionStoreException.permanentFailure("a session with key " + next.key().prefix() + "… exists", null);
            }
            if (!sessions.remove(oldKey, current)) {
                // a concurrent update won between our read and now: undo
                sessions.remove(next.key(), next);
                return false;
            }
            return true;
        }
    }

    @Override
    public boolean touch(SessionKey key, Instant lastActivityAt, Instant idleExpiresAt) {
        boolean[] moved = {false};
        sessions.computeIfPresent(key, (k, current) -> {
            if (!current.lastActivityAt().isBefore(lastActivityAt)) {
                return current;
            }
            moved[0] = true;
            // the stored absolute expiry caps it (SessionTimes.touchedAt), not the caller's copy
            return current.withTimes(current.times().touchedAt(lastActivityAt,
                    Duration.between(lastActivityAt, idleExpiresAt)));
        });
        return moved[0];
    }

    @Override
    public boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
        return sessions.remove(key) != null;
    }

    @Override
    public List<SessionRecord> findByUser(String userId) {
        List<SessionRecord> out = new ArrayList<>();
        for (SessionRecord r : sessions.values()) {
            if (r.userId().equals(userId)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public int deleteExpired(Instant now, int batchSize) {
        int deleted = 0;
        Iterator<Map.Entry<SessionKey, SessionRecord>> it = sessions.entrySet().iterator();
        while (it.hasNext() && deleted < batchSize) {
            Map.Entry<SessionKey, SessionRecord> e = it.next();
            if (e.getValue().expiredAt(now) && sessions.remove(e.getKey(), e.getValue())) {
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public Map<String, Long> countActiveByPlatformType(Instant now) {
        Map<String, Long> counts = new HashMap<>();
        for (SessionRecord r : sessions.values()) {
            if (!r.expiredAt(now)) {
                counts.merge(r.platform() == null ? "" : r.platform().type(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /**
     * Number of stored sessions, expired or not.
     *
     * @return the count
     */
    public int size() {
        return sessions.size();
    }
}
