package io.platformsessions.servlet;

import io.platformsessions.ClientInfo;
import io.platformsessions.Limits;
import io.platformsessions.SessionLookup;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of every request: the client ({@link ClientAddresses}, {@code User-Agent} and
 * {@code Accept-Language} clipped to {@link Limits#MAX_CLIENT_HEADER_LENGTH}), the session cookie
 * read from the raw headers (a duplicated or over-long cookie never reaches the store), and the
 * engine's lookup. The token's shape is checked once, by the engine's lookup. Immutable and
 * thread-safe.
 */
final class SessionResolver {
    private static final Logger LOG = LoggerFactory.getLogger(SessionResolver.class);

    private final FilterSettings settings;

    SessionResolver(FilterSettings settings) {
        this.settings = settings;
    }

    /**
     * Resolves the request's session. With {@code withSession} false (a CSRF-exempt path without the
     * session opt-in) the cookie is read, so logout and login can still end its session, but not
     * looked up: the request has no session. With {@code activity} false (a background state check)
     * the lookup records no activity.
     *
     * @throws io.platformsessions.SessionStoreException if the store cannot answer
     */
    RequestState resolve(FilterParts parts, HttpServletRequest request, HttpServletResponse response,
                         boolean withSession, boolean activity) {
        ClientInfo client = new ClientInfo(settings.clientAddresses().clientAddress(request),
                clip(request.getHeader("User-Agent")), clip(request.getHeader("Accept-Language")));
        SessionCookies.Presented cookie = SessionCookies.read(request, settings.cookieName());
        SessionLookup lookup;
        if (!withSession) {
            lookup = SessionLookup.of(SessionLookup.Status.ABSENT);
        } else {
            lookup = switch (cookie.kind()) {
                case ABSENT -> SessionLookup.of(SessionLookup.Status.ABSENT);
                case DUPLICATE, OVERLONG -> {
                    LOG.debug("refusing {} session cookie on {}", cookie.kind(), request.getRequestURI());
                    yield SessionLookup.of(SessionLookup.Status.MALFORMED);
                }
                case ONE -> activity ? settings.manager().lookup(cookie.value(), client)
                        : settings.manager().lookupWithoutActivity(cookie.value(), client);
            };
        }
        return new RequestState(request, response, parts, client, cookie, withSession, lookup);
    }

    private static String clip(String header) {
        return header == null || header.length() <= Limits.MAX_CLIENT_HEADER_LENGTH ? header
                : header.substring(0, Limits.MAX_CLIENT_HEADER_LENGTH);
    }
}
