package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The optional HikariCP pool factory: settings, status, close. (H2.) */
class JdbcPoolTest {

    @Test
    void settingsAreValidatedWhenSet() {
        JdbcPool.Builder b = JdbcPool.builder("jdbc:h2:mem:x");
        assertThatThrownBy(() -> b.connectionTimeout(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.validationTimeout(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maximumPoolSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.minimumIdle(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.poolIdleTimeout(Duration.ofSeconds(5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("poolIdleTimeout");
        assertThatThrownBy(() -> b.poolIdleTimeout(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.connectionMaxLifetime(Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectionMaxLifetime");
        assertThatThrownBy(() -> JdbcPool.builder(null)).isInstanceOf(NullPointerException.class);
        b.poolIdleTimeout(Duration.ZERO).poolIdleTimeout(Duration.ofSeconds(10)).connectionMaxLifetime(Duration.ofSeconds(30));
    }

    @Test
    void settingsReachHikariUnderHikarisNames() {
        HikariConfig c = JdbcPool.builder("jdbc:h2:mem:x").username("u").password("p").maximumPoolSize(4)
                .connectionTimeout(Duration.ofMillis(700)).validationTimeout(Duration.ofSeconds(5))
                .poolIdleTimeout(Duration.ofMinutes(2)).connectionMaxLifetime(Duration.ofMinutes(7)).poolName("n")
                .dataSourceProperty("socketTimeout", "9").hikariConfig(h -> h.setAutoCommit(false))
                .toHikariConfig();
        assertThat(c.getJdbcUrl()).isEqualTo("jdbc:h2:mem:x");
        assertThat(c.getUsername()).isEqualTo("u");
        assertThat(c.getMaximumPoolSize()).isEqualTo(4);
        assertThat(c.getMinimumIdle()).as("a fixed-size pool by default").isEqualTo(4);
        assertThat(c.getConnectionTimeout()).isEqualTo(700);
        assertThat(c.getValidationTimeout()).as("capped at the connection timeout").isEqualTo(700);
        assertThat(c.getIdleTimeout()).isEqualTo(Duration.ofMinutes(2).toMillis());
        assertThat(c.getMaxLifetime()).isEqualTo(Duration.ofMinutes(7).toMillis());
        assertThat(c.getPoolName()).isEqualTo("n");
        assertThat(c.getDataSourceProperties()).containsEntry("socketTimeout", "9");
        assertThat(c.isAutoCommit()).as("the customizer runs last").isFalse();
        assertThat(c.getInitializationFailTimeout()).as("starts while the database is down").isEqualTo(-1);
    }

    @Test
    void reportsItsStatusAndCloses() throws SQLException {
        JdbcPool pool = JdbcPool.builder("jdbc:h2:mem:pool" + TestDatabases.hex(4)).maximumPoolSize(3).minimumIdle(1)
                .build();
        try (Connection c = pool.dataSource().getConnection()) {
            PoolStatus busy = pool.status().orElseThrow();
            assertThat(busy.active()).isEqualTo(1);
            assertThat(busy.total()).isBetween(1, 3);
        }
        PoolStatus status = pool.status().orElseThrow();
        assertThat(status.active()).isZero();
        assertThat(status.waiting()).isZero();
        assertThat(status.idle()).isEqualTo(status.total());
        assertThat(JdbcPool.statusOf(pool.dataSource())).isPresent();
        assertThat(JdbcPool.statusOf(new org.h2.jdbcx.JdbcDataSource())).as("not a Hikari pool").isEmpty();
        pool.close();
        pool.close();
        assertThat(pool.isClosed()).isTrue();
        assertThat(pool.status()).isEmpty();
    }

    @Test
    void h2ConnectionBrokenCodesEvictTheConnection() {
        JdbcPool.EvictBrokenConnections override = new JdbcPool.EvictBrokenConnections();
        for (int code : new int[] {90067, 90098, 90121}) {
            assertThat(override.adjudicate(new SQLException("broken", "HY000", code)))
                    .isEqualTo(SQLExceptionOverride.Override.MUST_EVICT);
        }
        assertThat(override.adjudicate(new SQLException("syntax", "42000", 42000)))
                .isEqualTo(SQLExceptionOverride.Override.CONTINUE_EVICT);
    }
}
