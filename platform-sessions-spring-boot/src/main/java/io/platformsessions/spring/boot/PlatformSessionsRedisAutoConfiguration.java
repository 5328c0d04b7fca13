package io.platformsessions.spring.boot;

import io.platformsessions.SessionConfig;
import io.platformsessions.redis.RedisSessionStore;
import io.platformsessions.spi.SessionStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * A {@link RedisSessionStore} (module {@code session-redis}) when {@code platform.sessions.store.type=redis}, or
 * when the type is unset and {@code platform.sessions.redis.uri} or {@code cluster-uris} is set. It runs before
 * {@link PlatformSessionsAutoConfiguration}, whose JDBC store then backs off; the manager, filter, security,
 * metrics and Actuator parts are the same for every store. The store owns its Lettuce client and closes it
 * with the context; it connects lazily, so the application starts while Redis is still down (requests get 503).
 */
@AutoConfiguration(before = PlatformSessionsAutoConfiguration.class)
@ConditionalOnClass(RedisSessionStore.class)
@ConditionalOnBooleanProperty(name = "platform.sessions.enabled", matchIfMissing = true)
@Conditional(PlatformSessionsRedisAutoConfiguration.RedisWanted.class)
@EnableConfigurationProperties(PlatformSessionsProperties.class)
public final class PlatformSessionsRedisAutoConfiguration {

    /** Created by Spring. */
    PlatformSessionsRedisAutoConfiguration() {
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(SessionStore.class)
    RedisSessionStore platformSessionStore(PlatformSessionsProperties properties,
                                           org.springframework.beans.factory.ObjectProvider<SessionConfig> config) {
        PlatformSessionsRedisProperties r = properties.getRedis();
        RedisSessionStore.Builder b = RedisSessionStore.builder();
        boolean cluster = !r.getClusterUris().isEmpty();
        if (cluster == (r.getUri() != null)) {
            throw new org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException(
                    "platform.sessions.redis.uri", r.getUri(), "set exactly one of platform.sessions.redis.uri and "
                    + "platform.sessions.redis.cluster-uris");
        }
        if (cluster) {
            PropertyChecks.set("redis.cluster-uris", r.getClusterUris(),
                    () -> b.clusterUris(r.getClusterUris().toArray(String[]::new)));
        } else {
            // the URI may hold a password: name the property, never show the value
            PropertyChecks.set("redis.uri", "(not shown)", () -> b.uri(r.getUri()));
        }
        if (r.getUsername() != null) {
            b.username(r.getUsername());
        }
        if (r.getPassword() != null) {
            b.password(r.getPassword());
        }
        PropertyChecks.set("redis.key-prefix", r.getKeyPrefix(), () -> b.keyPrefix(r.getKeyPrefix()));
        PropertyChecks.set("redis.command-timeout", r.getCommandTimeout(), () -> b.commandTimeout(r.getCommandTimeout()));
        PropertyChecks.set("redis.connect-timeout", r.getConnectTimeout(), () -> b.connectTimeout(r.getConnectTimeout()));
        PropertyChecks.set("redis.expired-retention", r.getExpiredRetention(),
                () -> b.expiredRetention(r.getExpiredRetention()));
        PropertyChecks.set("redis.archive-max-length", r.getArchiveMaxLength(),
                () -> b.archiveMaxLength(r.getArchiveMaxLength()));
        b.archiveEndedSessions(r.isArchiveEndedSessions());
        b.changeBus(r.isChangeBus()); // the engine uses the store's bus (SessionStore.changeBus)
        SessionConfig c = config.getIfAvailable();
        if (c != null) {
            b.clock(c.clock()); // the native TTLs follow the engine's clock
        }
        RedisSessionStore[] built = new RedisSessionStore[1];
        PropertyChecks.set("redis.archive-ended-sessions", r.isArchiveEndedSessions(), () -> built[0] = b.build());
        return built[0];
    }

    /** Redis asked for by type, or by a URI without a type. */
    static final class RedisWanted extends AnyNestedCondition {
        RedisWanted() {
            super(ConfigurationPhase.PARSE_CONFIGURATION);
        }

        @ConditionalOnProperty(name = "platform.sessions.store.type", havingValue = "redis")
        static class ByType {
        }

        @Conditional(NoStoreType.class)
        @ConditionalOnProperty("platform.sessions.redis.uri")
        static class ByUri {
        }

        @Conditional(NoStoreType.class)
        @ConditionalOnProperty("platform.sessions.redis.cluster-uris[0]")
        static class ByClusterUris {
        }
    }

    /** {@code platform.sessions.store.type} is not set. */
    static final class NoStoreType extends NoneNestedConditions {
        NoStoreType() {
            super(ConfigurationPhase.PARSE_CONFIGURATION);
        }

        @ConditionalOnProperty("platform.sessions.store.type")
        static class TypeSet {
        }
    }
}
