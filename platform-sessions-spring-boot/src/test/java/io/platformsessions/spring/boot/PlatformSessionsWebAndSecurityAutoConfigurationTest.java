package io.platformsessions.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.SessionManager;
import io.platformsessions.UserAccount;
import io.platformsessions.servlet.PlatformSessionFilter;
import io.platformsessions.spi.UserDirectory;
import io.platformsessions.spring.security.PlatformSecurityContextRepository;
import io.platformsessions.spring.security.PlatformSessionsHttpSecurityCustomizer;
import io.platformsessions.spring.security.UserDetailsUserDirectory;
import io.platformsessions.spring.web.PlatformSessionsWebMvcConfigurer;
import jakarta.servlet.DispatcherType;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.savedrequest.RequestCacheAwareFilter;
import org.springframework.security.web.session.ConcurrentSessionFilter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The filter registration, Spring MVC and Spring Security parts, and their conditions. */
class PlatformSessionsWebAndSecurityAutoConfigurationTest {
    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withPropertyValues("platform.sessions.store.type=memory")
            .withConfiguration(AutoConfigurations.of(PlatformSessionsAutoConfiguration.class,
                    PlatformSessionsWebAutoConfiguration.class, PlatformSessionsSecurityAutoConfiguration.class));

    private final WebApplicationContextRunner secured = web.withConfiguration(AutoConfigurations.of(
            SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
            UserDetailsServiceAutoConfiguration.class, SecurityFilterAutoConfiguration.class));

