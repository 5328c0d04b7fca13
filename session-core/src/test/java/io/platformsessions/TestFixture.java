package io.platformsessions;

import io.platformsessions.memory.InMemoryPlatformDirectory;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.memory.InMemoryUserDirectory;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionListener;
import io.platformsessions.spi.SessionStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The engine test fixture: a manager over in-memory parts, a {@link TestStore} in front of the store
 * (counting, hooks, touch failures), a {@link MutableClock} and demo users: alice (platforms 1
 * mastodon default, 2 pixelfed, 3 inactive), bob (platform 4), carol (no platforms), dave
 * (deactivated). {@link #builder()} sets the options; {@code new TestFixture()} takes every default.
 */
public final class TestFixture {
    /** Start of every test's clock, unless {@link Builder#clockStart(Instant)} says otherwise. */
    public static final Instant START = Instant.parse("2026-03-01T09:00:00Z");
    /** Firefox 120 on Linux. */
    public static final String FIREFOX_LINUX_120 =
            "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
    /** The next Firefox version on Linux (same client by meaning). */
    public static final String FIREFOX_LINUX_121 =
            "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
    /** Chrome on Linux (another browser family). */
    public static final String CHROME_LINUX =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    /** A browser on a home network. */
    public static final ClientInfo HOME = new ClientInfo("203.0.113.7", FIREFOX_LINUX_120, "en-US,en;q=0.9");

    public final MutableClock clock;
    /** The in-memory store behind {@link #store}, unless the builder was given another store. */
    public final InMemorySessionStore memoryStore = new InMemorySessionStore();
    public final TestStore store;
    public final InMemoryPlatformDirectory platforms = new InMemoryPlatformDirectory();
    public final InMemoryUserDirectory users = new InMemoryUserDirectory();
    public final List<SessionEvent> events = new CopyOnWriteArrayList<>();
    public final SessionConfig config;
    public final SessionManager manager;

    /** Every default: the in-memory store, the clock at {@link #START}, no change bus. */
    public TestFixture() {
        this(builder());
    }

    /**
     * Every default but the configuration.
     *
     * @param config changes to the fixture's configuration
     */
    public TestFixture(UnaryOperator<SessionConfig.Builder> config) {
        this(builder().config(config));
    }

    private TestFixture(Builder b) {
        this.clock = new MutableClock(b.clockStart);
        this.store = new TestStore(b.store == null ? memoryStore : b.store);
        users.put(new UserAccount("alice", "Alice", true))
                .put(new UserAccount("bob", "Bob", true))
                .put(new UserAccount("carol", "Carol", true))
                .put(new UserAccount("dave", "Dave", false));
        platforms.put(new PlatformConnection(1, "alice", "alice@mastodon.social", "mastodon", "https://mastodon.social", true, true))
                .put(new PlatformConnection(2, "alice", "alice@pixelfed.social", "pixelfed", "https://pixelfed.social", true, false))
                .put(new PlatformConnection(3, "alice", "alice@old.example", "mastodon", "https://old.example", false, false))
                .put(new PlatformConnection(4, "bob", "bob@mastodon.social", "mastodon", "https://mastodon.social", true, true));
        this.config = b.config.apply(SessionConfig.builder().clock(clock).retryPolicy(RetryPolicy.none())).build();
        SessionManager.Builder mb = SessionManager.builder(store).config(config).platformDirectory(platforms)
                .userDirectory(users).listener(events::add);
        b.listeners.forEach(mb::listener);
        if (b.changeBus != null) {
            mb.changeBus(b.changeBus);
        }
        this.manager = mb.build();
    }

    /**
     * Starts a fixture with options.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Another engine ("node") on this fixture's store, clock and directories, as a second application
     * node would be. Its events go to {@link #events} too.
     *
     * @param config changes to this fixture's configuration for that engine
     * @param bus the engine's change bus, or {@code null} for none
     * @return a new manager; close it when done
     */
    public SessionManager engine(UnaryOperator<SessionConfig.Builder> config, SessionChangeBus bus) {
        SessionManager.Builder mb = SessionManager.builder(store).config(config.apply(this.config.toBuilder()).build())
                .platformDirectory(platforms).userDirectory(users).listener(events::add);
        if (bus != null) {
            mb.changeBus(bus);
        }
        return mb.build();
    }

    /**
     * Events of one type, in order.
     *
     * @param <E> the type
     * @param type the class
     * @return the events
     */
    public <E extends SessionEvent> List<E> events(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * A 32-byte AES key of one repeated byte.
     *
     * @param fill the byte
     * @return the key
     */
    public static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    /** Options of a {@link TestFixture}. */
    public static final class Builder {
        private UnaryOperator<SessionConfig.Builder> config = c -> c;
        private SessionStore store;
        private Instant clockStart = START;
        private final List<SessionListener> listeners = new ArrayList<>();
        private SessionChangeBus changeBus;

        private Builder() {
        }

        /**
         * Changes to the configuration (which starts with the fixture's clock and no read retries).
         *
         * @param value the change
         * @return this builder
         */
        public Builder config(UnaryOperator<SessionConfig.Builder> value) {
            this.config = Objects.requireNonNull(value);
            return this;
        }

        /**
         * The store behind the {@link TestStore} (a mock, or a store with its own behaviour); the
         * default is {@link TestFixture#memoryStore}.
         *
         * @param value the store
         * @return this builder
         */
        public Builder store(SessionStore value) {
            this.store = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Where the clock starts.
         *
         * @param value the instant
         * @return this builder
         */
        public Builder clockStart(Instant value) {
            this.clockStart = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Adds a listener besides the fixture's event list.
         *
         * @param value the listener
         * @return this builder
         */
        public Builder listener(SessionListener value) {
            listeners.add(Objects.requireNonNull(value));
            return this;
        }

        /**
         * Connects the manager to a change bus.
         *
         * @param value the bus
         * @return this builder
         */
        public Builder changeBus(SessionChangeBus value) {
            this.changeBus = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Builds the fixture.
         *
         * @return the fixture
         */
        public TestFixture build() {
            return new TestFixture(this);
        }
    }
}
