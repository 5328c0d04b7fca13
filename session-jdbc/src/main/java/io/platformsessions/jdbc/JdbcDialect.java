package io.platformsessions.jdbc;

import io.platformsessions.SessionStoreException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The SQL dialects the JDBC store speaks. Detected from the connection's metadata
 * ({@link #detect(DataSource)}) or set explicitly with {@link JdbcSessionStore.Builder#dialect(JdbcDialect)}.
 *
 * <p>The dialect decides the shipped schema file ({@link #schemaResource()}), the row-limit syntax and how
 * expired sessions are deleted without deadlocks: PostgreSQL in one statement with
 * {@code FOR UPDATE SKIP LOCKED}; H2, MariaDB 10.6+ and MySQL 8 by selecting a batch of keys
 * {@code FOR UPDATE SKIP LOCKED} and deleting those by primary key in one short transaction.
 */
public enum JdbcDialect {
    /** H2 2.x (embedded or TCP). */
    H2("h2"),
    /** PostgreSQL 10 or later. */
    POSTGRESQL("postgresql"),
    /** MariaDB 10.3 or later ({@code SKIP LOCKED} from 10.6). */
    MARIADB("mariadb"),
    /** MySQL 8.0 or later. Shares the MariaDB SQL apart from the schema's collation; not exercised in CI. */
    MYSQL("mysql");

    private final String resourceName;

    JdbcDialect(String resourceName) {
        this.resourceName = resourceName;
    }

    /**
     * Class-path location of this dialect's session schema (sessions and archive tables), with
     * {@code ${prefix}} where the table prefix goes.
     *
     * @return for example {@code io/platformsessions/jdbc/schema/postgresql.sql}
     */
    public String schemaResource() {
        return "io/platformsessions/jdbc/schema/" + resourceName + ".sql";
    }

    /**
     * Class-path location of this dialect's platform-connection schema used by {@link JdbcPlatformDirectory}.
     *
     * @return for example {@code io/platformsessions/jdbc/schema/postgresql-platforms.sql}
     */
    public String platformSchemaResource() {
        return "io/platformsessions/jdbc/schema/" + resourceName + "-platforms.sql";
    }

    /**
     * Detects the dialect of a data source by borrowing one connection and reading its metadata.
     *
     * @param dataSource the data source
     * @return the dialect
     * @throws SessionStoreException if no connection can be had (transient) or the database is not
     *     H2, PostgreSQL, MariaDB or MySQL (not transient)
     */
    public static JdbcDialect detect(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return of(c.getMetaData());
        } catch (SQLException e) {
            throw SqlFailures.map("detecting the database dialect", e);
        }
    }

    static JdbcDialect of(DatabaseMetaData meta) throws SQLException {
        String product = meta.getDatabaseProductName();
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("h2")) {
            return H2;
        }
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        if (p.contains("mariadb")) {
            return MARIADB;
        }
        if (p.contains("mysql")) {
            String version = meta.getDatabaseProductVersion();
            return version != null && version.toLowerCase(Locale.ROOT).contains("mariadb") ? MARIADB : MYSQL;
        }
        throw SessionStoreException.permanentFailure("unsupported database '" + product
                + "': the JDBC session store supports H2, PostgreSQL, MariaDB and MySQL", null);
    }

    /** Whether locking reads take gap locks under REPEATABLE READ (InnoDB), so transactions use READ COMMITTED. */
    boolean hasGapLocks() {
        return this == MARIADB || this == MYSQL;
    }

    /** Whether the SQL depends on the server's version (so the store reads it from the connection). */
    boolean versionMatters() {
        return this == MARIADB || this == MYSQL;
    }

    /** Whether {@code SELECT ... FOR UPDATE SKIP LOCKED} is available on this server version. */
    static boolean supportsSkipLocked(JdbcDialect dialect, int major, int minor) {
        switch (dialect) {
            case MARIADB:
                return major > 10 || (major == 10 && minor >= 6);
            case MYSQL:
                return major >= 8;
            default:
                return true;
        }
    }
}
