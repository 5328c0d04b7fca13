package io.platformsessions.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.platformsessions.spi.SessionChangeBus;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link SessionChangeBus} that counts the change notices going through the bus it wraps.
 *
 * <p>Meters: {@code platform.sessions.bus.published} and {@code platform.sessions.bus.received}
 * (counters), {@code platform.sessions.bus.subscriptions} (gauge: open subscriptions; 0 means this node's
 * cache hears of no change made elsewhere). Thread-safe.
 */
public final class MeteredSessionChangeBus implements SessionChangeBus {
    private final SessionChangeBus delegate;
    private final Counter published;
    private final Counter received;
    private final AtomicInteger subscriptions = new AtomicInteger();

    /**
     * Wraps a bus and registers its meters.
     *
     * @param delegate the bus that does the work
     * @param registry where the meters go
     * @throws NullPointerException if an argument is null
     */
    public MeteredSessionChangeBus(SessionChangeBus delegate, MeterRegistry registry) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(registry, "registry");
        published = Counter.builder("platform.sessions.bus.published").description("Change notices published")
                .register(registry);
        received = Counter.builder("platform.sessions.bus.received").description("Change notices received")
                .register(registry);
        Gauge.builder("platform.sessions.bus.subscriptions", subscriptions, AtomicInteger::get)
                .description("Open subscriptions to the change bus").register(registry);
    }

    /**
     * The number of subscriptions opened through this bus and not closed yet.
     *
     * @return open subscriptions
     */
    public int openSubscriptions() {
        return subscriptions.get();
    }

    @Override
    public void publish(Change change) {
        delegate.publish(change);
        published.increment();
    }

    @Override
    public Subscription subscribe(Subscriber subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        Subscription inner = delegate.subscribe(change -> {
            received.increment();
            subscriber.onChange(change);
        });
        subscriptions.incrementAndGet();
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                subscriptions.decrementAndGet();
                inner.close();
            }
        };
    }
}
