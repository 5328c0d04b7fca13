package io.platformsessions;

import io.platformsessions.memory.InMemoryPlatformDirectory;
import io.platformsessions.spi.PlatformDirectory;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionListener;
import io.platformsessions.spi.SessionStore;
import io.platformsessions.spi.UserDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a {@link SessionManager}. Obtain one from {@link SessionManager#builder(SessionStore)}.
 * Not thread-safe; every setter returns {@code this}.
 *
 * <p>Defaults: {@link SessionConfig#defaults()}; a user directory that accepts any non-blank user
 * id with the id as its username (replace it to refuse unknown or deactivated users); an empty
 * platform directory (sessions without platforms); no listeners; no change bus.
 */
public final class SessionManagerBuilder {
    private final SessionStore store;
    private SessionConfig config = SessionConfig.defaults();
    private PlatformDirectory platforms = new InMemoryPlatformDirectory();
    private UserDirectory users = userId -> Optional.of(new UserAccount(userId, userId, true));
    private final List<SessionListener> listeners = new ArrayList<>();
    private SessionChangeBus changeBus;

    SessionManagerBuilder(SessionStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Sets the configuration.
     *
     * @param value the configuration
     * @return this builder
     */
    public SessionManagerBuilder config(SessionConfig value) {
        this.config = Objects.requireNonNull(value, "config");
        return this;
    }

    /**
     * Sets where platform connections are looked up.
     *
     * @param value the directory
     * @return this builder
     */
    public SessionManagerBuilder platformDirectory(PlatformDirectory value) {
        this.platforms = Objects.requireNonNull(value, "platformDirectory");
        return this;
    }

    /**
     * Sets where users are looked up.
     *
     * @param value the directory
     * @return this builder
     */
    public SessionManagerBuilder userDirectory(UserDirectory value) {
        this.users = Objects.requireNonNull(value, "userDirectory");
        return this;
    }

    /**
     * Adds a listener for session events (audit, metrics, notifications).
     *
     * @param value the listener
     * @return this builder
     */
    public SessionManagerBuilder listener(SessionListener value) {
        listeners.add(Objects.requireNonNull(value, "listener"));
        return this;
    }

    /**
     * Connects the cache to other engines sharing the store.
     *
     * @param value the bus
     * @return this builder
     */
    public SessionManagerBuilder changeBus(SessionChangeBus value) {
        this.changeBus = Objects.requireNonNull(value, "changeBus");
        return this;
    }

    /**
     * Builds the manager.
     *
     * @return a thread-safe manager
     */
    public SessionManager build() {
        return new DefaultSessionManager(config, store, platforms, users, List.copyOf(listeners), changeBus);
    }
}
