package io.platformsessions;

import io.platformsessions.spi.PlatformDirectory;
import io.platformsessions.spi.PlatformWithdrawalListener;
import io.platformsessions.spi.UserDirectory;
import java.util.List;

/**
 * The checks on users and platform connections, against the application's directories: a session is
 * created only for a known, active user, and a platform is used only when that user owns it and it is
 * active, and a connection that is no longer usable is told from one that is. The engine consults the
 * directories at creation, at a platform switch and when a connection is withdrawn, never on an
 * ordinary request. Thread-safe if the directories are.
 */
final class Accounts {
    private final UserDirectory users;
    private final PlatformDirectory platforms;

    Accounts(UserDirectory users, PlatformDirectory platforms) {
        this.users = users;
        this.platforms = platforms;
    }

    /**
     * Checks the shape of a user id.
     *
     * @param userId the id
     * @throws InvalidUserException if it is null, blank or longer than {@link Limits#MAX_USER_ID_LENGTH}
     */
    static void requireUserId(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new InvalidUserException("user id must not be null or blank");
        }
        if (userId.length() > Limits.MAX_USER_ID_LENGTH) {
            throw new InvalidUserException("user id is longer than " + Limits.MAX_USER_ID_LENGTH + " characters");
        }
    }

    /**
     * The user, if known and active.
     *
     * @param userId the id
     * @return the account
     * @throws InvalidUserException if the id is malformed, unknown or deactivated
     */
    UserAccount requireActiveUser(String userId) {
        requireUserId(userId);
        UserAccount user = users.find(userId).orElseThrow(() -> new InvalidUserException("unknown user"));
        if (!user.active()) {
            throw new InvalidUserException("user is deactivated");
        }
        return user;
    }

    /**
     * The user's active default platform connection.
     *
     * @param userId the user
     * @return the connection, or {@code null} if none
     */
    PlatformConnection defaultPlatform(String userId) {
        return platforms.findDefault(userId).orElse(null);
    }

    /**
     * Why a connection can no longer be used by a user's sessions, as the directory says now.
     *
     * @param userId the user whose sessions may be on it
     * @param platformId the connection
     * @return {@code PLATFORM_DEACTIVATED} for the user's own inactive connection, {@code PLATFORM_REMOVED}
     *     for an unknown one or another user's, {@code null} while the user owns it and it is active
     */
    SessionEvent.SwitchReason withdrawal(String userId, long platformId) {
        PlatformConnection p = platformId > 0 ? platforms.find(platformId).orElse(null) : null;
        if (p == null || !p.userId().equals(userId)) {
            return SessionEvent.SwitchReason.PLATFORM_REMOVED;
        }
        return p.active() ? null : SessionEvent.SwitchReason.PLATFORM_DEACTIVATED;
    }

    /**
     * The user's platform connections, active or not, in the directory's order.
     *
     * @param userId the user, already checked
     * @return the connections
     */
    List<PlatformConnection> connections(String userId) {
        return List.copyOf(platforms.findByUser(userId));
    }

    /**
     * Registers a listener with the platform directory.
     *
     * @param listener told when a connection is withdrawn
     * @return the registration
     */
    PlatformDirectory.Registration onWithdrawal(PlatformWithdrawalListener listener) {
        return platforms.addWithdrawalListener(listener);
    }

    /**
     * A platform connection the user owns and that is active. "Unknown" and "someone else's" give
     * the same answer, so ids of other users' connections cannot be probed.
     *
     * @param userId the user
     * @param platformId the connection
     * @return the connection
     * @throws InvalidPlatformException NOT_FOUND or INACTIVE
     */
    PlatformConnection requireOwnedActivePlatform(String userId, long platformId) {
        PlatformConnection p = platformId > 0 ? platforms.find(platformId).orElse(null) : null;
        if (p == null || !p.userId().equals(userId)) {
            throw new InvalidPlatformException(InvalidPlatformException.Reason.NOT_FOUND,
                    "platform connection " + platformId + " not found");
        }
        if (!p.active()) {
            throw new InvalidPlatformException(InvalidPlatformException.Reason.INACTIVE,
                    "platform connection " + platformId + " is deactivated");
        }
        return p;
    }
}
