package io.platformsessions.memory;

import io.platformsessions.spi.SessionChangeBus;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link SessionChangeBus} that delivers synchronously to subscribers in the same JVM: connects
 * several engines sharing one store (for example one per web app in a container). Thread-safe.
 */
public final class InProcessSessionChangeBus implements SessionChangeBus {
    private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    /** Creates a bus with no subscribers. */
    public InProcessSessionChangeBus() {
    }

    @Override
    public void publish(Change change) {
        for (Subscriber s : subscribers) {
            s.onChange(change);
        }
    }

    @Override
    public Subscription subscribe(Subscriber subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }
}
