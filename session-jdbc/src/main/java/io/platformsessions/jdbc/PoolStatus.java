package io.platformsessions.jdbc;

/**
 * A snapshot of a HikariCP connection pool, for monitoring (see {@link JdbcPool#status()} and {@link JdbcPool#statusOf(javax.sql.DataSource)}).
 * Immutable. The numbers are read one after another, so under load they need not add up exactly.
 *
 * @param active connections lent out right now
 * @param idle connections in the pool, ready to lend
 * @param waiting threads waiting for a connection (non-zero for long means the pool is too small or the
 *     database too slow)
 * @param total connections the pool holds, active plus idle
 */
public record PoolStatus(int active, int idle, int waiting, int total) {
}
