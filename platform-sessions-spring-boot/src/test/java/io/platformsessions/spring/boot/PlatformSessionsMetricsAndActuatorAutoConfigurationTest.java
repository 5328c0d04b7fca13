package io.platformsessions.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.platformsessions.CreatedSession;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionEvent;
import io.platformsessions.SessionManager;
import io.platformsessions.micrometer.MeteredSessionManager;
import io.platformsessions.spi.SessionListener;
import io.platformsessions.spring.actuate.EncryptionKeySanitizer;
import io.platformsessions.spring.actuate.PlatformSessionsEndpoint;
import io.platformsessions.spring.actuate.PlatformSessionsHealthIndicator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Micrometer and Actuator parts, and what happens without them. */
class PlatformSessionsMetricsAndActuatorAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withPropertyValues("platform.sessions.store.type=memory",
                    "management.endpoints.web.exposure.include=platformsessions")
            .withConfiguration(AutoConfigurations.of(PlatformSessionsAutoConfiguration.class,
                    PlatformSessionsMetricsAutoConfiguration.class, PlatformSessionsActuatorAutoConfiguration.class));

    @Test
    void withARegistryTheManagerIsMeteredAndActiveSessionsAreSampled() {
        runner.withUserConfiguration(Registry.class)
                .withPropertyValues("platform.sessions.metrics.active-sessions-sample-interval=50ms").run(ctx -> {
            SessionManager m = ctx.getBean(SessionManager.class);
            assertThat(m).isInstanceOf(MeteredSessionManager.class);
            CreatedSession s = m.create("alice", PlatformSessionsAutoConfigurationTest.CLIENT);
            m.lookup(s.token().value(), PlatformSessionsAutoConfigurationTest.CLIENT);
            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            assertThat(registry.get("platform.sessions.created").counter().count()).isEqualTo(1);
            assertThat(registry.get("platform.sessions.lookups").tag("outcome", "cache_hit").timer().count()).isEqualTo(1);
            assertThat(registry.get("platform.sessions.store.calls").tag("operation", "insert").timers()).isNotEmpty();
            long deadline = System.nanoTime() + 5_000_000_000L; // the scheduler samples every 50 ms
            // find, not get: the gauge exists only after the first sample, which a loaded machine may delay
            while (System.nanoTime() < deadline) {
                io.micrometer.core.instrument.Gauge g = registry.find("platform.sessions.active")
                        .tag("platform.type", "none").gauge();
                if (g != null && g.value() >= 1) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(registry.get("platform.sessions.active").tag("platform.type", "none").gauge().value()).isEqualTo(1);
        });
    }

    @Test
    void withoutMicrometerOrWithMetricsOffThereAreNoMeters() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(SessionManager.class)).isNotInstanceOf(MeteredSessionManager.class);
        });
        runner.withUserConfiguration(Registry.class).withPropertyValues("platform.sessions.metrics.enabled=false")
                .run(ctx -> {
                    assertThat(ctx.getBean(SessionManager.class)).isNotInstanceOf(MeteredSessionManager.class);
                    assertThat(ctx.getBean(MeterRegistry.class).find("platform.sessions.created").counter()).isNull();
                });
    }

    @Test
    void theEndpointListsAndEndsAUsersSessionsWithoutSecrets() {
        runner.withUserConfiguration(Ends.class).run(ctx -> {
            PlatformSessionsEndpoint endpoint = ctx.getBean(PlatformSessionsEndpoint.class);
            SessionManager m = ctx.getBean(SessionManager.class);
            CreatedSession a = m.create("alice", PlatformSessionsAutoConfigurationTest.CLIENT);
            m.create("alice", PlatformSessionsAutoConfigurationTest.CLIENT);

            PlatformSessionsEndpoint.UserSessions listed = endpoint.sessions("alice");
            assertThat(listed.sessions()).hasSize(2);
            assertThat(listed.sessions()).allSatisfy(d -> {
                assertThat(d.keyPrefix()).hasSize(8);
                assertThat(d.device()).isEqualTo("Firefox on Linux");
                assertThat(d.ipNetwork()).isEqualTo("203.0.113.0/24");
            });
            assertThat(listed.toString()).doesNotContain(a.token().value()).doesNotContain(a.context().key().hex());
            assertThat(endpoint.overview().activeSessions()).isEqualTo(2);

            assertThat(endpoint.end("alice", a.context().sessionId()).ended()).isEqualTo(1);
            assertThat(endpoint.end("alice", "no-such-session").ended()).isZero();
            assertThat(m.resolve(a.token().value(), PlatformSessionsAutoConfigurationTest.CLIENT)).isEmpty();
            assertThat(endpoint.endAll("alice").ended()).isEqualTo(1);
            assertThat(endpoint.sessions("alice").sessions()).isEmpty();
            assertThat(ctx.getBean(Ends.class).reasons).as("an operator ended them, not the user")
                    .containsExactly(InvalidationReason.ADMIN, InvalidationReason.ADMIN);
        });
    }

    @Test
    void theEndpointNeedsExposureAndActuator() {
        new ApplicationContextRunner().withPropertyValues("platform.sessions.store.type=memory")
                .withConfiguration(AutoConfigurations.of(PlatformSessionsAutoConfiguration.class,
                        PlatformSessionsActuatorAutoConfiguration.class))
                .run(ctx -> assertThat(ctx).doesNotHaveBean(PlatformSessionsEndpoint.class)
                        .hasSingleBean(PlatformSessionsHealthIndicator.class));
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class)).run(ctx ->
                assertThat(ctx).hasNotFailed().hasSingleBean(SessionManager.class)
                        .doesNotHaveBean(PlatformSessionsEndpoint.class).doesNotHaveBean(PlatformSessionsHealthIndicator.class));
        runner.withPropertyValues("management.health.platformsessions.enabled=false").run(ctx ->
                assertThat(ctx).doesNotHaveBean(PlatformSessionsHealthIndicator.class));
    }

    @Test
    void theHealthIndicatorProbesTheStore() {
        runner.run(ctx -> {
            Health h = ctx.getBean(PlatformSessionsHealthIndicator.class).health();
            assertThat(h.getStatus()).isEqualTo(Status.UP);
            assertThat(h.getDetails()).containsEntry("store", "InMemorySessionStore").containsKey("probeMillis");
        });
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        PlatformSessionsAutoConfiguration.class, PlatformSessionsActuatorAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .run(ctx -> {
                    Health h = ctx.getBean(PlatformSessionsHealthIndicator.class).health();
                    assertThat(h.getStatus()).isEqualTo(Status.UP);
                    assertThat(h.getDetails()).containsEntry("dialect", "H2").containsEntry("table", "ps_sessions")
                            .containsKey("pool");
                    ((com.zaxxer.hikari.HikariDataSource) ctx.getBean(javax.sql.DataSource.class)).close();
                    assertThat(ctx.getBean(PlatformSessionsHealthIndicator.class).health().getStatus())
                            .isEqualTo(Status.DOWN);
                });
    }

    @Test
    void encryptionKeysAreMaskedInEveryNaming() {
        EncryptionKeySanitizer s = new EncryptionKeySanitizer();
        for (String key : new String[] {"platform.sessions.encryption.keys.k1", "PLATFORM_SESSIONS_ENCRYPTION_KEYS_K1",
            "platform.sessions.encryption.keys[k1]"}) {
            assertThat(s.apply(new SanitizableData(null, key, "secret")).getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
        }
        assertThat(s.apply(new SanitizableData(null, "platform.sessions.idle-timeout", "30m")).getValue()).isEqualTo("30m");
        runner.run(ctx -> assertThat(ctx).hasSingleBean(EncryptionKeySanitizer.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class Ends {
        final List<InvalidationReason> reasons = new CopyOnWriteArrayList<>();

        @Bean
        SessionListener endsRecorder() {
            return event -> {
                if (event instanceof SessionEvent.Invalidated ended) {
                    reasons.add(ended.reason());
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }
    }
}
