package io.platformsessions.spi;

import java.util.Objects;

/**
 * Who a session belongs to. Immutable and thread-safe.
 *
 * @param userId the user's id, as the application's {@link UserDirectory} knows it
 * @param username the user's display name when the session was created
 */
public record SessionOwner(String userId, String username) {

    /**
     * Checks that both parts are present.
     *
     * @param userId the {@code userId} component
     * @param username the {@code username} component
     * @throws NullPointerException if either is null
     */
    public SessionOwner {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
    }
}
