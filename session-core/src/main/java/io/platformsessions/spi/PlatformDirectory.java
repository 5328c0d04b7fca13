package io.platformsessions.spi;

import io.platformsessions.PlatformConnection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells the engine which platform connections exist and whom they belong to. Implemented by the
 * application (or taken from {@code session-jdbc} / {@code io.platformsessions.memory}).
 * Implementations must be thread-safe; they are consulted when a session is created or switches
 * platform (and when a connection is withdrawn), never on an ordinary request.
 *
 * <p>A session keeps a snapshot of its active platform. When a connection stops being usable
 * (deactivated, deleted), the sessions on it are moved off it by
 * {@link io.platformsessions.SessionManager#platformWithdrawn(String, long)}. A directory that changes
 * its own connections calls that for the application: it accepts the manager's listener through
 * {@link #addWithdrawalListener} and tells it after each deactivation or deletion. A read-only directory
 * over the application's own tables cannot see such changes: there the application calls
 * {@code platformWithdrawn} itself after it changes a connection.
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

    /**
     * Registers a listener to be told, after the change is committed, when one of this directory's
     * connections is deactivated, deleted or given to another user. The {@code SessionManager} built
     * with this directory registers itself and closes its registration in {@code close()}. The default
     * registers nothing: right for a directory that never changes its connections itself (see the class
     * comment). Directories that do keep their listeners in a {@link PlatformWithdrawals}.
     *
     * @param listener the listener
     * @return the registration; closing it stops the listener hearing
     * @throws NullPointerException if {@code listener} is null
     */
    default Registration addWithdrawalListener(PlatformWithdrawalListener listener) {
        Objects.requireNonNull(listener, "listener");
        return Registration.NONE;
    }

    /**
     * A listener's registration with a directory. {@link #close()} is idempotent and thread-safe.
     */
    @FunctionalInterface
    interface Registration extends AutoCloseable {
        /** A registration of nothing, for directories that never tell. */
        Registration NONE = () -> { };

        /** Stops the listener hearing from the directory. */
        @Override
        void close();
    }
}
