package io.platformsessions.redis;

import io.platformsessions.ClientInfo;
import io.platformsessions.PlatformConnection;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionManager;
import io.platformsessions.UserAccount;
import io.platformsessions.memory.InMemoryPlatformDirectory;
import io.platformsessions.memory.InMemoryUserDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Several application nodes on one Redis for the change bus tests: each has its own store instance (its own
 * connections and bus) and its own engine with the cache on, all on one key prefix and shared directories.
 */
final class BusNodes implements AutoCloseable {
    static final ClientInfo CLIENT = new ClientInfo("203.0.113.9", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
            "en");

    final TestRedis.Target target;
    final List<RedisSessionStore> stores = new ArrayList<>();
    final List<SessionManager> managers = new ArrayList<>();
    final InMemoryPlatformDirectory platforms = new InMemoryPlatformDirectory();
    final InMemoryUserDirectory users = new InMemoryUserDirectory();
    final String prefix;

    BusNodes(TestRedis.Target target, int count) {
        this.target = target;
        users.put(new UserAccount("alice", "Alice", true)).put(new UserAccount("bob", "Bob", true));
        for (int i = 0; i < 64; i++) {
            users.put(new UserAccount("user" + i, "User " + i, true));
        }
        platforms.put(new PlatformConnection(1, "alice", "alice@mastodon.social", "mastodon", "https://mastodon.social",
                        true, true))
                .put(new PlatformConnection(2, "alice", "alice@pixelfed.social", "pixelfed", "https://pixelfed.social",
                        true, false));
        RedisSessionStore first = target.builder().changeBus(true).build();
        this.prefix = first.keyPrefix();
        stores.add(first);
        for (int i = 1; i < count; i++) {
            stores.add(target.builder().keyPrefix(prefix).changeBus(true).build());
        }
        for (RedisSessionStore s : stores) {
            managers.add(SessionManager.builder(s).platformDirectory(platforms).userDirectory(users)
                    .config(SessionConfig.builder().build()).build());
        }
    }

    SessionManager node(int i) {
        return managers.get(i);
    }

    RedisChangeBus bus(int i) {
        return (RedisChangeBus) stores.get(i).changeBus().orElseThrow();
    }

    /** Waits until every node's bus is live and has reset its engine. */
    void awaitLive() {
        for (int i = 0; i < stores.size(); i++) {
            int n = i;
            await(() -> bus(n).isLive() && bus(n).resets() >= 1, Duration.ofSeconds(10), "bus of node " + n + " live");
        }
    }

    /**
     * Polls until {@code condition} holds and returns how long that took.
     *
     * @throws AssertionError if it does not hold within {@code max}
     */
    static Duration await(BooleanSupplier condition, Duration max, String what) {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + max + ": " + what);
            }
            try {
                Thread.sleep(0, 200_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() {
        for (SessionManager m : managers) {
            m.close();
        }
        for (RedisSessionStore s : stores) {
            s.close();
        }
        target.deleteKeys(prefix);
    }
}
