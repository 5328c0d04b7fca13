package io.platformsessions.spring.web;

import io.platformsessions.ActivePlatform;
import io.platformsessions.PlatformContext;
import io.platformsessions.servlet.PlatformSessions;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves controller arguments of type {@link PlatformContext}, {@code Optional<PlatformContext>},
 * {@link ActivePlatform} and {@code Optional<ActivePlatform>} from the request's platform session.
 *
 * <p>A plain {@code PlatformContext} needs a session: without one, {@code PlatformSessions.requireContext}
 * throws {@code SessionNotFoundException}, which the filter answers (401 JSON or a login redirect, 429 when
 * the client is throttled). A plain {@code ActivePlatform} also needs an active platform: without one,
 * {@link PlatformRequiredException} (409 or the picker page). The {@code Optional} forms never fail.
 * Stateless and thread-safe.
 */
public final class PlatformContextArgumentResolver implements HandlerMethodArgumentResolver {

    /** Creates the resolver. */
    public PlatformContextArgumentResolver() {
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        if (type == PlatformContext.class || type == ActivePlatform.class) {
            return true;
        }
        if (type == Optional.class) {
            Class<?> element = ResolvableType.forMethodParameter(parameter).getGeneric(0).resolve();
            return element == PlatformContext.class || element == ActivePlatform.class;
        }
        return false;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        if (request == null) {
            throw new IllegalStateException("Platform Sessions arguments need a servlet request");
        }
        Class<?> type = parameter.getParameterType();
        if (type == PlatformContext.class) {
            return PlatformSessions.requireContext(request);
        }
        if (type == ActivePlatform.class) {
            return PlatformSessions.requireContext(request).platform().orElseThrow(PlatformRequiredException::new);
        }
        Optional<PlatformContext> context = PlatformSessions.context(request);
        Class<?> element = ResolvableType.forMethodParameter(parameter).getGeneric(0).resolve();
        return element == ActivePlatform.class ? context.flatMap(PlatformContext::platform) : context;
    }
}
