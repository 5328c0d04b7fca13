package io.platformsessions.jdbc;

import java.sql.Connection;

/**
 * MariaDB and MySQL: the portable forms, with locking transactions in READ COMMITTED (so locking reads take
 * no gap locks) and {@code SKIP LOCKED} where the server has it (MariaDB 10.6, MySQL 8). Immutable and
 * thread-safe.
 */
final class MySqlSql extends DialectSql {
    private final boolean skipLocked;

    MySqlSql(JdbcDialect dialect, String prefix, boolean skipLocked) {
        super(dialect, new SessionTable(prefix, false), " LIMIT ?", skipLocked);
        this.skipLocked = skipLocked;
    }

    @Override
    String describe() {
        return skipLocked ? "" : "cleanup without SKIP LOCKED";
    }

    @Override
    int cleanupIsolation() {
        return Connection.TRANSACTION_READ_COMMITTED;
    }
}
