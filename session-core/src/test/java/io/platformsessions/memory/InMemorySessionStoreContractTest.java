package io.platformsessions.memory;

import io.platformsessions.spi.SessionStore;
import io.platformsessions.spi.SessionStoreContractTest;

class InMemorySessionStoreContractTest extends SessionStoreContractTest {
    @Override
    protected SessionStore createStore() {
        return new InMemorySessionStore();
    }
}
