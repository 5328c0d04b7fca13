package io.platformsessions.spring.security;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Spring Security's authentication filters (form, OAuth2, SAML, one-time-token login) may stash data in the
 * {@code HttpSession} before there is a platform session: the default failure handler saves the last
 * authentication exception with {@code request.getSession().setAttribute(...)}, which the library's session
 * placeholder refuses. Between {@link #opener()} (after the CSRF filter) and {@link #closer()} (before the
 * default login page), a request without a platform session gets a request-scoped {@code HttpSession} instead:
 * what is written there lasts for this request only (the login page reads {@code ?error}, not the session).
 * After the closer, and for the application, {@code getSession} behaves as the library documents.
 * Stateless and thread-safe; each request gets its own wrapper.
 */
final class AuthenticationRequestScope {

    Filter opener() {
        return (request, response, chain) -> {
            if (request instanceof HttpServletRequest http) {
                chain.doFilter(new ScopedRequest(http), response);
            } else {
                chain.doFilter(request, response);
            }
        };
    }

    Filter closer() {
        return new Filter() {
            @Override
            public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                    throws IOException, ServletException {
                ServletRequest r = request;
                while (r instanceof ServletRequestWrapper w) {
                    if (r instanceof ScopedRequest scoped) {
                        scoped.open = false;
                        break;
                    }
                    r = w.getRequest();
                }
                chain.doFilter(request, response);
            }
        };
    }

    /** While open, {@code getSession(true)} without a session hands out a request-scoped one. */
    static final class ScopedRequest extends HttpServletRequestWrapper {
        volatile boolean open = true;
        private RequestSession scoped;

        ScopedRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public HttpSession getSession() {
            return getSession(true);
        }

        @Override
        public HttpSession getSession(boolean create) {
            HttpSession real = super.getSession(false);
            if (real != null || !open) {
                return real != null || !create ? real : super.getSession(true);
            }
            if (scoped == null && create) {
                scoped = new RequestSession(getServletContext());
            }
            return scoped;
        }
    }

    /** An HttpSession whose attributes live as long as the request. */
    static final class RequestSession implements HttpSession {
        private final long created = System.currentTimeMillis();
        private final ServletContext context;
        private final Map<String, Object> attributes = new LinkedHashMap<>();

        RequestSession(ServletContext context) {
            this.context = context;
        }

        @Override
        public long getCreationTime() {
            return created;
        }

        @Override
        public String getId() {
            return "request-scoped";
        }

        @Override
        public long getLastAccessedTime() {
            return created;
        }

        @Override
        public ServletContext getServletContext() {
            return context;
        }

        @Override
        public void setMaxInactiveInterval(int interval) {
            // nothing outlives the request
        }

        @Override
        public int getMaxInactiveInterval() {
            return 0;
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public Enumeration<String> getAttributeNames() {
            return Collections.enumeration(attributes.keySet());
        }

        @Override
        public void setAttribute(String name, Object value) {
            if (value == null) {
                attributes.remove(name);
            } else {
                attributes.put(name, value);
            }
        }

        @Override
        public void removeAttribute(String name) {
            attributes.remove(name);
        }

        @Override
        public void invalidate() {
            attributes.clear();
        }

        @Override
        public boolean isNew() {
            return true;
        }
    }
}
