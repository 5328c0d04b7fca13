package io.platformsessions;

import java.util.Objects;

/**
 * A user as the application's {@link io.platformsessions.spi.UserDirectory} describes it. Immutable.
 *
 * @param id the user id sessions are created for
 * @param username display name
 * @param active whether the user may hold sessions
 */
public record UserAccount(String id, String username, boolean active) {
    /**
     * Validates the components.
     *
     * @param id the {@code id} component
     * @param username the {@code username} component
     * @param active the {@code active} component
     * @throws NullPointerException if id or username is null
     */
    public UserAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
    }
}
