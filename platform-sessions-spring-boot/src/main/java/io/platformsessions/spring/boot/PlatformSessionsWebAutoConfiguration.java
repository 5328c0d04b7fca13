package io.platformsessions.spring.boot;

import io.platformsessions.SessionManager;
import io.platformsessions.servlet.PlatformSessionFilter;
import io.platformsessions.spring.web.PlatformFlashMapManager;
import io.platformsessions.spring.web.PlatformSessionsWebMvcConfigurer;
import io.platformsessions.spring.web.SessionExceptionUnwrappingFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.support.SessionFlashMapManager;

/**
 * Servlet web applications: the {@link PlatformSessionFilter} built from {@code platform.sessions.filter.*} and
 * registered for REQUEST, FORWARD, ERROR and ASYNC dispatches on {@code /*} at {@code platform.sessions.filter.order}
 * (ahead of Spring Security's chain), a filter right behind it that lets it answer session exceptions thrown by
 * controllers, and with Spring MVC the controller arguments, {@code @RequiresPlatform} and flash attributes kept in
 * the platform session ({@link PlatformFlashMapManager} replaces Spring's {@code SessionFlashMapManager}).
 */
@AutoConfiguration(after = PlatformSessionsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({PlatformSessionFilter.class, FilterRegistrationBean.class})
@ConditionalOnBean(SessionManager.class)
public final class PlatformSessionsWebAutoConfiguration {

    /** Created by Spring. */
    PlatformSessionsWebAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    PlatformSessionFilter platformSessionFilter(SessionManager manager, PlatformSessionsProperties properties) {
        // GET <prefix>/platforms is served from the manager's own directory
        return PropertyChecks.filter(PlatformSessionFilter.builder(manager), properties.getFilter()).build();
    }

    @Bean
    @ConditionalOnMissingBean(name = "platformSessionFilterRegistration")
    FilterRegistrationBean<PlatformSessionFilter> platformSessionFilterRegistration(PlatformSessionFilter filter,
                                                                                  PlatformSessionsProperties properties) {
        PlatformSessionsFilterProperties f = properties.getFilter();
        FilterRegistrationBean<PlatformSessionFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("platformSessionFilter");
        registration.setOrder(f.getOrder());
        registration.setDispatcherTypes(dispatcherTypes(f.getDispatcherTypes()));
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    @ConditionalOnMissingBean(name = "platformSessionExceptionFilterRegistration")
    FilterRegistrationBean<SessionExceptionUnwrappingFilter> platformSessionExceptionFilterRegistration(
            PlatformSessionsProperties properties) {
        PlatformSessionsFilterProperties f = properties.getFilter();
        FilterRegistrationBean<SessionExceptionUnwrappingFilter> registration =
                new FilterRegistrationBean<>(new SessionExceptionUnwrappingFilter());
        registration.setName("platformSessionExceptionFilter");
        registration.setOrder(f.getOrder() == Integer.MAX_VALUE ? f.getOrder() : f.getOrder() + 1);
        registration.setDispatcherTypes(dispatcherTypes(f.getDispatcherTypes()));
        registration.addUrlPatterns("/*");
        return registration;
    }

    private static EnumSet<DispatcherType> dispatcherTypes(List<DispatcherType> types) {
        if (types == null || !types.contains(DispatcherType.REQUEST)) {
            throw new InvalidConfigurationPropertyValueException("platform.sessions.filter.dispatcher-types", types,
                    "must include REQUEST: the filter resolves the session on the request's first dispatch");
        }
        return EnumSet.copyOf(types);
    }

    /** Spring MVC: controller arguments, {@code @RequiresPlatform}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebMvcConfigurer.class)
    static class MvcConfiguration {

        @Bean
        @ConditionalOnMissingBean
        PlatformSessionsWebMvcConfigurer platformSessionsWebMvcConfigurer(PlatformSessionsProperties properties) {
            return new PlatformSessionsWebMvcConfigurer(properties.getFilter().getPlatformPickerPage());
        }

        /** Spring MVC's flash attributes in the platform session (its default keeps Java objects in the HttpSession). */
        @Bean
        static BeanPostProcessor platformSessionsFlashMapManagerPostProcessor() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof SessionFlashMapManager ? new PlatformFlashMapManager() : bean;
                }
            };
        }
    }
}
