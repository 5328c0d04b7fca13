package io.platformsessions.memory;

import io.platformsessions.spi.SessionChangeBus;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SessionChangeBus} that delivers synchronously, on the publishing thread, to the other
 * connections in the same JVM: connects several engines sharing one store (for example one per web
 * app in a container). Thread-safe.
 *
 * <p>For tests of the engines' behaviour when a real bus fails, it can be taken {@linkplain #goDown()
 * down} (no connection is live; announcements are lost), brought {@linkplain #comeUp() up} again
 * (every connection is reset, as a real bus does after a reconnect), {@linkplain #reset(String) reset}
 * (as after a detected gap), or made to {@linkplain #dropNextMessages(int) lose announcements} without
 * noticing (what a bus must never do: an engine then serves a stale copy until the entry leaves its
 * cache).
 */
public final class InProcessSessionChangeBus implements SessionChangeBus {
    private final CopyOnWriteArrayList<InProcessConnection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger toDrop = new AtomicInteger();
    private volatile boolean up = true;

    /** Creates a bus, up, with no connections. */
    public InProcessSessionChangeBus() {
    }

    @Override
    public Connection connect(Listener listener) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        InProcessConnection c = new InProcessConnection(listener);
        connections.add(c);
        return c;
    }

    /** Takes the bus down: no connection is live and announcements are lost until {@link #comeUp()}. */
    public void goDown() {
        up = false;
    }

    /** Brings the bus up again and resets every connection (it may have missed announcements). */
    public void comeUp() {
        up = true;
        reset("in-process bus came up again");
    }

    /**
     * Resets every connection, as a bus does when it finds it may have missed announcements.
     *
     * @param why the reason given to the listeners
     */
    public void reset(String why) {
        for (InProcessConnection c : connections) {
            c.listener.onReset(why);
        }
    }

    /**
     * Loses the next {@code n} announcements without telling anyone.
     *
     * @param n how many, at least 1
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public void dropNextMessages(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        toDrop.addAndGet(n);
    }

    /**
     * How many connections are open.
     *
     * @return the count
     */
    public int connectionCount() {
        return connections.size();
    }

    private final class InProcessConnection implements Connection {
        private final Listener listener;
        private volatile boolean open = true;

        InProcessConnection(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void publish(Change change) {
            if (!up || toDrop.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                return;
            }
            for (InProcessConnection c : connections) {
                if (c != this) {
                    c.listener.onChange(change);
                }
            }
        }

        @Override
        public boolean isLive() {
            return up && open;
        }

        @Override
        public void close() {
            open = false;
            connections.remove(this);
        }
    }
}
