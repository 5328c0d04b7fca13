package io.platformsessions.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.platformsessions.spi.SessionChangeBus;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SessionChangeBus} that counts what goes through the bus it wraps.
 *
 * <p>Meters: {@code platform.sessions.bus.published} and {@code platform.sessions.bus.received} (counters of
 * change notices), {@code platform.sessions.bus.resets} (counter: times the bus told an engine it may have missed
 * changes, so the engine dropped its whole cache), {@code platform.sessions.bus.connections} (gauge: open
 * connections) and {@code platform.sessions.bus.live} (gauge: open connections that are live; below
 * {@code connections} means an engine bypasses its cache and reads the store on every request). Thread-safe.
 */
public final class MeteredSessionChangeBus implements SessionChangeBus {
    private final SessionChangeBus delegate;
    private final Counter published;
    private final Counter received;
    private final Counter resets;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

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
        received = Counter.builder("platform.sessions.bus.received")
                .description("Change notices received from other nodes").register(registry);
        resets = Counter.builder("platform.sessions.bus.resets")
                .description("Times the bus may have missed changes (the engine dropped its cache)").register(registry);
        Gauge.builder("platform.sessions.bus.connections", open, Set::size)
                .description("Open connections to the change bus").register(registry);
        Gauge.builder("platform.sessions.bus.live", this, MeteredSessionChangeBus::liveConnections)
                .description("Open connections to the change bus that are live").register(registry);
    }

    /**
     * The number of connections opened through this bus and not closed yet.
     *
     * @return open connections
     */
    public int openConnections() {
        return open.size();
    }

    /**
     * The number of open connections that are live (deliver every change made elsewhere).
     *
     * @return live connections
     */
    public int liveConnections() {
        int n = 0;
        for (Connection c : open) {
            if (c.isLive()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public Connection connect(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        Connection inner = delegate.connect(new Listener() {
            @Override
            public void onChange(Change change) {
                received.increment();
                listener.onChange(change);
            }

            @Override
            public void onReset(String why) {
                resets.increment();
                listener.onReset(why);
            }
        });
        Connection metered = new Connection() {
            @Override
            public void publish(Change change) {
                inner.publish(change);
                published.increment();
            }

            @Override
            public boolean isLive() {
                return inner.isLive();
            }

            @Override
            public void close() {
                if (open.remove(this)) {
                    inner.close();
                }
            }
        };
        open.add(metered);
        return metered;
    }
}
