package io.platformsessions.memory;

import io.platformsessions.UserAccount;
import io.platformsessions.spi.UserDirectory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link UserDirectory} held in memory, for tests and small apps. Thread-safe.
 */
public final class InMemoryUserDirectory implements UserDirectory {
    private final Map<String, UserAccount> users = new ConcurrentHashMap<>();

    /** Creates an empty directory. */
    public InMemoryUserDirectory() {
    }

    /**
     * Adds or replaces a user.
     *
     * @param user the user
     * @return this directory
     */
    public InMemoryUserDirectory put(UserAccount user) {
        users.put(user.id(), user);
        return this;
    }

    @Override
    public Optional<UserAccount> find(String userId) {
        return Optional.ofNullable(users.get(userId));
    }
}
