package io.platformsessions.spring.boot;

import io.platformsessions.SessionConfig;
import io.platformsessions.SessionManager;
import io.platformsessions.jdbc.JdbcChangeBus;
import io.platformsessions.jdbc.JdbcPlatformDirectory;
import io.platformsessions.jdbc.JdbcSessionStore;
import io.platformsessions.jdbc.JdbcUserDirectory;
import io.platformsessions.jdbc.QueryPlatformDirectory;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.spi.PlatformDirectory;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionListener;
import io.platformsessions.spi.SessionStore;
import io.platformsessions.spi.UserDirectory;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Auto-configuration of the {@link SessionManager}: its {@link SessionConfig} from {@code platform.sessions.*},
 * a {@link JdbcSessionStore} on the application's {@link DataSource} (tables created at startup when
 * {@code platform.sessions.jdbc.initialize-schema} says so, after Flyway, Liquibase and Boot's SQL
 * initialization ran), the directories, and the cleanup schedule.
 *
 * <p>Every bean backs off when the application defines its own of the same type: a {@code SessionConfig}, a
 * {@code SessionStore} (any store, for example a Redis one), a {@code UserDirectory}, a
 * {@code PlatformDirectory} or the {@code SessionManager} itself. {@link SessionListener} and
 * {@link SessionChangeBus} beans are given to the manager. Without a DataSource and without a store bean nothing
 * is configured, unless {@code platform.sessions.store.type=memory}.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
    "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
    "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"})
