package io.platformsessions.spring.security;

import io.platformsessions.servlet.PlatformSessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.Serial;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.DeferredCsrfToken;

/**
 * Publishes the platform session's CSRF token under Spring Security's names, so that forms rendered by
 * Thymeleaf, JSP or the default login page carry {@code _csrf} and {@code ${_csrf.token}} works, while the
 * checking is done once, by {@code PlatformSessionFilter}, before Spring Security runs (see
 * {@link PlatformSessionsHttpSecurityCustomizer}, which also stops Spring Security from checking).
 *
 * <p>The token is made on first use: the session's token when the request has a platform session, else a
 * pre-session token bound to a cookie this call sets (a login form). It never touches the {@code HttpSession}.
 * Stateless and thread-safe.
 */
public final class PlatformCsrfTokenRepository implements CsrfTokenRepository {
    /** The header {@code PlatformSessionFilter} reads the token from. */
    public static final String HEADER_NAME = "X-CSRF-Token";
    /** The form field {@code PlatformSessionFilter} reads the token from. */
    public static final String PARAMETER_NAME = "_csrf";

    /** Creates the repository. */
    public PlatformCsrfTokenRepository() {
    }

    /**
     * A deferred token for this request and response.
     *
     * @param request a request that went through {@code PlatformSessionFilter}
     * @param response its response (a pre-session cookie may be set on first use)
     * @return the deferred token
     */
    @Override
    public DeferredCsrfToken loadDeferredToken(HttpServletRequest request, HttpServletResponse response) {
        return new Deferred(request, response);
    }

    /**
     * Only reached through {@link #loadToken}'s callers, which this repository does not use: a token needs the
     * response to set the pre-session cookie, so tokens come from {@link #loadDeferredToken}.
     *
     * @param request the request
     * @return nothing: always throws
     * @throws UnsupportedOperationException always
     */
    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        throw new UnsupportedOperationException("PlatformCsrfTokenRepository hands out tokens through loadDeferredToken");
    }

    /**
     * Nothing to save: the secret lives in the platform session (or the pre-session cookie) and is replaced by
     * login, rotation and logout.
     *
     * @param token ignored
     * @param request ignored
     * @param response ignored
     */
    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        // the library owns the secret's life cycle
    }

    /**
     * Nothing is stored under Spring Security's names.
     *
     * @param request ignored
     * @return {@code null}
     */
    @Override
    public CsrfToken loadToken(HttpServletRequest request) {
        return null;
    }

    private static final class Deferred implements DeferredCsrfToken {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private CsrfToken token;

        Deferred(HttpServletRequest request, HttpServletResponse response) {
            this.request = request;
            this.response = response;
        }

        @Override
        public CsrfToken get() {
            if (token == null) {
                token = new Token(PlatformSessions.csrfToken(request, response));
            }
            return token;
        }

        @Override
        public boolean isGenerated() {
            return false;
        }
    }

    private record Token(String token) implements CsrfToken {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public String getHeaderName() {
            return HEADER_NAME;
        }

        @Override
        public String getParameterName() {
            return PARAMETER_NAME;
        }

        @Override
        public String getToken() {
            return token;
        }
    }
}
