package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * HikariCP is optional: a store on an application's data source loads and runs with no HikariCP on the class
 * path (a class loader over this test's class path minus the HikariCP jar).
 */
class WithoutHikariTest {

    @Test
    void theStoreRunsWithoutHikariOnTheClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("HikariCP")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> Class.forName("com.zaxxer.hikari.HikariDataSource", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> h2 = Class.forName("org.h2.jdbcx.JdbcDataSource", true, loader);
            DataSource ds = (DataSource) h2.getConstructor().newInstance();
            h2.getMethod("setURL", String.class).invoke(ds, "jdbc:h2:mem:nohikari" + TestDatabases.hex(4)
                    + ";DB_CLOSE_DELAY=-1");

            Class<?> storeClass = Class.forName("io.platformsessions.jdbc.JdbcSessionStore", true, loader);
            Object builder = storeClass.getMethod("builder").invoke(null);
            Class<?> builderClass = builder.getClass();
            builderClass.getMethod("dataSource", DataSource.class).invoke(builder, ds);
            builderClass.getMethod("initializeSchema", boolean.class).invoke(builder, true);
            Object store = builderClass.getMethod("build").invoke(builder);

            Class<?> keyClass = Class.forName("io.platformsessions.SessionKey", true, loader);
            Object key = keyClass.getMethod("ofBytes", byte[].class).invoke(null, (Object) new byte[32]);
            assertThat(storeClass.getMethod("find", keyClass).invoke(store, key)).isEqualTo(Optional.empty());
            assertThat(storeClass.getMethod("deleteExpired", java.time.Instant.class, int.class)
                    .invoke(store, TestRecords.T0, 10)).isEqualTo(0);
            storeClass.getMethod("close").invoke(store);
        }
    }
}
