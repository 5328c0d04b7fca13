package io.platformsessions.benchmarks;

import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionKey;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store that keeps nothing, so that after creating sessions the only copies on the heap are the
 * engine's cache entries: used to measure heap per cached session. Thread-safe (stateless).
 */
final class DiscardingStore implements SessionStore {
    @Override
    public void insert(SessionRecord record) {
    }

    @Override
    public Optional<SessionRecord> find(SessionKey key) {
        return Optional.empty();
    }

    @Override
    public boolean update(SessionRecord next, long expectedVersion) {
        return false;
    }

    @Override
    public boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
        return false;
    }

    @Override
    public boolean touch(SessionKey key, Instant lastActivityAt, Instant expiresAt) {
        return true; // keeps cached copies alive: this store's purpose is to leave the cache the only copy
    }

    @Override
    public boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
        return false;
    }

    @Override
    public List<SessionRecord> findByUser(String userId) {
        return List.of();
    }

    @Override
    public int deleteExpired(Instant now, int batchSize) {
        return 0;
    }

    @Override
    public Map<String, Long> countActiveByPlatformType(Instant now) {
        return Map.of();
    }
}
