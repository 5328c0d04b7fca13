package io.platformsessions.memory;

import io.platformsessions.PlatformConnection;
import io.platformsessions.spi.PlatformDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link PlatformDirectory} held in memory, for tests and small apps. Thread-safe.
 */
public final class InMemoryPlatformDirectory implements PlatformDirectory {
    private final Map<Long, PlatformConnection> byId = new ConcurrentHashMap<>();

    /** Creates an empty directory. */
    public InMemoryPlatformDirectory() {
    }

    /**
     * Adds or replaces a connection.
     *
     * @param connection the connection; its id must be positive
     * @return this directory
     * @throws IllegalArgumentException if the id is not positive
     */
    public InMemoryPlatformDirectory put(PlatformConnection connection) {
        if (connection.id() <= 0) {
            throw new IllegalArgumentException("platform ids must be positive, was " + connection.id());
        }
        byId.put(connection.id(), connection);
        return this;
    }

    /**
     * Removes a connection.
     *
     * @param platformId the id
     */
    public void remove(long platformId) {
        byId.remove(platformId);
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
}
