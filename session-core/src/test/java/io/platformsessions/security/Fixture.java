package io.platformsessions.security;

import io.platformsessions.MutableClock;
import io.platformsessions.ClientInfo;
import io.platformsessions.PlatformConnection;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionEvent;
import io.platformsessions.SessionManager;
import io.platformsessions.memory.InMemoryPlatformDirectory;
import io.platformsessions.spi.SessionListener;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** A manager over a counting in-memory store, two Mastodon/Pixelfed platforms for alice, a test clock. */
final class Fixture {
    static final Instant START = Instant.parse("2026-01-01T10:00:00Z");
    static final String FIREFOX_LINUX_120 =
            "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
    static final String FIREFOX_LINUX_121 =
            "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
    static final String CHROME_LINUX =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    static final ClientInfo HOME = new ClientInfo("203.0.113.7", FIREFOX_LINUX_120, "en-US,en;q=0.9");

    final MutableClock clock = new MutableClock(START);
    final CountingStore store = new CountingStore();
    final InMemoryPlatformDirectory platforms = new InMemoryPlatformDirectory()
            .put(new PlatformConnection(1, "alice", "alice@mastodon.social", "mastodon", "https://mastodon.social", true, true))
            .put(new PlatformConnection(2, "alice", "alice@pixelfed.social", "pixelfed", "https://pixelfed.social", true, false))
            .put(new PlatformConnection(3, "bob", "bob@mastodon.social", "mastodon", "https://mastodon.social", true, true));
    final List<SessionEvent> events = new CopyOnWriteArrayList<>();
    final SessionConfig config;
    final SessionManager manager;

    Fixture() {
        this(b -> b);
    }

    Fixture(UnaryOperator<SessionConfig.Builder> customize) {
        this(customize, List.of());
    }

    Fixture(UnaryOperator<SessionConfig.Builder> customize, List<SessionListener> extraListeners) {
        this.config = customize.apply(SessionConfig.builder().clock(clock)).build();
        var builder = SessionManager.builder(store).config(config).platformDirectory(platforms).listener(events::add);
        extraListeners.forEach(builder::listener);
        this.manager = builder.build();
    }

    <T extends SessionEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static byte[] key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) fill);
        return k;
    }
}
