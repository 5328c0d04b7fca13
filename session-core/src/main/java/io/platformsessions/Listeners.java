package io.platformsessions;

import io.platformsessions.spi.SessionListener;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the application's listeners in order; a failing listener is logged and never
 * fails the operation or keeps the others from hearing. Thread-safe (the list is immutable).
 */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultSessionManager.class);
    private final List<SessionListener> listeners;

    Listeners(List<SessionListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    void emit(SessionEvent event) {
        for (SessionListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("session listener {} failed on {}: {}", l.getClass().getName(), event.getClass().getSimpleName(),
                        e.toString());
            }
        }
    }
}
