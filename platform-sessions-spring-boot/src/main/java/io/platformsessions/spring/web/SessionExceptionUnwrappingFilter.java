package io.platformsessions.spring.web;

import io.platformsessions.SessionException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets {@code PlatformSessionFilter} answer session exceptions thrown by controllers. Spring MVC wraps an
 * exception no handler resolved in a {@link ServletException}; the filter maps only {@link SessionException}s
 * (401, 403, 404, 409, 429, 503 as documented in docs/servlet.md). Registered right after the filter, this one
 * rethrows such a cause unwrapped when the response is not committed yet, so the filter can answer it.
 * Stateless and thread-safe.
 */
public final class SessionExceptionUnwrappingFilter extends OncePerRequestFilter {

    /** Creates the filter. */
    public SessionExceptionUnwrappingFilter() {
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException e) {
            if (e.getCause() instanceof SessionException cause && !response.isCommitted()) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }
}