@ConditionalOnClass(SessionManager.class)
@ConditionalOnBooleanProperty(name = "platform.sessions.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PlatformSessionsProperties.class)
public final class PlatformSessionsAutoConfiguration {

    /** Created by Spring. */
    PlatformSessionsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    SessionConfig platformSessionsConfig(PlatformSessionsProperties properties) {
        return PropertyChecks.sessionConfig(properties);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnBean(SessionStore.class)
    @ConditionalOnMissingBean
    SessionManager platformSessionManager(SessionStore store, SessionConfig config, ObjectProvider<UserDirectory> users,
                                          ObjectProvider<PlatformDirectory> platforms,
                                          ObjectProvider<SessionListener> listeners,
                                          ObjectProvider<SessionChangeBus> bus,
                                          ObjectProvider<SessionsInstrumentation> instrumentation) {
        SessionsInstrumentation metrics = instrumentation.getIfAvailable();
        SessionStore s = metrics == null ? store : metrics.store(store);
        SessionManager.Builder b = SessionManager.builder(s).config(config);
        users.ifAvailable(b::userDirectory);
        platforms.ifAvailable(b::platformDirectory);
        listeners.orderedStream().forEach(b::listener);
        bus.ifAvailable(value -> b.changeBus(metrics == null ? value : metrics.bus(value)));
        if (metrics != null) {
            metrics.listeners(s, config).forEach(b::listener);
        }
        SessionManager manager = b.build();
        return metrics == null ? manager : metrics.manager(manager, s);
    }

    @Bean
    @ConditionalOnBean(SessionManager.class)
    @ConditionalOnMissingBean
    PlatformSessionsScheduler platformSessionsScheduler(SessionManager manager, PlatformSessionsProperties properties,
                                                        ObjectProvider<SessionsInstrumentation> instrumentation) {
        PlatformSessionsCleanupProperties cleanup = properties.getCleanup();
        Duration cleanupInterval = cleanup.isEnabled()
                ? PropertyChecks.positive("cleanup.interval", cleanup.getInterval()) : null;
        SessionsInstrumentation metrics = instrumentation.getIfAvailable();
        Runnable sampler = metrics == null ? null : metrics.sampler();
        Duration sampleInterval = sampler == null ? null
                : PropertyChecks.positive("metrics.active-sessions-sample-interval",
                        properties.getMetrics().getActiveSessionsSampleInterval());
        return new PlatformSessionsScheduler(manager, cleanupInterval, sampler, sampleInterval);
    }

    /** The JDBC store and directories on the application's single DataSource. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({JdbcSessionStore.class, EmbeddedDatabaseConnection.class, DependsOnDatabaseInitialization.class})
    @ConditionalOnSingleCandidate(DataSource.class)
    @ConditionalOnProperty(name = "platform.sessions.store.type", havingValue = "jdbc", matchIfMissing = true)
    @Import(DatabaseInitializationDependencyConfigurer.class)
    static class JdbcConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(SessionStore.class)
        @DependsOnDatabaseInitialization
        JdbcSessionStore platformSessionStore(DataSource dataSource, PlatformSessionsProperties properties,
                                              ObjectProvider<DataSourceProperties> dataSourceProperties) {
            PlatformSessionsJdbcProperties jdbc = properties.getJdbc();
            JdbcSessionStore.Builder b = JdbcSessionStore.builder().dataSource(dataSource);
            PropertyChecks.set("jdbc.table-prefix", jdbc.getTablePrefix(), () -> b.tablePrefix(jdbc.getTablePrefix()));
            if (jdbc.getDialect() != null) {
                b.dialect(jdbc.getDialect());
            }
            JdbcChangeBus bus = changeBus(jdbc, dataSource, dataSourceProperties.getIfAvailable());
            if (bus != null) {
                b.changeBus(bus); // the engine uses the store's bus (SessionStore.changeBus); the store closes it
            }
            return b.initializeSchema(initialize(jdbc, dataSource))
                    .archiveEndedSessions(jdbc.isArchiveEndedSessions())
                    .asynchronousCreateCommit(jdbc.isAsynchronousCreateCommit())
                    .build();
        }

        /**
         * The bus {@code platform.sessions.jdbc.change-bus} asks for. PostgreSQL's listening connection is opened
         * outside the pool: from {@code change-bus-listen-url}, else from {@code spring.datasource.url}, username and
         * password, else (no such properties) from the DataSource itself, where it holds one connection for good.
         */
        private static JdbcChangeBus changeBus(PlatformSessionsJdbcProperties jdbc, DataSource dataSource,
                                               DataSourceProperties dataSourceProperties) {
            return switch (jdbc.getChangeBus()) {
                case NONE -> null;
                case POLLING -> PropertyChecks.made("jdbc.change-bus-poll-interval", jdbc.getChangeBusPollInterval(),
                        () -> JdbcChangeBus.polling(jdbc.getChangeBusPollInterval()));
                case POSTGRES -> {
                    if (jdbc.getChangeBusListenUrl() != null) {
                        yield PropertyChecks.made("jdbc.change-bus-listen-url", jdbc.getChangeBusListenUrl(),
                                () -> JdbcChangeBus.postgres(jdbc.getChangeBusListenUrl()));
                    }
                    if (dataSourceProperties != null && dataSourceProperties.getUrl() != null) {
                        yield JdbcChangeBus.postgres(new DriverManagerDataSource(dataSourceProperties.determineUrl(),
                                dataSourceProperties.determineUsername(), dataSourceProperties.determinePassword()));
                    }
                    yield JdbcChangeBus.postgres(dataSource);
                }
            };
        }

        @Bean
        @ConditionalOnMissingBean(UserDirectory.class)
        @ConditionalOnProperty(name = "platform.sessions.jdbc.user-query")
        @DependsOnDatabaseInitialization
        JdbcUserDirectory platformSessionsJdbcUserDirectory(DataSource dataSource, PlatformSessionsProperties properties) {
            JdbcUserDirectory.Builder b = JdbcUserDirectory.builder(dataSource);
            String query = properties.getJdbc().getUserQuery();
            PropertyChecks.set("jdbc.user-query", query, () -> b.query(query));
            return b.build();
        }

        @Bean
        @ConditionalOnMissingBean(PlatformDirectory.class)
        @Conditional(PlatformDirectoryConfigured.class)
        @DependsOnDatabaseInitialization
        PlatformDirectory platformSessionsJdbcPlatformDirectory(DataSource dataSource,
                                                                PlatformSessionsProperties properties) {
            PlatformSessionsJdbcProperties jdbc = properties.getJdbc();
            PlatformSessionsJdbcProperties.Platforms p = jdbc.getPlatforms();
            boolean queries = p.getFindByIdQuery() != null || p.getFindByUserQuery() != null;
            if (queries && p.isManagedTable()) {
                throw new InvalidConfigurationPropertyValueException("platform.sessions.jdbc.platforms.managed-table",
                        true, "use either the managed table or your own queries (find-by-id-query, find-by-user-query)");
            }
            if (queries) {
                if (p.getFindByIdQuery() == null || p.getFindByUserQuery() == null) {
                    throw new InvalidConfigurationPropertyValueException(
                            "platform.sessions.jdbc.platforms." + (p.getFindByIdQuery() == null
                                    ? "find-by-id-query" : "find-by-user-query"), null,
                            "find-by-id-query and find-by-user-query are set together");
                }
                // the application's own tables, read-only
                QueryPlatformDirectory.Builder q = QueryPlatformDirectory.builder(dataSource);
                PropertyChecks.set("jdbc.platforms.find-by-id-query", p.getFindByIdQuery(),
                        () -> q.queries(p.getFindByIdQuery(), p.getFindByUserQuery()));
                return q.build();
            }
            JdbcPlatformDirectory.Builder b = JdbcPlatformDirectory.builder(dataSource);
            PropertyChecks.set("jdbc.table-prefix", jdbc.getTablePrefix(), () -> b.tablePrefix(jdbc.getTablePrefix()));
            if (jdbc.getDialect() != null) {
                b.dialect(jdbc.getDialect());
            }
            return b.initializeSchema(initialize(jdbc, dataSource)).build();
        }

        private static boolean initialize(PlatformSessionsJdbcProperties jdbc, DataSource dataSource) {
            return switch (jdbc.getInitializeSchema()) {
                case ALWAYS -> true;
                case NEVER -> false;
                case EMBEDDED -> EmbeddedDatabaseConnection.isEmbedded(dataSource);
            };
        }
    }

    /** {@code platform.sessions.store.type=memory}: one node, lost on restart; tests and demos. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "platform.sessions.store.type", havingValue = "memory")
    static class MemoryConfiguration {

        @Bean
        @ConditionalOnMissingBean(SessionStore.class)
        InMemorySessionStore platformSessionStore() {
            return new InMemorySessionStore();
        }
    }

    /** The managed platform table or the application's platform queries are configured. */
    static final class PlatformDirectoryConfigured extends AnyNestedCondition {
        PlatformDirectoryConfigured() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBooleanProperty("platform.sessions.jdbc.platforms.managed-table")
        static class Managed {
        }

        @ConditionalOnProperty("platform.sessions.jdbc.platforms.find-by-id-query")
        static class ById {
        }

        @ConditionalOnProperty("platform.sessions.jdbc.platforms.find-by-user-query")
        static class ByUser {
        }
    }
}
