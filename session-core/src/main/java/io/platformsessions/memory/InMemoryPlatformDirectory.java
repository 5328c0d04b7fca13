package io.platformsessions.memory;

import io.platformsessions.PlatformConnection;
import io.platformsessions.spi.PlatformDirectory;
import io.platformsessions.spi.PlatformWithdrawalListener;
import io.platformsessions.spi.PlatformWithdrawals;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link PlatformDirectory} held in memory, for tests and small apps. It changes its own connections,
 * so it tells its withdrawal listeners (the {@link io.platformsessions.SessionManager} built with it)
 * when {@link #put} makes a connection inactive or gives it to another user, and when {@link #remove}
 * deletes one: the sessions on it then move off it. Thread-safe.
 */
public final class InMemoryPlatformDirectory implements PlatformDirectory {
    private final Map<Long, PlatformConnection> byId = new ConcurrentHashMap<>();
    private final PlatformWithdrawals withdrawals = new PlatformWithdrawals();

    /** Creates an empty directory. */
    public InMemoryPlatformDirectory() {
    }

    /**
     * Adds or replaces a connection. Replacing an active connection by an inactive one, or by one of
     * another user, tells the withdrawal listeners (after the change), so sessions on it move off it.
     *
     * @param connection the connection; its id must be positive
     * @return this directory
     * @throws IllegalArgumentException if the id is not positive
     * @throws RuntimeException what a withdrawal listener threw (the change is made all the same)
     */
    public InMemoryPlatformDirectory put(PlatformConnection connection) {
        if (connection.id() <= 0) {
            throw new IllegalArgumentException("platform ids must be positive, was " + connection.id());
        }
        PlatformConnection previous = byId.put(connection.id(), connection);
        if (previous != null && !previous.userId().equals(connection.userId())) {
            withdrawals.tell(previous.userId(), previous.id());
        } else if (!connection.active()) {
            withdrawals.tell(connection.userId(), connection.id());
        }
        return this;
    }

    /**
     * Removes a connection and tells the withdrawal listeners, so sessions on it move off it.
     *
     * @param platformId the id
     * @throws RuntimeException what a withdrawal listener threw (the connection is removed all the same)
     */
    public void remove(long platformId) {
        PlatformConnection removed = byId.remove(platformId);
        if (removed != null) {
            withdrawals.tell(removed.userId(), removed.id());
        }
    }

    @Override
    public Optional<PlatformConnection> find(long platformId) {
        return Optional.ofNullable(byId.get(platformId));
    }

    @Override
    public List<PlatformConnection> findByUser(String userId) {
        List<PlatformConnection> out = new ArrayList<>();
        for (PlatformConnection p : byId.values()) {
            if (p.userId().equals(userId)) {
                out.add(p);
            }
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    @Override
    public Registration addWithdrawalListener(PlatformWithdrawalListener listener) {
        return withdrawals.add(listener);
    }
}
