package io.platformsessions.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.platformsessions.micrometer.MeteredSessionStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for the auto-configured {@code SessionManager} when Micrometer and a {@link MeterRegistry}
 * are present: the {@code platform.sessions.*} meters of {@code session-micrometer} (sessions, lookups by outcome,
 * store calls, CAS conflicts, suspicious activity, the change bus, active sessions sampled on the scheduler).
 * HikariCP's pool meters come from Boot's own DataSource metrics, since the store uses the application's pool.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MeteredSessionStore.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = {"platform.sessions.enabled", "platform.sessions.metrics.enabled"},
        matchIfMissing = true)
public final class PlatformSessionsMetricsAutoConfiguration {

    /** Created by Spring. */
    PlatformSessionsMetricsAutoConfiguration() {
    }

    @Bean
    SessionsInstrumentation platformSessionsInstrumentation(MeterRegistry registry) {
        return new MicrometerInstrumentation(registry);
    }
}
