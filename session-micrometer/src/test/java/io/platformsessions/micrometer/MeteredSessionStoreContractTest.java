package io.platformsessions.micrometer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.spi.SessionStore;
import io.platformsessions.tck.SessionStoreContract;

/** The decorator keeps the store contract: every answer and exception passes through unchanged. */
class MeteredSessionStoreContractTest extends SessionStoreContract {
    @Override
    protected SessionStore createStore() {
        return new MeteredSessionStore(new InMemorySessionStore(), new SimpleMeterRegistry());
    }
}
