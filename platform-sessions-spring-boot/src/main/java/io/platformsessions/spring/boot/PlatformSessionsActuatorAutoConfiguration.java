package io.platformsessions.spring.boot;

import io.platformsessions.SessionManager;
import io.platformsessions.spi.SessionStore;
import io.platformsessions.spring.actuate.EncryptionKeySanitizer;
import io.platformsessions.spring.actuate.PlatformSessionsEndpoint;
import io.platformsessions.spring.actuate.PlatformSessionsHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot Actuator: the {@code platformsessions} endpoint (exposed over HTTP only when the application's
 * {@code management.endpoints.web.exposure.include} names it), the {@code platformSessions} health indicator, and
 * the masking of encryption keys in the {@code env} and {@code configprops} endpoints.
 */
@AutoConfiguration(after = {PlatformSessionsAutoConfiguration.class, PlatformSessionsMetricsAutoConfiguration.class})
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(SessionManager.class)
public final class PlatformSessionsActuatorAutoConfiguration {

    /** Created by Spring. */
    PlatformSessionsActuatorAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    PlatformSessionsEndpoint platformSessionsEndpoint(SessionManager manager) {
        return new PlatformSessionsEndpoint(manager);
    }

    @Bean
    EncryptionKeySanitizer platformSessionsEncryptionKeySanitizer() {
        return new EncryptionKeySanitizer();
    }

    /** The store's health (and the bus's, when metered). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(AbstractHealthIndicator.class)
    @ConditionalOnBean(SessionStore.class)
    @ConditionalOnEnabledHealthIndicator("platformsessions")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "platformSessionsHealthIndicator")
        PlatformSessionsHealthIndicator platformSessionsHealthIndicator(SessionStore store,
                                                                        ObjectProvider<SessionsInstrumentation> metrics) {
            // the store bean is the application's or ours, never the metered wrapper inside the manager
            SessionsInstrumentation instrumentation = metrics.getIfAvailable();
            return new PlatformSessionsHealthIndicator(store,
                    instrumentation == null ? null : () -> {
                        java.util.function.IntSupplier open = instrumentation.busConnections();
                        return open == null ? -1 : open.getAsInt();
                    },
                    instrumentation == null ? null : () -> {
                        java.util.function.IntSupplier live = instrumentation.busLiveConnections();
                        return live == null ? -1 : live.getAsInt();
                    });
        }
    }
}
