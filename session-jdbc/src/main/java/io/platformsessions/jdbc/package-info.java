/**
 * JDBC persistence for Platform Sessions, for H2, PostgreSQL and MariaDB/MySQL:
 * {@link io.platformsessions.jdbc.JdbcSessionStore}, {@link io.platformsessions.jdbc.JdbcPlatformDirectory} and
 * {@link io.platformsessions.jdbc.JdbcUserDirectory}.
 *
 * <p><b>Where plain JDBC runs and where Jdbi runs.</b> One rule: everything the session store runs to answer a
 * {@code SessionStore} call (the per-request statements and expired-session cleanup) is plain JDBC, one
 * {@link java.sql.PreparedStatement} per statement, in the package-private statement classes
 * ({@code SessionStatements}, the per-dialect {@code DialectSql} strategies, {@code ExpiredSessionCleaner}),
 * because it runs on every request and Jdbi's per-statement machinery costs several times the statement's own
 * CPU. Everything else, which runs rarely, uses Jdbi: the schema scripts ({@code SessionSchema}) and the
 * platform and user directories. No class uses both.
 *
 * <p>Columns are described once, in the package-private {@code SessionTable}; adding one means adding it there
 * and to the shipped schema files ({@link io.platformsessions.jdbc.JdbcDialect#schemaResource()}).
 */
package io.platformsessions.jdbc;
