package io.platformsessions.spring.security;

import java.util.Objects;
import org.springframework.security.core.AuthenticatedPrincipal;

/**
 * The principal of an authentication restored from a platform session: the session's user id (which is
 * {@link #getName()}) and display name. Immutable.
 *
 * @param userId the platform session's user id
 * @param username the user's display name as the session recorded it
 */
public record PlatformPrincipal(String userId, String username) implements AuthenticatedPrincipal {
    /**
     * Checks the components.
     *
     * @param userId the {@code userId} component
     * @param username the {@code username} component
     * @throws NullPointerException if either is null
     */
    public PlatformPrincipal {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
    }

    /**
     * The user id.
     *
     * @return the user id
     */
    @Override
    public String getName() {
        return userId;
    }
}
