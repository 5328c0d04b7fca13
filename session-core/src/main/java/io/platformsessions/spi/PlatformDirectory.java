package io.platformsessions.spi;

import io.platformsessions.PlatformConnection;
import java.util.List;
import java.util.Optional;

/**
 * Tells the engine which platform connections exist and whom they belong to. Implemented by the
 * application (or taken from {@code session-jdbc} / {@code io.platformsessions.memory}).
 * Implementations must be thread-safe; they are consulted when a session is created or switches
 * platform, never on an ordinary request.
 */
public interface PlatformDirectory {

    /**
     * One connection by id.
     *
     * @param platformId the id
     * @return the connection, or empty if unknown
     */
    Optional<PlatformConnection> find(long platformId);

    /**
     * Every connection of a user, active or not.
     *
     * @param userId the user
     * @return the connections, possibly empty
     */
    List<PlatformConnection> findByUser(String userId);

    /**
     * The user's default connection: the active one marked default, else none.
     *
     * @param userId the user
     * @return the default active connection, or empty
     */
    default Optional<PlatformConnection> findDefault(String userId) {
        return findByUser(userId).stream().filter(p -> p.defaultPlatform() && p.active()).findFirst();
    }
}
