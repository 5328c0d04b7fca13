package io.platformsessions.servlet;

import io.platformsessions.CreatedSession;
import io.platformsessions.InvalidationReason;
import io.platformsessions.InvalidTokenException;
import io.platformsessions.PlatformContext;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionToken;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The session transitions a request can make and the cookies that go with them: login (a new
 * session, the old one ended), logout (the session ended, cookie expired, {@code Clear-Site-Data})
 * and rotation (a new token for the same session). Used by {@link PlatformSessions}, the logout
 * endpoint and the {@code HttpSession} facade, so each rule is written once. Stateless and thread-safe.
 */
final class SessionLifecycle {
    /**
     * How many distinct values of a duplicated session cookie logout and login end: cookie tossing
     * yields two or three; the bound keeps the store calls of one request small.
     */
    static final int MAX_PRESENTED_DUPLICATES = 4;
    private static final String CLEAR_SITE_DATA = "Clear-Site-Data";

    private SessionLifecycle() {
    }

    /**
     * Ends the session the request presented (its own, or one planted in the browser, also when the
     * lookup could not check it), then creates a new one for {@code userId} (on {@code platformId},
     * or the default platform when null) and sets its cookie: a login always yields a new session
     * id and token, so a presented session is never kept or handed to the user who logs in.
     */
    static PlatformContext login(RequestState state, HttpServletResponse response, String userId, Long platformId) {
        requireUncommitted(response, "login needs an uncommitted response to set the session cookie");
        SessionManager manager = state.manager();
        endPresented(state);
        state.loggedOut();
        CreatedSession created = platformId == null ? manager.create(userId, state.client())
                : manager.create(userId, platformId, state.client());
        SessionCookies.put(response, SessionCookies.sessionCookie(state.settings(), created.token().value()));
        dropClearCookies(response);
        if (state.issuedPreSessionSecret() || state.presentedPreSession().present()) {
            SessionCookies.put(response, SessionCookies.expiredPreSessionCookie(state.settings()));
        }
        state.loggedIn(created);
        return created.context();
    }

    /**
     * A logout earlier in this response sent {@code Clear-Site-Data: "cookies"}, which would make
     * the browser drop the new session cookie too: remove the {@code "cookies"} (and {@code "*"})
     * directive, keeping any other directive the application set.
     */
    private static void dropClearCookies(HttpServletResponse response) {
        String value = response.getHeader(CLEAR_SITE_DATA);
        if (value == null) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        for (String directive : value.split(",")) {
            String d = directive.trim();
            if (d.isEmpty() || "\"cookies\"".equalsIgnoreCase(d) || "\"*\"".equals(d)) {
                continue;
            }
            kept.append(kept.length() == 0 ? "" : ", ").append(d);
        }
        response.setHeader(CLEAR_SITE_DATA, kept.length() == 0 ? null : kept.toString());
    }

    /**
     * Ends the request's session, expires the cookie and sends {@code Clear-Site-Data: "cookies"}.
     * Never throttled: a presented session the lookup could not check is ended by its key (see
     * {@link #endPresented}). If the store cannot end it, the {@link io.platformsessions.SessionStoreException}
     * propagates before the cookie is touched, so the browser is never told "logged out" while the
     * session lives on.
     */
    static void logout(RequestState state, HttpServletResponse response) {
        requireUncommitted(response, "logout needs an uncommitted response to expire the session cookie");
        endPresented(state);
        state.loggedOut();
        SessionCookies.put(response, SessionCookies.expiredSessionCookie(state.settings()));
        response.setHeader(CLEAR_SITE_DATA, "\"cookies\"");
    }

    /**
     * A new token for the request's session (new cookie, old token dead at once).
     *
     * @return the session id, which stays the same
     * @throws IllegalStateException without a platform session
     */
    static String rotate(RequestState state) {
        PlatformContext c = state.context();
        if (c == null) {
            throw new IllegalStateException("no platform session, so changeSessionId() has no session id to change: "
                    + "PlatformSessions.login(request, response, userId) creates a session, always with a new token");
        }
        CreatedSession rotated = state.manager().rotate(c.key());
        SessionCookies.put(state.response(), SessionCookies.sessionCookie(state.settings(), rotated.token().value()));
        state.update(rotated.context());
        return rotated.context().sessionId();
    }

    /**
     * Ends the session the request is using and, if it is a different one, the session the request
     * presented: a well-formed cookie that was never checked ({@link #presentedUnchecked}) may name
     * a live session. It is ended by its key, one bounded store call the limiter
     * does not refuse. A session cookie sent more than once (cookie tossing: a planted copy next to
     * the user's own) is used by no lookup, so each of its well-formed values is ended by key too (at
     * most {@link #MAX_PRESENTED_DUPLICATES}). Each presented session is ended at most once per request.
     */
    static void endPresented(RequestState state) {
        SessionManager manager = state.manager();
        PlatformContext c = state.context();
        if (c != null) {
            manager.invalidate(c.key(), InvalidationReason.LOGOUT);
        }
        if (presentedUnchecked(state)) {
            SessionKey key = presentedKey(state);
            if (key != null && (c == null || !key.equals(c.key()))) {
                manager.invalidate(key, InvalidationReason.LOGOUT);
            }
        }
        if (!state.presentedEnded()) {
            for (String value : presentedDuplicates(state)) {
                SessionKey key = SessionToken.parse(value).key();
                if (c == null || !key.equals(c.key())) {
                    manager.invalidate(key, InvalidationReason.LOGOUT);
                }
            }
        }
        state.presentedSessionEnded();
    }

    /**
     * The distinct well-formed values of a session cookie the request sent more than once (at most
     * {@link #MAX_PRESENTED_DUPLICATES}); empty unless it was sent more than once.
     */
    static List<String> presentedDuplicates(RequestState state) {
        if (state.presentedCookie().kind() != SessionCookies.Kind.DUPLICATE) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String value : SessionCookies.all(state.request(), state.settings().cookieName())) {
            if (SessionToken.isWellFormed(value) && !out.contains(value)) {
                out.add(value);
                if (out.size() == MAX_PRESENTED_DUPLICATES) {
                    break;
                }
            }
        }
        return out;
    }

    /** The key of the presented session cookie, or null unless exactly one well-formed cookie was sent. */
    static SessionKey presentedKey(RequestState state) {
        SessionCookies.Presented p = state.presentedCookie();
        if (p.kind() != SessionCookies.Kind.ONE) {
            return null;
        }
        try {
            return SessionToken.parse(p.value()).key();
        } catch (InvalidTokenException e) {
            return null;
        }
    }

    /**
     * Whether the request presented a session cookie the engine never checked: its lookup was
     * THROTTLED, or the filter did not look it up (a CSRF-exempt path without the session opt-in).
     */
    static boolean presentedUnchecked(RequestState state) {
        return !state.presentedEnded() && state.presentedCookie().present()
                && (!state.resolved() || state.throttledAtLookup());
    }

    private static void requireUncommitted(HttpServletResponse response, String message) {
        if (response.isCommitted()) {
            throw new IllegalStateException(message);
        }
    }
}
