package io.platformsessions.memory;

import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SessionStore} in memory: for tests, demos and single-node apps that accept losing sessions
 * on restart. Sessions are indexed by user and by effective expiry, so creating a session (which
 * counts the user's sessions) costs in proportion to that user's sessions, and
 * {@link #deleteExpired} to the expired ones, not to everything stored. Thread-safe: reads of one
 * session take no lock; changes take one store-wide lock, which keeps the indexes and the sessions
 * consistent and every compare-and-set atomic.
 */
public final class InMemorySessionStore implements SessionStore {
    /** A session's place in the expiry order; {@code seq} tells apart sessions expiring at the same instant. */
    private record Expiry(Instant at, long seq, SessionKey key) {
    }

    private static final Comparator<Expiry> BY_EXPIRY = Comparator.comparing(Expiry::at).thenComparingLong(Expiry::seq);

    private final ConcurrentHashMap<SessionKey, SessionRecord> sessions = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, Set<SessionKey>> byUser = new HashMap<>();
    private final NavigableSet<Expiry> byExpiry = new TreeSet<>(BY_EXPIRY);
    private final Map<SessionKey, Expiry> expiryOf = new HashMap<>();
    private long nextSeq;
    private long recordsVisited;

    /** Creates an empty store. */
    public InMemorySessionStore() {
    }

    @Override
    public void insert(SessionRecord record) {
        synchronized (lock) {
            if (sessions.containsKey(record.key())) {
                throw SessionStoreException.permanentFailure("a session with key " + record.key().prefix() + "… exists",
                        null);
            }
            put(record);
        }
    }

    @Override
    public Optional<SessionRecord> find(SessionKey key) {
        return Optional.ofNullable(sessions.get(key));
    }

    @Override
    public boolean update(SessionRecord next, long expectedVersion) {
        synchronized (lock) {
            SessionRecord current = sessions.get(next.key());
            if (current == null || current.version() != expectedVersion) {
                return false;
            }
            replace(current, next);
            return true;
        }
    }

    @Override
    public boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
        synchronized (lock) {
            SessionRecord current = sessions.get(oldKey);
            if (current == null || current.version() != expectedVersion) {
                return false;
            }
            if (sessions.containsKey(next.key())) {
                throw SessionStoreException.permanentFailure("a session with key " + next.key().prefix() + "… exists",
                        null);
            }
            put(next); // the new key first: a reader never finds neither
            remove(current);
            return true;
        }
    }

    @Override
    public boolean touch(SessionKey key, Instant lastActivityAt, Instant idleExpiresAt) {
        synchronized (lock) {
            SessionRecord current = sessions.get(key);
            if (current == null || !current.lastActivityAt().isBefore(lastActivityAt)) {
                return false;
            }
            // the stored absolute expiry caps it (SessionTimes.touchedAt), not the caller's copy
            SessionRecord touched = current.withTimes(current.times().touchedAt(lastActivityAt,
                    Duration.between(lastActivityAt, idleExpiresAt)));
            replace(current, touched);
            return true;
        }
    }

    @Override
    public boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
        synchronized (lock) {
            SessionRecord current = sessions.get(key);
            if (current == null) {
                return false;
            }
            remove(current);
            return true;
        }
    }

    @Override
    public List<SessionRecord> findByUser(String userId) {
        synchronized (lock) {
            Set<SessionKey> keys = byUser.get(userId);
            if (keys == null) {
                return new ArrayList<>();
            }
            List<SessionRecord> out = new ArrayList<>(keys.size());
            for (SessionKey k : keys) {
                recordsVisited++;
                out.add(sessions.get(k));
            }
            return out;
        }
    }

    @Override
    public int deleteExpired(Instant now, int batchSize) {
        synchronized (lock) {
            int deleted = 0;
            Iterator<Expiry> it = byExpiry.iterator();
            while (deleted < batchSize && it.hasNext()) {
                Expiry e = it.next();
                recordsVisited++;
                if (e.at().isAfter(now)) {
                    break; // in expiry order: nothing later is expired either
                }
                SessionRecord r = sessions.remove(e.key());
                it.remove();
                expiryOf.remove(e.key());
                unindexUser(r);
                deleted++;
            }
            return deleted;
        }
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

    /** Stored sessions the user and expiry lookups have looked at so far, for tests of their cost. */
    long recordsVisited() {
        synchronized (lock) {
            return recordsVisited;
        }
    }

    private void put(SessionRecord r) {
        sessions.put(r.key(), r);
        byUser.computeIfAbsent(r.userId(), u -> new LinkedHashSet<>()).add(r.key());
        Expiry e = new Expiry(r.expiresAt(), nextSeq++, r.key());
        byExpiry.add(e);
        expiryOf.put(r.key(), e);
    }

    /** Replaces a session under the same key in one step (a reader sees the old or the new one, never none). */
    private void replace(SessionRecord current, SessionRecord next) {
        sessions.put(next.key(), next);
        if (!current.userId().equals(next.userId())) {
            unindexUser(current);
            byUser.computeIfAbsent(next.userId(), u -> new LinkedHashSet<>()).add(next.key());
        }
        if (!current.expiresAt().equals(next.expiresAt())) {
            byExpiry.remove(expiryOf.get(current.key()));
            Expiry e = new Expiry(next.expiresAt(), nextSeq++, next.key());
            byExpiry.add(e);
            expiryOf.put(next.key(), e);
        }
    }

    private void remove(SessionRecord r) {
        sessions.remove(r.key());
        Expiry e = expiryOf.remove(r.key());
        if (e != null) {
            byExpiry.remove(e);
        }
        unindexUser(r);
    }

    private void unindexUser(SessionRecord r) {
        Set<SessionKey> keys = byUser.get(r.userId());
        if (keys != null) {
            keys.remove(r.key());
            if (keys.isEmpty()) {
                byUser.remove(r.userId());
            }
        }
    }
}
