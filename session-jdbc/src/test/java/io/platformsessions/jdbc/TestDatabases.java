package io.platformsessions.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The databases the tests run against, and fresh table prefixes so runs never collide. */
final class TestDatabases {
    /** JDBC URL of a PostgreSQL test database, for example {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. */
    static final String POSTGRES_ENV = "PS_TEST_POSTGRES_URL";
    /** JDBC URL of a MariaDB test database, for example {@code jdbc:mariadb://127.0.0.1:3306/test?user=root}. */
    static final String MARIADB_ENV = "PS_TEST_MARIADB_URL";

    private static final Logger LOG = LoggerFactory.getLogger(TestDatabases.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestDatabases() {
    }

    enum Db {
        H2(null), POSTGRES(POSTGRES_ENV), MARIADB(MARIADB_ENV);

        final String env;

        Db(String env) {
            this.env = env;
        }

        /** The JDBC URL, or a loud skip (JUnit assumption plus a WARN line) when the env var is unset. */
        String url() {
            if (env == null) {
                return "jdbc:h2:mem:ps" + hex(6) + ";DB_CLOSE_DELAY=-1";
            }
            String url = System.getenv(env);
            if (url == null || url.isBlank()) {
                String message = "SKIPPED: " + this + " tests need a database; set " + env + " (for example "
                        + (this == POSTGRES ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
                        : "jdbc:mariadb://127.0.0.1:3306/test?user=root") + ")";
                LOG.warn(message);
                System.err.println("WARNING: " + message);
                Assumptions.abort(message);
            }
            return url;
        }

        /** A small pool for tests; the caller closes it. */
        HikariDataSource pool(int size) {
            return TestDatabases.pool(url(), size, "test-" + name().toLowerCase());
        }
    }

    /** A small pool on {@code url}; the caller closes it. */
    static HikariDataSource pool(String url, int size, String name) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(5_000);
        c.setPoolName(name);
        return new HikariDataSource(c);
    }

    /** {@code url} with its {@code //host:port/} replaced by the loopback address and {@code port}. */
    static String viaPort(String url, int port) {
        return url.replaceFirst("//[^/:]+:\\d+/", "//127.0.0.1:" + port + "/");
    }

    /** The port of a {@code jdbc:...://host:port/...} URL. */
    static int port(String url) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("//[^/:]+:(\\d+)/").matcher(url);
        if (!m.find()) {
            throw new IllegalArgumentException("no host:port in " + url);
        }
        return Integer.parseInt(m.group(1));
    }

    /** A random table prefix such as {@code t1a2b3c4d_}. */
    static String randomPrefix() {
        return "t" + hex(4) + "_";
    }

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
