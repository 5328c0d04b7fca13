package io.platformsessions.spring.boot;

import io.platformsessions.SessionConfig;
import io.platformsessions.SessionManager;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionListener;
import io.platformsessions.spi.SessionStore;
import java.util.List;

/**
 * How the metrics auto-configuration wraps the parts the core auto-configuration assembles (the store, the
 * bus, the manager) without the core depending on Micrometer. At most one bean of this type exists.
 */
interface SessionsInstrumentation {

    /** The store the manager is built on. */
    SessionStore store(SessionStore store);

    /** The bus the manager is built with. */
    SessionChangeBus bus(SessionChangeBus bus);

    /** Listeners to add to the manager, built on the (wrapped) store. */
    List<SessionListener> listeners(SessionStore wrappedStore, SessionConfig config);

    /** Work to run on the scheduler (the active-sessions sample), or {@code null}. */
    Runnable sampler();

    /** Open connections of the (wrapped) bus, or {@code null} without a metered bus. */
    java.util.function.IntSupplier busConnections();

    /** Open connections of the (wrapped) bus that are live, or {@code null} without a metered bus. */
    java.util.function.IntSupplier busLiveConnections();

    /** The manager the application gets. */
    SessionManager manager(SessionManager manager, SessionStore wrappedStore);
}
