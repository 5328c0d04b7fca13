package io.platformsessions.spring.boot;

import io.platformsessions.jdbc.JdbcDialect;
import io.platformsessions.jdbc.JdbcSessionStore;
import java.time.Duration;

/**
 * The JDBC store and directories, on the application's DataSource.
 * These are the properties under {@code platform.sessions.jdbc}, a group of {@link PlatformSessionsProperties}.
 *
 * <p>A mutable JavaBean for Spring's binder: not thread-safe while it is being bound, read-only afterwards.
 */
public class PlatformSessionsJdbcProperties {
    /** Prefix of the table names ({@code <prefix>sessions}, ...). */
    private String tablePrefix = JdbcSessionStore.DEFAULT_TABLE_PREFIX;

    /** Create missing tables at startup: embedded (only for an embedded database), always, or never (use the shipped schema file with Flyway or Liquibase). */
    private SchemaInitialization initializeSchema = SchemaInitialization.EMBEDDED;

    /** Copy ended sessions (with the reason) to {@code <prefix>sessions_archive} before deleting them. */
    private boolean archiveEndedSessions;

    /** PostgreSQL only: a new session's commit does not wait for the disk flush (see docs/jdbc.md). */
    private boolean asynchronousCreateCommit;

    /** SQL dialect; unset: detected from the connection. */
    private JdbcDialect dialect;

    /** User lookup for the user directory: one {@code ?} for the user id; columns id, username and optionally active. Unset: an application UserDirectory bean, or Spring Security's UserDetailsService, or any user. */
    private String userQuery;

    /** Change bus that keeps the caches of several nodes on this database coherent: none, postgres or polling. */
    private JdbcChangeBusType changeBus = JdbcChangeBusType.NONE;

    /** How often the polling change bus reads the change log (10 ms to 10 s). */
    private Duration changeBusPollInterval = Duration.ofMillis(200); // JdbcChangeBus.DEFAULT_POLL_INTERVAL

    /** PostgreSQL change bus: JDBC URL of its listening connection (credentials in the URL); unset: spring.datasource.url, username and password. */
    private String changeBusListenUrl;

    private final Platforms platforms = new Platforms();

    /**
     * The change bus.
     *
     * @return the kind of bus
     */
    public JdbcChangeBusType getChangeBus() {
        return changeBus;
    }

    /**
     * Sets the change bus.
     *
     * @param changeBus the kind of bus
     */
    public void setChangeBus(JdbcChangeBusType changeBus) {
        this.changeBus = changeBus;
    }

    /**
     * The polling bus's interval.
     *
     * @return the interval
     */
    public Duration getChangeBusPollInterval() {
        return changeBusPollInterval;
    }

    /**
     * Sets the polling bus's interval.
     *
     * @param changeBusPollInterval the interval
     */
    public void setChangeBusPollInterval(Duration changeBusPollInterval) {
        this.changeBusPollInterval = changeBusPollInterval;
    }

    /**
     * The PostgreSQL bus's listening URL.
     *
     * @return the URL, or null for the DataSource properties' URL
     */
    public String getChangeBusListenUrl() {
        return changeBusListenUrl;
    }

    /**
     * Sets the PostgreSQL bus's listening URL.
     *
     * @param changeBusListenUrl a {@code jdbc:postgresql:} URL
     */
    public void setChangeBusListenUrl(String changeBusListenUrl) {
        this.changeBusListenUrl = changeBusListenUrl;
    }

    /**
     * The table prefix.
     *
     * @return the prefix
     */
    public String getTablePrefix() {
        return tablePrefix;
    }

    /**
     * Sets the table prefix.
     *
     * @param tablePrefix the prefix
     */
    public void setTablePrefix(String tablePrefix) {
        this.tablePrefix = tablePrefix;
    }

    /**
     * When to create missing tables.
     *
     * @return the mode
     */
    public SchemaInitialization getInitializeSchema() {
        return initializeSchema;
    }

    /**
     * Sets when to create missing tables.
     *
     * @param initializeSchema the mode
     */
    public void setInitializeSchema(SchemaInitialization initializeSchema) {
        this.initializeSchema = initializeSchema;
    }

