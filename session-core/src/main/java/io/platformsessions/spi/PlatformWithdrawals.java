package io.platformsessions.spi;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The listeners of one {@link PlatformDirectory} that changes its own connections: what
 * {@link PlatformDirectory#addWithdrawalListener} registers and what the directory tells after a
 * deactivation or deletion commits. For directory implementations (the library's JDBC and in-memory
 * directories use it). Thread-safe: registering, closing and telling may run concurrently.
 */
public final class PlatformWithdrawals {
    private final CopyOnWriteArrayList<PlatformWithdrawalListener> listeners = new CopyOnWriteArrayList<>();

    /** Creates an empty set of listeners. */
    public PlatformWithdrawals() {
    }

    /**
     * Registers a listener until the returned registration is closed.
     *
     * @param listener the listener
     * @return closes the registration (idempotent)
     * @throws NullPointerException if {@code listener} is null
     */
    public PlatformDirectory.Registration add(PlatformWithdrawalListener listener) {
        Objects.requireNonNull(listener, "listener");
        // a wrapper per registration, so the same listener registered twice is removed once per close
        PlatformWithdrawalListener entry = listener::withdrawn;
        listeners.add(entry);
        return () -> listeners.remove(entry);
    }

    /**
     * Tells every listener that a connection was withdrawn. Every listener runs, also when an earlier
     * one throws; the first failure is then rethrown, later ones added to it as suppressed.
     *
     * @param userId the user who owned the connection
     * @param platformId the connection
     * @throws RuntimeException the first listener's failure
     */
    public void tell(String userId, long platformId) {
        RuntimeException first = null;
        for (PlatformWithdrawalListener l : listeners) {
            try {
                l.withdrawn(userId, platformId);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * How many listeners are registered (for tests and diagnostics).
     *
     * @return the count
     */
    public int size() {
        return listeners.size();
    }
}
