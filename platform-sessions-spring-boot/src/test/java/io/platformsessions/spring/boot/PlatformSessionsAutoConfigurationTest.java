package io.platformsessions.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.InvalidUserException;
import io.platformsessions.PlatformConnection;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionEvent;
import io.platformsessions.SessionManager;
import io.platformsessions.UserAccount;
import io.platformsessions.jdbc.JdbcChangeBus;
import io.platformsessions.jdbc.JdbcPlatformDirectory;
import io.platformsessions.jdbc.JdbcSessionStore;
import io.platformsessions.jdbc.JdbcUserDirectory;
import io.platformsessions.memory.InMemoryPlatformDirectory;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.memory.InMemoryUserDirectory;
import io.platformsessions.redis.RedisSessionStore;
import io.platformsessions.spi.PlatformDirectory;
import io.platformsessions.spi.SessionListener;
import io.platformsessions.spi.SessionStore;
import io.platformsessions.spi.UserDirectory;
import io.platformsessions.tck.MutableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The core auto-configuration: store, directories, manager, properties, conditions. */
class PlatformSessionsAutoConfigurationTest {
    static final ClientInfo CLIENT = new ClientInfo("203.0.113.9", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", "en");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PlatformSessionsRedisAutoConfiguration.class,
                    PlatformSessionsAutoConfiguration.class));

    private ApplicationContextRunner withH2() {
        return runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                        "spring.datasource.generate-unique-name=false");
    }

    @Test
    void withoutADataSourceNothingIsConfigured() {
        runner.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).doesNotHaveBean(SessionStore.class).doesNotHaveBean(SessionManager.class)
                    .doesNotHaveBean(PlatformSessionsScheduler.class);
        });
    }

    @Test
    void theJdbcChangeBusIsTheStoresAndTheEngineListensToIt() {
        withH2().withPropertyValues("platform.sessions.jdbc.change-bus=polling",
                "platform.sessions.jdbc.change-bus-poll-interval=50ms").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            JdbcChangeBus bus = (JdbcChangeBus) ctx.getBean(JdbcSessionStore.class).changeBus().orElseThrow();
            ctx.getBean(SessionManager.class); // built: it connected to the store's bus
            Instant deadline = Instant.now().plusSeconds(10);
            while (!bus.isLive() && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertThat(bus.isLive()).as("the polling bus went live").isTrue();
        });
        withH2().run(ctx -> assertThat(ctx.getBean(JdbcSessionStore.class).changeBus()).as("none by default").isEmpty());
    }

    @Test
    void aJdbcChangeBusTheStoreCannotUseStopsTheApplication() {
        withH2().withPropertyValues("platform.sessions.jdbc.change-bus=polling",
                "platform.sessions.jdbc.change-bus-poll-interval=1ms").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageContaining("poll interval"));
        withH2().withPropertyValues("platform.sessions.jdbc.change-bus=postgres",
                "platform.sessions.jdbc.change-bus-listen-url=jdbc:h2:mem:x").run(ctx ->
                assertThat(ctx).getFailure().hasStackTraceContaining("platform.sessions.jdbc.change-bus-listen-url"));
        withH2().withPropertyValues("platform.sessions.jdbc.change-bus=sometimes").run(ctx ->
                assertThat(ctx).hasFailed());
    }

    @Test
    void thePostgresChangeBusListensWithTheDataSourceProperties() {
        String url = System.getenv("PS_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            System.err.println("WARNING: SKIPPED: the PostgreSQL change-bus wiring test needs PS_TEST_POSTGRES_URL");
            org.junit.jupiter.api.Assumptions.abort("PS_TEST_POSTGRES_URL not set");
        }
        String prefix = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + url, "platform.sessions.jdbc.initialize-schema=always",
                        "platform.sessions.jdbc.table-prefix=" + prefix, "platform.sessions.jdbc.change-bus=postgres")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    JdbcSessionStore store = ctx.getBean(JdbcSessionStore.class);
                    try {
                        JdbcChangeBus bus = (JdbcChangeBus) store.changeBus().orElseThrow();
                        ctx.getBean(SessionManager.class);
                        Instant deadline = Instant.now().plusSeconds(10);
                        while (!bus.isLive() && Instant.now().isBefore(deadline)) {
                            Thread.sleep(20);
                        }
                        assertThat(bus.isLive()).as("LISTEN on a connection of its own").isTrue();
                    } finally {
                        store.dropSchema();
                    }
                });
    }

    @Test
    void withoutSessionJdbcOnTheClassPathTheDataSourceIsNotUsed() {
        withH2().withClassLoader(new FilteredClassLoader(JdbcSessionStore.class)).run(ctx ->
                assertThat(ctx).hasNotFailed().doesNotHaveBean(SessionManager.class));
    }

    @Test
    void theMemoryStoreIsUsedWhenAskedFor() {
        runner.withPropertyValues("platform.sessions.store.type=memory").run(ctx -> {
            assertThat(ctx).hasSingleBean(InMemorySessionStore.class).hasSingleBean(SessionManager.class);
            SessionManager m = ctx.getBean(SessionManager.class);
            CreatedSession s = m.create("alice", CLIENT);
            assertThat(m.resolve(s.token().value(), CLIENT)).isPresent();
        });
    }

    @Test
    void aDataSourceGivesAJdbcStoreWithItsSchemaOnAnEmbeddedDatabase() {
        withH2().withPropertyValues("platform.sessions.idle-timeout=10m", "platform.sessions.max-sessions-per-user=3")
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(JdbcSessionStore.class).hasSingleBean(SessionManager.class)
                            .hasSingleBean(PlatformSessionsScheduler.class);
                    JdbcSessionStore store = ctx.getBean(JdbcSessionStore.class);
                    assertThat(store.dataSource()).isSameAs(ctx.getBean(DataSource.class));
                    assertThat(tableExists(ctx.getBean(DataSource.class), "PS_SESSIONS")).isTrue();
                    SessionManager m = ctx.getBean(SessionManager.class);
                    assertThat(m.config().idleTimeout()).isEqualTo(Duration.ofMinutes(10));
                    assertThat(m.config().maxSessionsPerUser()).isEqualTo(3);
                    CreatedSession s = m.create("alice", CLIENT);
                    assertThat(m.resolve(s.token().value(), CLIENT)).isPresent();
                    assertThat(ctx.getBean(PlatformSessionsScheduler.class).isRunning()).isTrue(); // started with the context
                });
    }

    @Test
    void schemaInitializationCanBeSwitchedOffAndThePrefixChanged() {
        withH2().withPropertyValues("platform.sessions.jdbc.initialize-schema=never",
                "platform.sessions.jdbc.table-prefix=app_ps_").run(ctx -> {
                    assertThat(ctx.getBean(JdbcSessionStore.class).sessionsTable()).isEqualTo("app_ps_sessions");
                    assertThat(tableExists(ctx.getBean(DataSource.class), "APP_PS_SESSIONS")).isFalse();
                });
        withH2().withPropertyValues("platform.sessions.jdbc.initialize-schema=always",
                "platform.sessions.jdbc.table-prefix=app_ps_").run(ctx ->
                assertThat(tableExists(ctx.getBean(DataSource.class), "APP_PS_SESSIONS")).isTrue());
    }

    @Test
    void jdbcDirectoriesComeFromProperties() {
        withH2().withPropertyValues("platform.sessions.jdbc.platforms.managed-table=true",
                "platform.sessions.jdbc.user-query=SELECT id, name, active FROM app_users WHERE id = ?",
                "spring.sql.init.mode=never")
                .withUserConfiguration(UsersTable.class)
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(JdbcPlatformDirectory.class).hasSingleBean(JdbcUserDirectory.class);
                    JdbcPlatformDirectory platforms = ctx.getBean(JdbcPlatformDirectory.class);
                    PlatformConnection p = platforms.add("alice", "alice@mastodon.social", "mastodon",
                            "https://mastodon.social", true);
                    SessionManager m = ctx.getBean(SessionManager.class);
                    CreatedSession s = m.create("alice", CLIENT);
                    assertThat(s.context().platform()).hasValueSatisfying(a -> assertThat(a.id()).isEqualTo(p.id()));
                    assertThatThrownBy(() -> m.create("mallory", CLIENT)).isInstanceOf(InvalidUserException.class);
                });
    }

    @Test
    void applicationBeansWinOverEveryDefault() {
        runner.withUserConfiguration(OwnBeans.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(SessionStore.class).hasSingleBean(SessionConfig.class)
                    .hasSingleBean(UserDirectory.class).hasSingleBean(PlatformDirectory.class);
            assertThat(ctx.getBean(SessionStore.class)).isSameAs(ctx.getBean(OwnBeans.class).store);
            SessionManager m = ctx.getBean(SessionManager.class);
            assertThat(m.config().idleTimeout()).isEqualTo(Duration.ofMinutes(7));
            CreatedSession s = m.create("carol", CLIENT);
            assertThat(s.context().username()).isEqualTo("Carol");
            assertThat(s.context().platform()).isPresent();
            assertThatThrownBy(() -> m.create("alice", CLIENT)).isInstanceOf(InvalidUserException.class);
            assertThat(ctx.getBean(OwnBeans.class).events).anyMatch(e -> e instanceof SessionEvent.Created);
        });
    }

    @Test
    void anApplicationManagerReplacesOurs() {
        runner.withPropertyValues("platform.sessions.store.type=memory").withUserConfiguration(OwnManager.class)
                .run(ctx -> assertThat(ctx.getBean(SessionManager.class)).isSameAs(ctx.getBean(OwnManager.class).manager));
    }

    @Test
    void switchedOffNothingIsConfigured() {
        withH2().withPropertyValues("platform.sessions.enabled=false").run(ctx ->
                assertThat(ctx).hasNotFailed().doesNotHaveBean(SessionManager.class).doesNotHaveBean(SessionStore.class));
    }

    @Test
    void invalidValuesStopTheApplicationNamingTheProperty() {
        runner.withPropertyValues("platform.sessions.store.type=memory", "platform.sessions.idle-timeout=0s").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("platform.sessions.idle-timeout")
                    .hasMessageContaining("idleTimeout must be a positive duration");
        });
        runner.withPropertyValues("platform.sessions.store.type=memory", "platform.sessions.absolute-timeout=30h").run(ctx ->
                assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("must not exceed maxLifetime"));
        runner.withPropertyValues("platform.sessions.store.type=memory", "platform.sessions.max-attributes-size=2MB").run(ctx ->
                assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("platform.sessions.max-attributes-size"));
        runner.withPropertyValues("platform.sessions.store.type=memory", "platform.sessions.retry.max-attempts=0").run(ctx ->
                assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("platform.sessions.retry")
                        .hasMessageContaining("maxAttempts must be at least 1"));
        runner.withPropertyValues("platform.sessions.store.type=memory", "platform.sessions.idle-timeout=soon").run(ctx ->
                assertThat(ctx.getStartupFailure()).hasStackTraceContaining("platform.sessions.idle-timeout"));
        withH2().withPropertyValues("platform.sessions.jdbc.table-prefix=Bad-Prefix").run(ctx ->
                assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("platform.sessions.jdbc.table-prefix"));
        withH2().withPropertyValues("platform.sessions.jdbc.platforms.find-by-id-query=SELECT 1 WHERE 1 = ?").run(ctx ->
                assertThat(ctx.getStartupFailure()).rootCause()
                        .hasMessageContaining("platform.sessions.jdbc.platforms.find-by-user-query"));
        runner.withPropertyValues("platform.sessions.store.type=memory", "platform.sessions.cleanup.interval=0s").run(ctx ->
                assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("platform.sessions.cleanup.interval"));
    }

    @Test
    void encryptionKeysAreBase64AndNeverShownInErrors() {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        runner.withPropertyValues("platform.sessions.store.type=memory", "platform.sessions.encryption.keys.k1=" + key,
                "platform.sessions.encryption.secret-attributes=oauth.token").run(ctx -> {
                    SessionConfig c = ctx.getBean(SessionManager.class).config();
                    assertThat(c.activeEncryptionKeyId()).isEqualTo("k1");
                    assertThat(c.isSecretAttribute("oauth.token")).isTrue();
                });
        String shortKey = Base64.getEncoder().encodeToString("sixteen-byte-key".getBytes());
        runner.withPropertyValues("platform.sessions.store.type=memory", "platform.sessions.encryption.keys.k1=" + shortKey)
                .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause()
                        .hasMessageContaining("platform.sessions.encryption.keys.k1").hasMessageContaining("32 bytes")
                        .hasMessageNotContaining(shortKey));
        runner.withPropertyValues("platform.sessions.store.type=memory", "platform.sessions.encryption.keys.k1=not*base64!")
                .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("is not Base64")
                        .hasMessageNotContaining("not*base64!"));
        runner.withPropertyValues("platform.sessions.store.type=memory",
                "platform.sessions.encryption.secret-attributes=oauth.token").run(ctx ->
                assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("no encryption key is configured"));
    }

    @Test
    void redisIsChosenByUriAndItsStoreStartsWhileRedisIsAway() {
        // port 1 answers nothing: the store connects lazily, so the context still starts
        runner.withPropertyValues("platform.sessions.redis.uri=redis://127.0.0.1:1", "platform.sessions.redis.key-prefix=t:",
                "platform.sessions.redis.connect-timeout=250ms").run(ctx -> {
                    assertThat(ctx).hasSingleBean(RedisSessionStore.class).hasSingleBean(SessionManager.class);
                    assertThat(ctx.getBean(RedisSessionStore.class).keyPrefix()).isEqualTo("t:");
                    var health = new io.platformsessions.spring.actuate.PlatformSessionsHealthIndicator(
                            ctx.getBean(RedisSessionStore.class), null, null).health();
                    assertThat(health.getStatus().getCode()).isEqualTo("DOWN"); // nothing answers on port 1
                });
        withH2().withPropertyValues("platform.sessions.store.type=jdbc", "platform.sessions.redis.uri=redis://127.0.0.1:1")
                .run(ctx -> assertThat(ctx).hasSingleBean(JdbcSessionStore.class).doesNotHaveBean(RedisSessionStore.class));
        runner.withPropertyValues("platform.sessions.store.type=redis").run(ctx ->
                assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("platform.sessions.redis.cluster-uris"));
        withH2().withClassLoader(new FilteredClassLoader(RedisSessionStore.class))
                .withPropertyValues("platform.sessions.redis.uri=redis://127.0.0.1:1")
                .run(ctx -> assertThat(ctx).hasSingleBean(JdbcSessionStore.class));
    }

    @Test
    void onARealRedisSessionsWork() {
        String uri = System.getenv("PS_TEST_REDIS_URI");
        if (uri == null) {
            System.err.println("WARN SKIPPED onARealRedisSessionsWork: set PS_TEST_REDIS_URI (for example redis://127.0.0.1:6379)");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(uri != null, "PS_TEST_REDIS_URI is not set");
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
        runner.withPropertyValues("platform.sessions.redis.uri=" + uri, "platform.sessions.redis.key-prefix=" + prefix)
                .run(ctx -> {
                    SessionManager m = ctx.getBean(SessionManager.class);
                    CreatedSession s = m.create("alice", CLIENT);
                    assertThat(m.resolve(s.token().value(), CLIENT)).isPresent();
                    assertThat(m.invalidateAll("alice", io.platformsessions.InvalidationReason.LOGOUT_ALL)).isEqualTo(1);
                });
    }

    @Test
    void onARealRedisTheChangeBusPropertyGivesTheEngineTheStoresBus() {
        String uri = System.getenv("PS_TEST_REDIS_URI");
        if (uri == null) {
            System.err.println("WARN SKIPPED onARealRedisTheChangeBusPropertyGivesTheEngineTheStoresBus: set "
                    + "PS_TEST_REDIS_URI (for example redis://127.0.0.1:6379)");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(uri != null, "PS_TEST_REDIS_URI is not set");
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
        runner.withPropertyValues("platform.sessions.redis.uri=" + uri, "platform.sessions.redis.key-prefix=" + prefix,
                "platform.sessions.redis.change-bus=true").run(ctx -> {
                    assertThat(ctx.getBean(RedisSessionStore.class).changeBus()).isPresent();
                    SessionManager m = ctx.getBean(SessionManager.class);
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (m.metrics().cacheState() != io.platformsessions.SessionMetrics.CacheState.BUS_LIVE
                            && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertThat(m.metrics().cacheState()).isEqualTo(io.platformsessions.SessionMetrics.CacheState.BUS_LIVE);
                });
    }

    @Test
    void redisPropertyDefaultsAreTheStoresDefaults() {
        PlatformSessionsRedisProperties r = new PlatformSessionsProperties().getRedis();
        assertThat(r.getKeyPrefix()).isEqualTo(RedisSessionStore.DEFAULT_KEY_PREFIX);
        assertThat(r.getCommandTimeout()).isEqualTo(RedisSessionStore.DEFAULT_COMMAND_TIMEOUT);
        assertThat(r.getConnectTimeout()).isEqualTo(RedisSessionStore.DEFAULT_CONNECT_TIMEOUT);
        assertThat(r.getArchiveMaxLength()).isEqualTo(RedisSessionStore.DEFAULT_ARCHIVE_MAX_LENGTH);
        assertThat(r.isChangeBus()).isFalse();
        assertThat(new PlatformSessionsProperties().getIdleTimeout()).isEqualTo(SessionConfig.defaults().idleTimeout());
    }

    @Test
    void theSchedulerCleansUpExpiredSessions() throws Exception {
        runner.withPropertyValues("platform.sessions.store.type=memory", "platform.sessions.cleanup.interval=50ms")
                .withUserConfiguration(ClockConfig.class).run(ctx -> {
                    SessionManager m = ctx.getBean(SessionManager.class);
                    m.create("alice", CLIENT);
                    ctx.getBean(MutableClock.class).advance(Duration.ofHours(13));
                    PlatformSessionsScheduler scheduler = ctx.getBean(PlatformSessionsScheduler.class);
                    scheduler.start();
                    try {
                        InMemorySessionStore store = ctx.getBean(InMemorySessionStore.class);
                        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                        while (store.size() > 0 && System.nanoTime() < deadline) {
                            Thread.sleep(20);
                        }
                        assertThat(store.size()).isZero();
                    } finally {
                        scheduler.stop();
                    }
                    assertThat(scheduler.isRunning()).isFalse();
                });
    }

    static boolean tableExists(DataSource ds, String table) throws Exception {
        try (Connection c = ds.getConnection(); ResultSet rs = c.getMetaData().getTables(null, null, table, null)) {
            return rs.next();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UsersTable {
        UsersTable(DataSource ds) throws Exception {
            try (Connection c = ds.getConnection(); var st = c.createStatement()) {
                st.execute("CREATE TABLE app_users (id VARCHAR(64) PRIMARY KEY, name VARCHAR(64), active BOOLEAN)");
                st.execute("INSERT INTO app_users VALUES ('alice', 'Alice', TRUE)");
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        final InMemorySessionStore store = new InMemorySessionStore();
        final List<SessionEvent> events = new ArrayList<>();

        @Bean
        SessionStore store() {
            return store;
        }

        @Bean
        SessionConfig config() {
            return SessionConfig.builder().idleTimeout(Duration.ofMinutes(7)).build();
        }

        @Bean
        UserDirectory users() {
            return new InMemoryUserDirectory().put(new UserAccount("carol", "Carol", true));
        }

        @Bean
        PlatformDirectory platforms() {
            return new InMemoryPlatformDirectory().put(new PlatformConnection(5, "carol", "carol@pixelfed.social",
                    "pixelfed", "https://pixelfed.social", true, true));
        }

        @Bean
        SessionListener recorder() {
            return events::add;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnManager {
        final SessionManager manager = SessionManager.builder(new InMemorySessionStore()).build();

        @Bean
        SessionManager manager() {
            return manager;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ClockConfig {
        @Bean
        MutableClock clock() {
            return new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        }

        @Bean
        SessionConfig config(MutableClock clock) {
            return SessionConfig.builder().clock(clock).build();
        }
    }
}
