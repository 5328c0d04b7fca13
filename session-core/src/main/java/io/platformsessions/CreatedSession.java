package io.platformsessions;

import java.util.Objects;

/**
 * The result of creating or rotating a session: the raw token for the cookie (the only place it
 * is ever returned) and the session's context. Immutable. {@link #toString()} hides the token.
 *
 * @param token the new token; put it in the cookie and forget it
 * @param context the session
 */
public record CreatedSession(SessionToken token, PlatformContext context) {
    /**
     * Validates the components.
     *
     * @param token the {@code token} component
     * @param context the {@code context} component
     * @throws NullPointerException if a component is null
     */
    public CreatedSession {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(context, "context");
    }
}
