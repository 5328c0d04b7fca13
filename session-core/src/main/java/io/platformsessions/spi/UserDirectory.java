package io.platformsessions.spi;

import io.platformsessions.UserAccount;
import java.util.Optional;

/**
 * Tells the engine whether a user exists and may hold sessions. Implemented by the application.
 * Thread-safe implementations only; consulted when a session is created.
 */
public interface UserDirectory {

    /**
     * One user by id.
     *
     * @param userId the id, never blank
     * @return the user, or empty if unknown
     */
    Optional<UserAccount> find(String userId);
}