    @Test
    void theFilterIsRegisteredForRequestForwardErrorAndAsyncBeforeSpringSecurity() {
        secured.run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(PlatformSessionFilter.class);
            FilterRegistrationBean<?> ours = (FilterRegistrationBean<?>) ctx.getBean("platformSessionFilterRegistration");
            assertThat(ours.getFilter()).isSameAs(ctx.getBean(PlatformSessionFilter.class));
            assertThat(ours.getOrder()).isEqualTo(Integer.MIN_VALUE + 50);
            assertThat(ours.getUrlPatterns()).containsExactly("/*");
            assertThat(ours).extracting("dispatcherTypes").asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.iterable(DispatcherType.class))
                    .containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ERROR,
                            DispatcherType.ASYNC);
            var security = ctx.getBean("securityFilterChainRegistration",
                    org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean.class);
            assertThat(ours.getOrder()).isLessThan(security.getOrder());
            FilterRegistrationBean<?> unwrap = (FilterRegistrationBean<?>) ctx.getBean("platformSessionExceptionFilterRegistration");
            assertThat(unwrap.getOrder()).isEqualTo(ours.getOrder() + 1).isLessThan(security.getOrder());
        });
    }

    @Test
    void filterOptionsComeFromPropertiesAndBadOnesStopTheStart() {
        web.withPropertyValues("platform.sessions.filter.login-page=/signin", "platform.sessions.filter.order=5",
                "platform.sessions.security.enabled=false").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(((FilterRegistrationBean<?>) ctx.getBean("platformSessionFilterRegistration")).getOrder())
                            .isEqualTo(5);
                });
        web.withPropertyValues("platform.sessions.filter.platform-required-paths=/a/*/b").run(ctx ->
                assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("platform.sessions.filter.platform-required-paths"));
        web.withPropertyValues("platform.sessions.filter.retry-after=1500ms").run(ctx ->
                assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("whole number of seconds"));
        web.withPropertyValues("platform.sessions.filter.dispatcher-types=error").run(ctx ->
                assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("must include REQUEST"));
        secured.withPropertyValues("platform.sessions.filter.order=-100").run(ctx ->
                assertThat(ctx.getStartupFailure()).rootCause()
                        .hasMessageContaining("must be lower than spring.security.filter.order (-100)"));
    }

    @Test
    void anApplicationFilterBeanReplacesOurs() {
        web.withUserConfiguration(OwnFilter.class).run(ctx ->
                assertThat(ctx.getBean(PlatformSessionFilter.class)).isSameAs(ctx.getBean(OwnFilter.class).filter));
    }

    @Test
    void notAWebApplicationNoFilter() {
        new ApplicationContextRunner().withPropertyValues("platform.sessions.store.type=memory")
                .withConfiguration(AutoConfigurations.of(PlatformSessionsAutoConfiguration.class,
                        PlatformSessionsWebAutoConfiguration.class, PlatformSessionsSecurityAutoConfiguration.class))
                .run(ctx -> assertThat(ctx).hasSingleBean(SessionManager.class).doesNotHaveBean(PlatformSessionFilter.class)
                        .doesNotHaveBean(PlatformSessionsHttpSecurityCustomizer.class));
    }

    @Test
    void springMvcGetsTheArgumentsAndWithoutItNothingBreaks() {
        web.run(ctx -> assertThat(ctx).hasSingleBean(PlatformSessionsWebMvcConfigurer.class));
        web.withClassLoader(new FilteredClassLoader(WebMvcConfigurer.class)).run(ctx ->
                assertThat(ctx).hasNotFailed().hasSingleBean(PlatformSessionFilter.class)
                        .doesNotHaveBean(PlatformSessionsWebMvcConfigurer.class));
    }

    @Test
    void everyChainIsPutOnThePlatformSession() {
        secured.run(ctx -> {
            assertThat(ctx).hasSingleBean(PlatformSessionsHttpSecurityCustomizer.class)
                    .hasSingleBean(PlatformSecurityContextRepository.class);
            SecurityFilterChain chain = ctx.getBean(FilterChainProxy.class).getFilterChains().get(0);
            assertThat(chain.getFilters()).anyMatch(f -> f instanceof CsrfFilter)       // publishes our token
                    .anyMatch(f -> f instanceof RequestCacheAwareFilter)
                    .noneMatch(f -> f instanceof ConcurrentSessionFilter);
        });
    }

    @Test
    void springSecuritysConcurrencyControlIsRefusedWithAClearMessage() {
        secured.withUserConfiguration(MaximumSessionsChain.class).run(ctx ->
                assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("platform.sessions.max-sessions-per-user"));
    }

    @Test
    void withoutSpringSecurityTheFilterStillWorks() {
        web.withClassLoader(new FilteredClassLoader(HttpSecurity.class)).run(ctx ->
                assertThat(ctx).hasNotFailed().hasSingleBean(PlatformSessionFilter.class)
                        .doesNotHaveBean(PlatformSessionsHttpSecurityCustomizer.class)
                        .doesNotHaveBean(PlatformSecurityContextRepository.class));
        secured.withPropertyValues("platform.sessions.security.enabled=false").run(ctx ->
                assertThat(ctx).hasNotFailed().doesNotHaveBean(PlatformSessionsHttpSecurityCustomizer.class));
    }

    @Test
    void aUserDetailsServiceDecidesWhoMayHoldASession() {
        secured.withUserConfiguration(Users.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(UserDetailsUserDirectory.class);
            UserDirectory users = ctx.getBean(UserDirectory.class);
            assertThat(users.find("alice")).contains(new UserAccount("alice", "alice", true));
            assertThat(users.find("bob")).hasValueSatisfying(u -> assertThat(u.active()).isFalse());
            assertThat(users.find("mallory")).isEqualTo(Optional.empty());
        });
        secured.withUserConfiguration(Users.class).withPropertyValues("platform.sessions.security.user-details-directory=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(UserDirectory.class));
        secured.withPropertyValues("platform.sessions.security.reload-user=true")
                .withUserConfiguration(TwoUserServices.class).run(ctx ->
                        assertThat(ctx.getStartupFailure()).rootCause()
                                .hasMessageContaining("platform.sessions.security.reload-user"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnFilter {
        final PlatformSessionFilter filter = new PlatformSessionFilter();

        @Bean
        PlatformSessionFilter filter() {
            return filter;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MaximumSessionsChain {
        @Bean
        SecurityFilterChain chain(HttpSecurity http) throws Exception {
            http.sessionManagement(sm -> sm.maximumSessions(1));
            return http.build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Users {
        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("alice").password("{noop}x").roles("USER").build(),
                    User.withUsername("bob").password("{noop}x").roles("USER").disabled(true).build());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoUserServices {
        @Bean
        UserDetailsService one() {
            return new InMemoryUserDetailsManager();
        }

        @Bean
        UserDetailsService two() {
            return new InMemoryUserDetailsManager();
        }
    }
}
