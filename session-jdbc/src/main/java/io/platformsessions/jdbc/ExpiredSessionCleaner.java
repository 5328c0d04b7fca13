package io.platformsessions.jdbc;

import java.sql.SQLException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes (and, with the archive, archives) expired sessions in bounded batches through the dialect's
 * {@link DialectSql#deleteExpired}, and retries a batch that lost a lock conflict: deleting expired rows is
 * idempotent, so another node holding or having taken the rows is fine. Thread-safe.
 */
final class ExpiredSessionCleaner {
    private static final int ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(ExpiredSessionCleaner.class);

    private final StoreConnections connections;
    private final DialectSql sql;
    private final boolean archive;

    ExpiredSessionCleaner(StoreConnections connections, DialectSql sql, boolean archive) {
        this.connections = connections;
        this.sql = sql;
        this.archive = archive;
    }

    /**
     * One batch: at most {@code batchSize} expired sessions, oldest first.
     *
     * @param now the current time
     * @param batchSize at least 1
     * @return how many were deleted
     * @throws IllegalArgumentException if {@code batchSize} is below 1
     * @throws io.platformsessions.SessionStoreException if the database fails (after the retries for lock conflicts)
     */
    int deleteExpired(Instant now, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        }
        long nowMillis = now.toEpochMilli();
        for (int attempt = 1; ; attempt++) {
            try (StoreConnections.Borrowed b = connections.borrow()) {
                return sql.deleteExpired(b.connection, nowMillis, batchSize, archive);
            } catch (SQLException | RuntimeException e) {
                if (attempt < ATTEMPTS && SqlFailures.isLockConflict(e)) {
                    LOG.debug("expired-session cleanup hit a lock conflict (attempt {}), retrying: {}", attempt, e.toString());
                    continue;
                }
                throw SqlFailures.map("delete expired sessions", e);
            }
        }
    }
}
