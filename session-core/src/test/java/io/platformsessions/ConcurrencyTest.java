package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConcurrencyTest {

    @ParameterizedTest(name = "cache enabled: {0}")
    @ValueSource(booleans = {true, false})
    void concurrentSwitchesAndAttributeWritesLoseNothing(boolean cacheEnabled) throws Exception {
        TestFixture f = new TestFixture(c -> c.cacheEnabled(cacheEnabled));
        SessionManager m = f.manager;
        CreatedSession s = m.create("alice", ClientInfo.unknown());
        SessionKey key = s.context().key();
        int threads = 8;
        int opsPerThread = 40;
        Set<Long> platformsSet = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < opsPerThread; i++) {
                        if ((thread + i) % 2 == 0) {
                            long platform = (thread + i) % 4 == 0 ? 1 : 2;
                            m.switchPlatform(key, platform);
                            platformsSet.add(platform);
                        } else {
                            m.setAttribute(key, "t" + thread + "-" + i, i);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        PlatformContext end = m.resolve(s.token().value(), ClientInfo.unknown()).orElseThrow();
        int switchesDone = threads * opsPerThread / 2;
        int attributesSet = threads * opsPerThread - switchesDone;
        assertThat(end.version()).as("every successful write is one version").isEqualTo(1 + threads * opsPerThread);
        Set<String> names = new HashSet<>(f.memoryStore.find(key).orElseThrow().attributes().asMap().keySet());
        assertThat(names).as("no attribute lost to a concurrent switch").hasSize(attributesSet);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < opsPerThread; i++) {
                if ((t + i) % 2 != 0) {
                    assertThat(m.getAttribute(end, "t" + t + "-" + i, Integer.class)).contains(i);
                }
            }
        }
        assertThat(end.platform().orElseThrow().id()).isIn(platformsSet);
        assertThat(f.events(SessionEvent.PlatformSwitched.class)).hasSize(switchesDone);
        assertThat(f.memoryStore.find(key).orElseThrow().platform()).isEqualTo(end.platform().orElseThrow());
    }
}