    /**
     * Whether ended sessions are archived.
     *
     * @return {@code true} to archive
     */
    public boolean isArchiveEndedSessions() {
        return archiveEndedSessions;
    }

    /**
     * Sets whether ended sessions are archived.
     *
     * @param archiveEndedSessions {@code true} to archive
     */
    public void setArchiveEndedSessions(boolean archiveEndedSessions) {
        this.archiveEndedSessions = archiveEndedSessions;
    }

    /**
     * Whether new sessions commit asynchronously on PostgreSQL.
     *
     * @return {@code true} if so
     */
    public boolean isAsynchronousCreateCommit() {
        return asynchronousCreateCommit;
    }

    /**
     * Sets whether new sessions commit asynchronously on PostgreSQL.
     *
     * @param asynchronousCreateCommit {@code true} if so
     */
    public void setAsynchronousCreateCommit(boolean asynchronousCreateCommit) {
        this.asynchronousCreateCommit = asynchronousCreateCommit;
    }

    /**
     * The dialect.
     *
     * @return the dialect, or {@code null} to detect it
     */
    public JdbcDialect getDialect() {
        return dialect;
    }

    /**
     * Sets the dialect.
     *
     * @param dialect the dialect
     */
    public void setDialect(JdbcDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * The user query.
     *
     * @return the SQL, or {@code null}
     */
    public String getUserQuery() {
        return userQuery;
    }

    /**
     * Sets the user query.
     *
     * @param userQuery the SQL
     */
    public void setUserQuery(String userQuery) {
        this.userQuery = userQuery;
    }

    /**
     * Platform directory options.
     *
     * @return the options
     */
    public Platforms getPlatforms() {
        return platforms;
    }

    /** When the JDBC tables are created. */
    public enum SchemaInitialization {
        /** Only when the DataSource is an embedded database (H2, HSQLDB, Derby). */
        EMBEDDED,
        /** At every start (missing tables and indexes are created; existing ones are checked). */
        ALWAYS,
        /** Never: apply the shipped schema file with a migration tool. */
        NEVER
    }

    /** The JDBC store's change bus (README, "Multi-node deployments"). */
    public enum JdbcChangeBusType {
        /** No bus: each node re-reads a cached session at most {@code cache.max-staleness} after the store confirmed it. */
        NONE,
        /** PostgreSQL {@code LISTEN/NOTIFY}: one listening connection per node, outside the pool. */
        POSTGRES,
        /** A change-log table polled by each node (MariaDB/MySQL, H2, PostgreSQL behind a transaction-mode pooler). */
        POLLING
    }

    /** Where the users' platform connections come from, when the application defines no PlatformDirectory bean. */
    public static class Platforms {
        /** Keep platform connections in the library's own table ({@code <prefix>platform_connections}). */
        private boolean managedTable;

        /** Read-only mode: the query by connection id (one {@code ?}; columns id, user id, name, type, instance URL, active, default). */
        private String findByIdQuery;

        /** Read-only mode: the query by user id (one {@code ?}; the same columns). */
        private String findByUserQuery;

        /**
         * Whether the managed table is used.
         *
         * @return {@code true} if so
         */
        public boolean isManagedTable() {
            return managedTable;
        }

        /**
         * Sets whether the managed table is used.
         *
         * @param managedTable {@code true} if so
         */
        public void setManagedTable(boolean managedTable) {
            this.managedTable = managedTable;
        }

        /**
         * The query by id.
         *
         * @return the SQL, or {@code null}
         */
        public String getFindByIdQuery() {
            return findByIdQuery;
        }

        /**
         * Sets the query by id.
         *
         * @param findByIdQuery the SQL
         */
        public void setFindByIdQuery(String findByIdQuery) {
            this.findByIdQuery = findByIdQuery;
        }

        /**
         * The query by user.
         *
         * @return the SQL, or {@code null}
         */
        public String getFindByUserQuery() {
            return findByUserQuery;
        }

        /**
         * Sets the query by user.
         *
         * @param findByUserQuery the SQL
         */
        public void setFindByUserQuery(String findByUserQuery) {
            this.findByUserQuery = findByUserQuery;
        }
    }
}
