package io.platformsessions.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionManager;
import io.platformsessions.micrometer.MeteredSessionChangeBus;
import io.platformsessions.micrometer.MeteredSessionManager;
import io.platformsessions.micrometer.MeteredSessionStore;
import io.platformsessions.micrometer.SessionMeters;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionListener;
import io.platformsessions.spi.SessionStore;
import java.util.List;
import java.util.function.IntSupplier;

/** The session-micrometer meters, wired in by {@link PlatformSessionsAutoConfiguration}. One manager per instance. */
final class MicrometerInstrumentation implements SessionsInstrumentation {
    private final MeterRegistry registry;
    private volatile SessionMeters meters;
    private volatile MeteredSessionChangeBus bus;

    MicrometerInstrumentation(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public SessionStore store(SessionStore store) {
        MeteredSessionStore metered = new MeteredSessionStore(store, registry);
        metered.meteredChangeBus().ifPresent(b -> bus = b); // a store's own bus, as a bus bean would be
        return metered;
    }

    @Override
    public SessionChangeBus bus(SessionChangeBus value) {
        MeteredSessionChangeBus metered = new MeteredSessionChangeBus(value, registry);
        bus = metered;
        return metered;
    }

    @Override
    public List<SessionListener> listeners(SessionStore wrappedStore, SessionConfig config) {
        SessionMeters m = new SessionMeters(wrappedStore, config.clock(), registry);
        meters = m;
        return List.of(m);
    }

    @Override
    public Runnable sampler() {
        SessionMeters m = meters;
        return m == null ? null : m::sampleActiveSessions;
    }

    @Override
    public IntSupplier busConnections() {
        MeteredSessionChangeBus b = bus;
        return b == null ? null : b::openConnections;
    }

    @Override
    public IntSupplier busLiveConnections() {
        MeteredSessionChangeBus b = bus;
        return b == null ? null : b::liveConnections;
    }

    @Override
    public SessionManager manager(SessionManager manager, SessionStore wrappedStore) {
        return new MeteredSessionManager(manager, (MeteredSessionStore) wrappedStore, registry);
    }
}
