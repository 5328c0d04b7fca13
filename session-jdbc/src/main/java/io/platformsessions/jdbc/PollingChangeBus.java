package io.platformsessions.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * {@link JdbcChangeBus#polling}: the store's writes add a row to {@code <prefix>session_changes} in their own
 * transaction ({@link ChangeWrites.Logged}); one daemon thread per node reads, every interval, all rows after the
 * last one it saw with one primary-key range query, and prunes rows older than {@link #RETENTION} in bounded
 * batches.
 *
 * <p>Ids are taken in insert order but may commit out of order, so an id skipped over (a <em>hole</em>) may still
 * appear: the poller keeps reading from the oldest open hole for up to {@link #HOLE_GRACE} (a write's transaction
 * takes its id just before its commit, and every statement of it is bounded by the store's network timeout), then
 * counts the hole as rolled back. On its first poll and after any failure it starts {@link #LOOKBACK} ids before
 * the newest and resets the engines; if it could not poll for half the retention (rows it had not read may be
 * pruned) it starts over the same way. Thread-safe.
 */
final class PollingChangeBus extends JdbcChangeBus {
    /** How long change-log rows are kept. */
    static final Duration RETENTION = Duration.ofMinutes(5);
    /** How long a hole (an id not yet committed, or rolled back) is watched for. */
    static final Duration HOLE_GRACE = Duration.ofSeconds(10);
    /** How many ids before the newest a fresh start reads again (writes that were committing then). */
    static final int LOOKBACK = 256;
    /** Most rows read per query; a full batch is followed at once by the next. */
    static final int BATCH = 1_000;
    /** Most queries per poll; if the last is still full, the next poll starts at once. */
    static final int MAX_PAGES = 50;
    /** Most change-log rows deleted per prune. */
    static final int PRUNE_BATCH = 1_000;
    /** A jump of more ids than this is not watched hole by hole: the engines are reset instead. */
    static final int MAX_HOLES = 10_000;
    private static final long PRUNE_EVERY_MILLIS = 5_000;

    private final Duration interval;
    private volatile StoreConnections connections;
    private volatile DialectSql storeSql;
    private String since;
    private String newest;
    private String prune;

    // poller state: only the worker thread touches it
    private long maxSeen = -1; // -1: start afresh
    private final TreeMap<Long, Long> holes = new TreeMap<>(); // id -> deadline (nanoTime)
    private long lastPollNanos;
    private long lastPruneNanos;
    private long holesExpired;

    PollingChangeBus(Duration interval) {
        this.interval = interval;
    }

    @Override
    ChangeWrites writes(DialectSql sql, StoreConnections storeConnections) {
        this.storeSql = sql;
        this.connections = storeConnections;
        String changes = sql.table.changes;
        since = "SELECT id, session_key, version, node_id FROM " + changes + " WHERE id > ? ORDER BY id LIMIT ?";
        newest = "SELECT MAX(id) FROM " + changes;
        prune = sql.pruneChanges();
        return new ChangeWrites.Logged(sql, nodeId);
    }

    @Override
    String threadName() {
        return "ps-jdbc-change-poller-" + storeSql.table.changes;
    }

    /**
     * Holes given up on so far (ids that never appeared within {@link #HOLE_GRACE}: rolled-back writes).
     *
     * @return the count
     */
    long holesExpired() {
        return holesExpired;
    }

    @Override
    void run(BooleanSupplier stopping) {
        long backoff = MIN_BACKOFF_MILLIS;
        long intervalMillis = interval.toMillis();
        maxSeen = -1; // a restarted bus may have missed anything: start afresh, and reset the engines
        while (!stopping.getAsBoolean()) {
            boolean full;
            long started = System.nanoTime();
            try (StoreConnections.Borrowed b = connections.borrow()) {
                full = pollOnce(b.connection, stopping);
                backoff = MIN_BACKOFF_MILLIS;
            } catch (SQLException | RuntimeException e) {
                if (!stopping.getAsBoolean()) {
                    failed("change-log poll of " + storeSql.table.changes, e);
                }
                maxSeen = -1;
                backoff = backoff(backoff, stopping);
                continue;
            }
            long rest = intervalMillis - (System.nanoTime() - started) / 1_000_000;
            if (!full && rest > 0) {
                sleepQuietly(rest, stopping); // polls start every interval, however long each one took
            }
        }
    }

    /** One poll (and maybe one prune); returns whether its last page was full (poll again at once). */
    private boolean pollOnce(java.sql.Connection c, BooleanSupplier stopping) throws SQLException {
        long now = System.nanoTime();
        if (maxSeen >= 0 && now - lastPollNanos > RETENTION.toNanos() / 2) {
            maxSeen = -1; // rows we have not read may have been pruned
        }
        boolean fresh = maxSeen < 0;
        if (fresh) {
            holes.clear();
            long max;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(newest)) {
                max = rs.next() ? rs.getLong(1) : 0;
            }
            maxSeen = Math.max(0, max - LOOKBACK);
            lastPruneNanos = now - PRUNE_EVERY_MILLIS * 1_000_000L; // prune on this poll
        }
        // from the oldest open hole (rows after it that were seen already are skipped), page by page: a hole that
        // stays open must not hold back what committed after it
        long cursor = holes.isEmpty() ? maxSeen : holes.firstKey() - 1;
        boolean full;
        int pages = 0;
        try (PreparedStatement ps = c.prepareStatement(since)) {
            do {
                ps.setLong(1, cursor);
                ps.setInt(2, BATCH);
                int rows = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        cursor = rs.getLong(1);
                        row(cursor, rs.getBytes(2), rs.getLong(3), rs.getLong(4), now);
                    }
                }
                full = rows == BATCH;
            } while (full && ++pages < MAX_PAGES && !stopping.getAsBoolean());
        }
        lastPollNanos = now;
        expireHoles(now);
        if (fresh && !stopping.getAsBoolean()) {
            becameLive("polling change log " + storeSql.table.changes);
        }
        if (now - lastPruneNanos >= PRUNE_EVERY_MILLIS * 1_000_000L) {
            lastPruneNanos = now;
            prune(c);
        }
        return full;
    }

    private void row(long id, byte[] key, long version, long node, long now) {
        if (id <= maxSeen) {
            if (holes.remove(id) == null) {
                return; // seen already
            }
        } else {
            long gap = id - maxSeen - 1;
            if (gap > MAX_HOLES) {
                holes.clear();
                reset("change log jumped " + gap + " ids");
            } else {
                long deadline = now + HOLE_GRACE.toNanos();
                for (long h = maxSeen + 1; h < id; h++) {
                    holes.put(h, deadline);
                }
            }
            maxSeen = id;
        }
        deliver(ChangeMessages.change(node, key, version));
    }

    /** Gives up on holes past their deadline (ids in order have non-decreasing deadlines). */
    private void expireHoles(long now) {
        while (!holes.isEmpty() && holes.firstEntry().getValue() - now <= 0) {
            holes.pollFirstEntry();
            holesExpired++;
        }
    }

    private void prune(java.sql.Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(prune)) {
            ps.setLong(1, System.currentTimeMillis() - RETENTION.toMillis());
            ps.setInt(2, PRUNE_BATCH);
            ps.executeUpdate();
        }
    }

    @Override
    public String toString() {
        return "JdbcChangeBus.polling(every " + interval.toMillis() + " ms, table "
                + (storeSql == null ? "?" : storeSql.table.changes) + ")";
    }
}
