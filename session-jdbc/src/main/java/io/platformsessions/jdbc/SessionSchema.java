package io.platformsessions.jdbc;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The session tables' schema: runs the shipped script, checks that existing tables have every column this
 * version uses, drops the tables. Off the request path, so on Jdbi. Thread-safe.
 */
final class SessionSchema {
    private final Jdbi jdbi;
    private final DialectSql sql;
    private final String tablePrefix;

    SessionSchema(Jdbi jdbi, DialectSql sql, String tablePrefix) {
        this.jdbi = jdbi;
        this.sql = sql;
        this.tablePrefix = tablePrefix;
    }

    /** Creates missing tables and indexes, then checks the columns (see {@code JdbcSessionStore#createSchema}). */
    void create() {
        String sessions = sql.table.sessions;
        try (Handle h = jdbi.open()) {
            SchemaScripts.apply(h, sql.dialect.schemaResource(), tablePrefix);
        } catch (RuntimeException e) {
            throw SqlFailures.map("creating the session tables " + sessions, e);
        }
        sql.columnChecks().forEach(this::checkColumns);
    }

    private void checkColumns(String table, String query) {
        try (Handle h = jdbi.open()) {
            h.createQuery(query).mapToMap().list();
        } catch (RuntimeException e) {
            if (SqlFailures.isTransient(e)) {
                throw SqlFailures.map("checking the columns of " + table, e);
            }
            throw new IllegalStateException("table " + table + " exists but does not match this version of "
                    + "Platform Sessions (" + SqlFailures.describe(e) + "); it was probably created by an older "
                    + "version: migrate it to JdbcSessionStore.schemaSql(" + sql.dialect + ", \"" + tablePrefix
                    + "\"), or drop it if its sessions can go", e);
        }
    }

    /** Drops the change log, archive, sessions and any auxiliary tables. */
    void drop() {
        try (Handle h = jdbi.open()) {
            for (String table : sql.auxiliaryTables()) {
                h.execute("DROP TABLE IF EXISTS " + table);
            }
            h.execute("DROP TABLE IF EXISTS " + sql.table.changes);
            h.execute("DROP TABLE IF EXISTS " + sql.table.archive);
            h.execute("DROP TABLE IF EXISTS " + sql.table.sessions);
        } catch (RuntimeException e) {
            throw SqlFailures.map("dropping the session tables " + sql.table.sessions, e);
        }
    }
}
