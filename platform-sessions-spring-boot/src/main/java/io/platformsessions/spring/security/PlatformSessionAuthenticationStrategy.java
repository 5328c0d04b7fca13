package io.platformsessions.spring.security;

import io.platformsessions.InvalidUserException;
import io.platformsessions.SessionLimitException;
import io.platformsessions.servlet.PlatformSessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.session.SessionAuthenticationException;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;

/**
 * Starts a platform session for every interactive authentication (form login, OAuth2 login, remember-me...):
 * {@link PlatformSessions#login} ends any session the request had and always issues a new token, which is the
 * session-fixation defence (Spring Security's own {@code changeSessionId} strategy is replaced by this one).
 * The per-user session limit is the library's ({@code platform.sessions.max-sessions-per-user}): under the
 * REFUSE policy a login beyond it fails like a bad password, through the authentication failure handler.
 * Stateless and thread-safe.
 */
public final class PlatformSessionAuthenticationStrategy implements SessionAuthenticationStrategy {

    /** Creates the strategy. */
    public PlatformSessionAuthenticationStrategy() {
    }

    /**
     * Starts the platform session of {@code authentication.getName()}.
     *
     * @param authentication the new authentication
     * @param request the request (through {@code PlatformSessionFilter})
     * @param response its response, not yet committed
     * @throws SessionAuthenticationException if the user is at the session limit (REFUSE) or is unknown or
     *     inactive in the user directory
     * @throws io.platformsessions.SessionStoreException if the store fails (the filter answers 503)
     */
    @Override
    public void onAuthentication(Authentication authentication, HttpServletRequest request,
                                 HttpServletResponse response) {
        try {
            PlatformSessions.login(request, response, authentication.getName());
        } catch (SessionLimitException e) {
            throw new SessionAuthenticationException("Maximum sessions for this user exceeded");
        } catch (InvalidUserException e) {
            throw new SessionAuthenticationException("This user cannot start a session");
        }
    }
}
