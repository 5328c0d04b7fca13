package io.platformsessions.spi;

import io.platformsessions.SessionKey;
import java.util.Objects;

/**
 * Keeps the local session caches of several engines (application nodes) sharing one store coherent:
 * each engine announces the sessions it changed or ended, and hears what the others changed, so none
 * serves a copy that is out of date. The bus also tells an engine when it may have missed
 * announcements, so that the engine never serves a stale copy silently. Implementations must be
 * thread-safe.
 *
 * <p>An engine {@linkplain #connect connects} once, when it is built, and closes its connection when
 * it is closed. What the engine does with the cache in each state of the connection:
 * <ul>
 * <li>{@linkplain Connection#isLive() live}: cached copies are served without a store read; a change
 *     from another engine with a newer version, or {@link #DELETED}, drops the copy (a late or repeated
 *     announcement never brings an older copy back).</li>
 * <li>not live (connecting, disconnected, catching up): the cache is bypassed, every read goes to the
 *     store, until the connection is live again; then the whole cache is dropped.</li>
 * <li>{@linkplain Listener#onReset reset}: the whole cache is dropped, and a read that started before the
 *     reset does not install its copy afterwards.</li>
 * </ul>
 *
 * <p>{@code io.platformsessions.memory.InProcessSessionChangeBus} connects engines in one JVM. A store
 * may come with its own bus ({@link SessionStore#changeBus()}), for example one whose announcements are
 * made by the store's own write statements.
 */
public interface SessionChangeBus {

    /** The version announced when a session ended (deleted, expired, or rotated away from this key). */
    long DELETED = -1;

    /**
     * An announcement: the session under {@code key} now has {@code version}, or ended. Carries no
     * token or secret (the key is a hash of the token).
     *
     * @param key the session key
     * @param version the session's new version, or {@link #DELETED}
     */
    record Change(SessionKey key, long version) {
        /**
         * Checks the components.
         *
         * @param key the session key
         * @param version the session's new version, or {@link #DELETED}
         * @throws NullPointerException if {@code key} is null
         * @throws IllegalArgumentException if {@code version} is neither positive nor {@link #DELETED}
         */
        public Change {
            Objects.requireNonNull(key, "key");
            if (version < 1 && version != DELETED) {
                throw new IllegalArgumentException("version must be positive or DELETED, was " + version);
            }
        }
    }

    /** Receives what a connection hears. Called on the bus's threads; must not block for long. */
    interface Listener {
        /**
         * A change made by <em>another</em> engine (a bus skips the connection's own announcements).
         *
         * @param change the announcement
         */
        void onChange(Change change);

        /**
         * The bus may have missed announcements (it started, reconnected, or found a gap): the engine
         * drops its whole cache.
         *
         * @param why a short reason, for the log
         */
        void onReset(String why);
    }

    /** One engine's connection to the bus. */
    interface Connection extends AutoCloseable {
        /**
         * Announces a change made by this engine to every other connection. Never throws for a bus
         * failure: an announcement that cannot be delivered makes the bus not live, or resets the other
         * connections. Buses whose store announces changes inside its own write statements ignore it.
         *
         * @param change the announcement
         */
        void publish(Change change);

        /**
         * Whether announcements reach this connection now. While not live, the engine reads every session
         * from the store. Called on every cached read: must be cheap (a volatile read).
         *
         * @return {@code true} if live
         */
        boolean isLive();

        /** Disconnects; no more calls reach the listener. Idempotent. */
        @Override
        void close();
    }

    /**
     * Connects one engine. The bus skips the connection's own announcements when delivering to its
     * listener.
     *
     * @param listener receives other engines' changes and resets
     * @return the connection, which may not be live yet
     */
    Connection connect(Listener listener);
}
