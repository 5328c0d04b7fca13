package io.platformsessions.spi;

/**
 * Hears that a platform connection stopped being usable: it was deactivated, deleted, or given to
 * another user. A {@link PlatformDirectory} that changes its own connections calls it after the change
 * is committed; the {@link io.platformsessions.SessionManager} registers one at build time, which moves
 * the owner's sessions off that connection ({@link io.platformsessions.SessionManager#platformWithdrawn}).
 * Implementations must be thread-safe; they run on the thread that changed the directory.
 */
@FunctionalInterface
public interface PlatformWithdrawalListener {

    /**
     * Connection {@code platformId} of {@code userId} can no longer be used.
     *
     * @param userId the user who owned the connection before the change
     * @param platformId the connection's id
     * @throws RuntimeException if acting on it failed (for the manager, a
     *     {@link io.platformsessions.SessionStoreException}); the directory reports it to its caller after
     *     every listener has run
     */
    void withdrawn(String userId, long platformId);
}
