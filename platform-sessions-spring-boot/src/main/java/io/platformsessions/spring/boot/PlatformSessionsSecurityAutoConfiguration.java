package io.platformsessions.spring.boot;

import io.platformsessions.SessionManager;
import io.platformsessions.servlet.PlatformSessions;
import io.platformsessions.spi.UserDirectory;
import io.platformsessions.spring.security.PlatformSecurityContextRepository;
import io.platformsessions.spring.security.PlatformSessionsHttpSecurityCustomizer;
import io.platformsessions.spring.security.UserDetailsUserDirectory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Spring Security 7 on Platform Sessions. Every {@code SecurityFilterChain} built from Spring's
 * {@code HttpSecurity} (the application's, or Boot's default one) gets {@link PlatformSessionsHttpSecurityCustomizer}:
 * the security context in the platform session, a new platform session (new token) at every authentication,
 * logout ending it, the library's session limit and CSRF protection in charge. With a single
 * {@link UserDetailsService} and no {@code UserDirectory} bean, that service also decides which users may hold
 * a session. The filter must run before Spring Security's chain: startup fails if
 * {@code platform.sessions.filter.order} is not below {@code spring.security.filter.order}.
 */
@AutoConfiguration(after = {PlatformSessionsAutoConfiguration.class, PlatformSessionsWebAutoConfiguration.class},
        afterName = "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({HttpSecurity.class, SecurityContextRepository.class, PlatformSessions.class})
@ConditionalOnBean(SessionManager.class)
@ConditionalOnBooleanProperty(name = "platform.sessions.security.enabled", matchIfMissing = true)
public final class PlatformSessionsSecurityAutoConfiguration {
    /** Spring Boot's default {@code spring.security.filter.order}. */
    static final int DEFAULT_SECURITY_FILTER_ORDER = -100;

    /** Created by Spring. */
    PlatformSessionsSecurityAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    PlatformSecurityContextRepository platformSecurityContextRepository(
            ObjectProvider<UserDetailsService> userDetailsService, PlatformSessionsProperties properties) {
        UserDetailsService users = userDetailsService.getIfUnique();
        boolean reload = properties.getSecurity().isReloadUser();
        if (reload && users == null) {
            throw new InvalidConfigurationPropertyValueException("platform.sessions.security.reload-user", true,
                    "reloading users needs exactly one UserDetailsService bean");
        }
        return new PlatformSecurityContextRepository(users, reload);
    }

    @Bean
    @ConditionalOnMissingBean
    PlatformSessionsHttpSecurityCustomizer platformSessionsHttpSecurityCustomizer(
            PlatformSecurityContextRepository repository, PlatformSessionsProperties properties, Environment env) {
        int securityOrder = env.getProperty("spring.security.filter.order", Integer.class, DEFAULT_SECURITY_FILTER_ORDER);
        int ours = properties.getFilter().getOrder();
        if (ours >= securityOrder) {
            throw new InvalidConfigurationPropertyValueException("platform.sessions.filter.order", ours,
                    "must be lower than spring.security.filter.order (" + securityOrder + "): the Platform Sessions "
                            + "filter has to run before Spring Security's filter chain");
        }
        return new PlatformSessionsHttpSecurityCustomizer(repository);
    }

    @Bean
    @ConditionalOnMissingBean(UserDirectory.class)
    @ConditionalOnSingleCandidate(UserDetailsService.class)
    @ConditionalOnBooleanProperty(name = "platform.sessions.security.user-details-directory", matchIfMissing = true)
    UserDetailsUserDirectory platformSessionsUserDetailsDirectory(UserDetailsService userDetailsService) {
        return new UserDetailsUserDirectory(userDetailsService);
    }
}
