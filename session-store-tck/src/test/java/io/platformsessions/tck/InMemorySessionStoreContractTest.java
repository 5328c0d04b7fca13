package io.platformsessions.tck;

import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.spi.SessionStore;

/**
 * The contract against session-core's in-memory store. It runs here rather than in session-core:
 * the TCK depends on session-core, so session-core's tests cannot depend on the TCK.
 */
class InMemorySessionStoreContractTest extends SessionStoreContract {
    @Override
    protected SessionStore createStore() {
        return new InMemorySessionStore();
    }
}
