/**
 * JDBC persistence for Platform Sessions on Jdbi 3 and HikariCP: {@link io.platformsessions.jdbc.JdbcSessionStore},
 * {@link io.platformsessions.jdbc.JdbcPlatformDirectory} and {@link io.platformsessions.jdbc.JdbcUserDirectory},
 * for H2, PostgreSQL and MariaDB/MySQL.
 */
package io.platformsessions.jdbc;
