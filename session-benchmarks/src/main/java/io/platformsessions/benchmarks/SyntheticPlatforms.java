package io.platformsessions.benchmarks;

import io.platformsessions.PlatformConnection;
import io.platformsessions.spi.PlatformDirectory;
import java.util.List;
import java.util.Optional;

/**
 * The application's platform directory as the benchmarks see it: user {@code user-N} owns two
 * active Mastodon connections, ids {@code 2N+1} (its default) and {@code 2N+2}. Computed, so it
 * costs no I/O and no memory for any number of users, like an application directory with a warm
 * cache. Immutable and thread-safe.
 */
public final class SyntheticPlatforms implements PlatformDirectory {

    /** Creates the directory. */
    public SyntheticPlatforms() {
    }

    /**
     * The user id of synthetic user {@code n}.
     * @param n a non-negative number
     * @return {@code user-n}
     */
    public static String userId(long n) {
        return "user-" + n;
    }

    /**
     * The default platform of user {@code n}.
     * @param n the user number
     * @return its platform id
     */
    public static long defaultPlatform(long n) {
        return 2 * n + 1;
    }

    /**
     * The other platform of user {@code n}.
     * @param n the user number
     * @return its platform id
     */
    public static long otherPlatform(long n) {
        return 2 * n + 2;
    }

    @Override
    public Optional<PlatformConnection> find(long platformId) {
        if (platformId <= 0) {
            return Optional.empty();
        }
        long user = (platformId - 1) / 2;
        return Optional.of(connection(user, platformId));
    }

    @Override
    public List<PlatformConnection> findByUser(String userId) {
        if (!userId.startsWith("user-")) {
            return List.of();
        }
        long n;
        try {
            n = Long.parseLong(userId.substring(5));
        } catch (NumberFormatException e) {
            return List.of();
        }
        return List.of(connection(n, defaultPlatform(n)), connection(n, otherPlatform(n)));
    }

    private static PlatformConnection connection(long user, long id) {
        boolean isDefault = id % 2 == 1;
        String instance = isDefault ? "https://mastodon.social" : "https://fosstodon.org";
        return new PlatformConnection(id, userId(user), "user" + user + "@" + instance.substring(8), "mastodon",
                instance, true, isDefault);
    }
}
