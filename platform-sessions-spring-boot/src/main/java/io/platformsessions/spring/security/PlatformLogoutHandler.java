package io.platformsessions.spring.security;

import io.platformsessions.servlet.PlatformSessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.LogoutHandler;

/**
 * Spring Security logout ends the platform session: {@link PlatformSessions#logout} invalidates it, expires
 * the session cookie and sends {@code Clear-Site-Data: "cookies"} and {@code Cache-Control: no-store}.
 * Stateless and thread-safe.
 */
public final class PlatformLogoutHandler implements LogoutHandler {

    /** Creates the handler. */
    public PlatformLogoutHandler() {
    }

    /**
     * Ends the request's platform session, if any.
     *
     * @param request the request (through {@code PlatformSessionFilter})
     * @param response its response
     * @param authentication ignored: the platform session is what is ended
     * @throws io.platformsessions.SessionStoreException if the store fails
     */
    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
        if (!response.isCommitted()) {
            PlatformSessions.logout(request, response);
        }
    }
}
