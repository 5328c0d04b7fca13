package io.platformsessions.spring.web;

import io.platformsessions.servlet.PlatformSessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Registers the Platform Sessions controller arguments ({@link PlatformContextArgumentResolver}), the
 * {@link RequiresPlatform} check and the answer to {@link PlatformRequiredException}. Immutable and thread-safe.
 */
public final class PlatformSessionsWebMvcConfigurer implements WebMvcConfigurer {
    private final PlatformRequiredResponses platformRequired;

    /**
     * Creates the configurer.
     *
     * @param platformPickerPage where a browser without an active platform is sent, or {@code null} for 409 JSON
     *     (the same value as the filter's {@code platformPickerPage})
     */
    public PlatformSessionsWebMvcConfigurer(String platformPickerPage) {
        this.platformRequired = new PlatformRequiredResponses(platformPickerPage);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new PlatformContextArgumentResolver());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new RequiresPlatformInterceptor()).order(Ordered.HIGHEST_PRECEDENCE);
    }

    @Override
    public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
        resolvers.add(0, (request, response, handler, ex) -> {
            if (!(ex instanceof PlatformRequiredException)) {
                return null;
            }
            send(request, response);
            return new ModelAndView();
        });
    }

    private void send(HttpServletRequest request, HttpServletResponse response) {
        try {
            platformRequired.send(request, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks {@link RequiresPlatform} handlers before they run. */
    private final class RequiresPlatformInterceptor implements HandlerInterceptor {
        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                throws IOException {
            if (!(handler instanceof HandlerMethod method) || !requiresPlatform(method)) {
                return true;
            }
            if (PlatformSessions.requireContext(request).hasPlatform()) {
                return true;
            }
            platformRequired.send(request, response);
            return false;
        }

        private boolean requiresPlatform(HandlerMethod method) {
            return method.hasMethodAnnotation(RequiresPlatform.class)
                    || AnnotatedElementUtils.hasAnnotation(method.getBeanType(), RequiresPlatform.class);
        }
    }
}
