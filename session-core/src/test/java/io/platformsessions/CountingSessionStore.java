package io.platformsessions;

import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Delegates to another store and counts calls per method, to prove what does and does not do I/O. */
public final class CountingSessionStore implements SessionStore {
    private final SessionStore delegate;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    /**
     * Wraps a store.
     *
     * @param delegate the real store
     */
    public CountingSessionStore(SessionStore delegate) {
        this.delegate = delegate;
    }

    private void count(String method) {
        calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * Calls of one method so far.
     *
     * @param method the method name
     * @return the count
     */
    public int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    /**
     * All calls so far.
     *
     * @return the total
     */
    public int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Forgets the counts. */
    public void reset() {
        calls.clear();
    }

    @Override
    public void insert(SessionRecord record) {
        count("insert");
        delegate.insert(record);
    }

    @Override
    public Optional<SessionRecord> find(SessionKey key) {
        count("find");
        return delegate.find(key);
    }

    @Override
    public boolean update(SessionRecord next, long expectedVersion) {
        count("update");
        return delegate.update(next, expectedVersion);
    }

    @Override
    public boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
        count("rekey");
        return delegate.rekey(oldKey, next, expectedVersion);
    }

    @Override
    public boolean touch(SessionKey key, Instant lastActivityAt, Instant expiresAt) {
        count("touch");
        return delegate.touch(key, lastActivityAt, expiresAt);
    }

    @Override
    public boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
        count("delete");
        return delegate.delete(key, reason, endedAt);
    }

    @Override
    public List<SessionRecord> findByUser(String userId) {
        count("findByUser");
        return delegate.findByUser(userId);
    }

    @Override
    public int deleteExpired(Instant now, int batchSize) {
        count("deleteExpired");
        return delegate.deleteExpired(now, batchSize);
    }

    @Override
    public Map<String, Long> countActiveByPlatformType(Instant now) {
        count("countActiveByPlatformType");
        return delegate.countActiveByPlatformType(now);
    }
}
