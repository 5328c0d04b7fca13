package io.platformsessions.micrometer;

import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionKey;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A store that forwards every call, running {@link #before()} first (tests make it throw). */
class ForwardingStore implements SessionStore {
    private final SessionStore delegate;

    ForwardingStore(SessionStore delegate) {
        this.delegate = delegate;
    }

    protected void before() {
    }

    @Override
    public void insert(SessionRecord record) {
        before();
        delegate.insert(record);
    }

    @Override
    public Optional<SessionRecord> find(SessionKey key) {
        before();
        return delegate.find(key);
    }

    @Override
    public boolean update(SessionRecord next, long expectedVersion) {
        before();
        return delegate.update(next, expectedVersion);
    }

    @Override
    public boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
        before();
        return delegate.rekey(oldKey, next, expectedVersion);
    }

    @Override
    public boolean touch(SessionKey key, Instant lastActivityAt, Instant idleExpiresAt) {
        before();
        return delegate.touch(key, lastActivityAt, idleExpiresAt);
    }

    @Override
    public boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
        before();
        return delegate.delete(key, reason, endedAt);
    }

    @Override
    public List<SessionRecord> findByUser(String userId) {
        before();
        return delegate.findByUser(userId);
    }

    @Override
    public int deleteExpired(Instant now, int batchSize) {
        before();
        return delegate.deleteExpired(now, batchSize);
    }

    @Override
    public Map<String, Long> countActiveByPlatformType(Instant now) {
        before();
        return delegate.countActiveByPlatformType(now);
    }
}
