package io.platformsessions.spi;

import io.platformsessions.SessionKey;

/**
 * Tells the session caches of every engine sharing a store that a session changed, so none serves a
 * stale copy. The engine publishes after each write and drops its cached copy when it hears of a
 * newer version from another engine. Implementations must be thread-safe.
 *
 * <p>{@code io.platformsessions.memory.InProcessSessionChangeBus} connects engines in one JVM; a
 * multi-node deployment needs a cross-node implementation (for example over Redis or PostgreSQL
 * LISTEN/NOTIFY), or must turn the cache off.
 */
public interface SessionChangeBus {

    /** Version published when a session was deleted. */
    long DELETED = -1;

    /**
     * A change notice.
     *
     * @param origin id of the publishing engine, so it can ignore its own notices
     * @param key the session key
     * @param version the session's new version, or {@link #DELETED}
     */
    record Change(String origin, SessionKey key, long version) {
    }

    /** Receives change notices. */
    @FunctionalInterface
    interface Subscriber {
        /**
         * Called for each published change, possibly on another thread.
         *
         * @param change the notice
         */
        void onChange(Change change);
    }

    /** A subscription handle; closing it unsubscribes. Idempotent. */
    interface Subscription extends AutoCloseable {
        /** Stops delivery to this subscriber. */
        @Override
        void close();
    }

    /**
     * Publishes a change to every subscriber (including the publisher's own, which ignores it).
     *
     * @param change the notice
     */
    void publish(Change change);

    /**
     * Subscribes.
     *
     * @param subscriber the receiver
     * @return a handle that unsubscribes when closed
     */
    Subscription subscribe(Subscriber subscriber);
}
