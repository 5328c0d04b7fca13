package io.platformsessions.security;

import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionKey;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The real in-memory store, counting every call, and able to fail {@code touch} on demand. */
final class CountingStore implements SessionStore {
    final InMemorySessionStore delegate = new InMemorySessionStore();
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean failTouch;

    int calls() {
        return calls.get();
    }

    @Override
    public void insert(SessionRecord record) {
        calls.incrementAndGet();
        delegate.insert(record);
    }

    @Override
    public Optional<SessionRecord> find(SessionKey key) {
        calls.incrementAndGet();
        return delegate.find(key);
    }

    @Override
    public boolean update(SessionRecord next, long expectedVersion) {
        calls.incrementAndGet();
        return delegate.update(next, expectedVersion);
    }

    @Override
    public boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
        calls.incrementAndGet();
        return delegate.rekey(oldKey, next, expectedVersion);
    }

    @Override
    public boolean touch(SessionKey key, Instant lastActivityAt, Instant expiresAt) {
        calls.incrementAndGet();
        if (failTouch) {
            throw new IllegalStateException("simulated touch failure");
        }
        return delegate.touch(key, lastActivityAt, expiresAt);
    }

    @Override
    public boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
        calls.incrementAndGet();
        return delegate.delete(key, reason, endedAt);
    }

    @Override
    public List<SessionRecord> findByUser(String userId) {
        calls.incrementAndGet();
        return delegate.findByUser(userId);
    }

    @Override
    public int deleteExpired(Instant now, int batchSize) {
        calls.incrementAndGet();
        return delegate.deleteExpired(now, batchSize);
    }

    @Override
    public Map<String, Long> countActiveByPlatformType(Instant now) {
        calls.incrementAndGet();
        return delegate.countActiveByPlatformType(now);
    }
}
