package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.ClientInfo;
import io.platformsessions.ConcurrentSessionUpdateException;
import io.platformsessions.CreatedSession;
import io.platformsessions.PlatformConnection;
import io.platformsessions.PlatformContext;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionManager;
import io.platformsessions.spi.SessionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Eight threads switch platform and set attributes on one session through the real engine, against each
 * database, with the engine's cache off and on: every successful call is in the final state, nothing is
 * lost, and no deadlock or store error surfaces.
 */
@Timeout(120)
class EngineConcurrencyTest {
    private static final int THREADS = 8;
    private static final int OPS_PER_THREAD = 16;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (TestDatabases.Db db : TestDatabases.Db.values()) {
            out.add(Arguments.of(db, false));
            out.add(Arguments.of(db, true));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, cache enabled: {1}")
    @MethodSource("cases")
    void concurrentSwitchesAndAttributeWritesLoseNothing(TestDatabases.Db db, boolean cacheEnabled) throws Exception {
        try (HikariDataSource pool = db.pool(THREADS + 2)) {
            String prefix = TestDatabases.randomPrefix();
            JdbcSessionStore store = JdbcSessionStore.builder().dataSource(pool).tablePrefix(prefix)
                    .initializeSchema(true).build();
            JdbcPlatformDirectory platforms = JdbcPlatformDirectory.builder(pool).tablePrefix(prefix)
                    .initializeSchema(true).build();
            try {
                PlatformConnection mastodon = platforms.add("alice", "alice@mastodon.social", "mastodon",
                        "https://mastodon.social", true);
                PlatformConnection pixelfed = platforms.add("alice", "alice@pixelfed.social", "pixelfed",
                        "https://pixelfed.social", false);
                SessionManager manager = SessionManager.builder(store).platformDirectory(platforms)
                        .config(SessionConfig.builder().cacheEnabled(cacheEnabled).maxPlatformSwitchesPerMinute(10_000)
                                .build())
                        .build();
                run(manager, store, mastodon, pixelfed);
                manager.close();
            } finally {
                platforms.dropSchema();
                store.dropSchema();
            }
        }
    }

    private static void run(SessionManager manager, JdbcSessionStore store, PlatformConnection a,
                            PlatformConnection b) throws Exception {
        CreatedSession session = manager.create("alice", ClientInfo.unknown());
        SessionKey key = session.context().key();
        assertThat(session.context().platform().orElseThrow().id()).isEqualTo(a.id());

        Set<String> attributesWritten = ConcurrentHashMap.newKeySet();
        Set<Long> platformsChosen = ConcurrentHashMap.newKeySet();
        Map<String, Throwable> unexpected = new ConcurrentHashMap<>();
        AtomicInteger switches = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < OPS_PER_THREAD; i++) {
                        try {
                            if ((thread + i) % 2 == 0) {
                                long target = (thread + i) % 4 == 0 ? b.id() : a.id();
                                manager.switchPlatform(key, target);
                                platformsChosen.add(target);
                                switches.incrementAndGet();
                            } else {
                                String name = "t" + thread + "-" + i;
                                manager.setAttribute(key, name, i);
                                attributesWritten.add(name);
                            }
                        } catch (ConcurrentSessionUpdateException e) {
                            gaveUp.incrementAndGet(); // the engine's documented answer to extreme contention: nothing written
                        } catch (RuntimeException e) {
                            unexpected.put(thread + "/" + i, e);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(unexpected).as("no store error, deadlock or other failure surfaces").isEmpty();
        int successes = attributesWritten.size() + switches.get();
        assertThat(successes + gaveUp.get()).isEqualTo(THREADS * OPS_PER_THREAD);
        assertThat(gaveUp.get()).as("the engine gave up on at most a few calls").isLessThan(THREADS * OPS_PER_THREAD / 4);

        SessionRecord stored = store.find(key).orElseThrow();
        assertThat(stored.attributes().asMap().keySet())
                .as("every attribute whose call succeeded is there: no lost update")
                .containsExactlyInAnyOrderElementsOf(attributesWritten);
        assertThat(stored.version()).as("one version per successful write")
                .isEqualTo(1L + successes);
        assertThat(stored.platform().id()).isIn(platformsChosen);
        PlatformContext resolved = manager.resolve(session.token().value(), ClientInfo.unknown()).orElseThrow();
        assertThat(resolved.version()).isEqualTo(stored.version());
        for (String name : attributesWritten) {
            int i = Integer.parseInt(name.substring(name.indexOf('-') + 1));
            assertThat(manager.getAttribute(resolved, name, Integer.class)).contains(i);
        }
        assertThat(switches.get()).isPositive();
    }
}
