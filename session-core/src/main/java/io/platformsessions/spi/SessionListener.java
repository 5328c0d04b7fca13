package io.platformsessions.spi;

import io.platformsessions.SessionEvent;

/**
 * Receives every {@link SessionEvent}, synchronously on the thread that caused it, after the change
 * is stored. Must be thread-safe and quick. An exception thrown here is logged and swallowed: a
 * listener cannot undo or fail a session operation.
 */
@FunctionalInterface
public interface SessionListener {

    /**
     * Called once per event.
     *
     * @param event what happened; carries keys, never raw tokens
     */
    void onEvent(SessionEvent event);
}
