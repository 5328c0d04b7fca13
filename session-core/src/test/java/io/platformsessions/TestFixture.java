package io.platformsessions;

import io.platformsessions.memory.InMemoryPlatformDirectory;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.memory.InMemoryUserDirectory;
import io.platformsessions.spi.SessionStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A manager over in-memory parts with demo users: alice (platforms 1 mastodon default, 2 pixelfed,
 * 3 inactive), bob (platform 4), carol (no platforms), dave (deactivated).
 */
public final class TestFixture {
    /** Start of every test's clock. */
    public static final Instant START = Instant.parse("2026-03-01T09:00:00Z");
    /** A browser on a home network. */
    public static final ClientInfo HOME = new ClientInfo("203.0.113.17",
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "en-GB,en;q=0.8");

    public final MutableClock clock = new MutableClock(START);
    public final InMemorySessionStore memoryStore = new InMemorySessionStore();
    public final CountingSessionStore store;
    public final InMemoryPlatformDirectory platforms = new InMemoryPlatformDirectory();
    public final InMemoryUserDirectory users = new InMemoryUserDirectory();
    public final List<SessionEvent> events = new CopyOnWriteArrayList<>();
    public final SessionManager manager;

    public TestFixture() {
        this(c -> c);
    }

    public TestFixture(UnaryOperator<SessionConfig.Builder> config) {
        this(config, null);
    }

    public TestFixture(UnaryOperator<SessionConfig.Builder> config, SessionStore storeOverride) {
        this.store = new CountingSessionStore(storeOverride == null ? memoryStore : storeOverride);
        users.put(new UserAccount("alice", "Alice", true))
                .put(new UserAccount("bob", "Bob", true))
                .put(new UserAccount("carol", "Carol", true))
                .put(new UserAccount("dave", "Dave", false));
        platforms.put(new PlatformConnection(1, "alice", "alice@mastodon.social", "mastodon", "https://mastodon.social", true, true))
                .put(new PlatformConnection(2, "alice", "alice@pixelfed.social", "pixelfed", "https://pixelfed.social", true, false))
                .put(new PlatformConnection(3, "alice", "alice@old.example", "mastodon", "https://old.example", false, false))
                .put(new PlatformConnection(4, "bob", "bob@mastodon.social", "mastodon", "https://mastodon.social", true, true));
        this.manager = SessionManager.builder(store)
                .config(config.apply(SessionConfig.builder().clock(clock).retryPolicy(RetryPolicy.none())).build())
                .platformDirectory(platforms)
                .userDirectory(users)
                .listener(events::add)
                .build();
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
}
