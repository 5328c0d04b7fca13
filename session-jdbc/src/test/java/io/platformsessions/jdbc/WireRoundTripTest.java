package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.InvalidationReason;
import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Round trips as the network sees them (what {@link RoundTripTest} cannot: a driver may talk to the server
 * without a statement being executed): each store operation runs through a {@link TcpProxy} that counts a
 * server reply after client data as one round trip. Each operation runs once to warm up, then is measured three
 * times; the fewest counts.
 */
class WireRoundTripTest {
    private static final Logger LOG = LoggerFactory.getLogger(WireRoundTripTest.class);

    @ParameterizedTest
    @EnumSource(value = TestDatabases.Db.class, names = {"POSTGRES", "MARIADB"})
    void everyRequestOperationIsOneRoundTripAndALoginAtMostTwo(TestDatabases.Db db) throws Exception {
        String url = db.url();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", TestDatabases.port(url));
             HikariDataSource pool = TestDatabases.pool(TestDatabases.viaPort(url, proxy.port()), 1, "wire")) {
            JdbcSessionStore store = JdbcSessionStore.builder().dataSource(pool).tablePrefix(TestDatabases.randomPrefix())
                    .initializeSchema(true).build();
            try {
                Map<String, Integer> trips = new LinkedHashMap<>();
                AtomicReference<SessionRecord> current = new AtomicReference<>(TestRecords.record("alice", TestRecords.T0));
                store.insert(current.get());
                Instant[] last = {TestRecords.T0};
                trips.put("insert", measure(proxy, () -> store.insert(TestRecords.record("bob", TestRecords.T0))));
                trips.put("insertAndCountLive", measure(proxy,
                        () -> store.insertAndCountLive(TestRecords.record("carol", TestRecords.T0), TestRecords.T0)));
                trips.put("find", measure(proxy, () -> store.find(current.get().key())));
                trips.put("findByUser", measure(proxy, () -> store.findByUser("alice")));
                trips.put("touch", measure(proxy, () -> {
                    last[0] = last[0].plusSeconds(61);
                    store.touch(current.get().key(), last[0], last[0].plus(Duration.ofMinutes(30)));
                }));
                trips.put("update", measure(proxy, () -> {
                    SessionRecord r = store.find(current.get().key()).orElseThrow();
                    current.set(r.withVersion(r.version() + 1));
                    proxy.reset(); // count the update only
                    assertThat(store.update(current.get(), r.version())).isTrue();
                }));
                trips.put("rekey", measure(proxy, () -> {
                    SessionRecord r = store.find(current.get().key()).orElseThrow();
                    current.set(r.withKey(TestRecords.randomKey()).withVersion(r.version() + 1));
                    proxy.reset();
                    assertThat(store.rekey(r.key(), current.get(), r.version())).isTrue();
                }));
                trips.put("delete", measure(proxy, () -> {
                    SessionRecord victim = TestRecords.record("dave", TestRecords.T0);
                    store.insert(victim);
                    proxy.reset();
                    assertThat(store.delete(victim.key(), InvalidationReason.LOGOUT, TestRecords.T0)).isTrue();
                }));
                trips.put("deleteExpired", measure(proxy, () -> store.deleteExpired(TestRecords.T0.plus(Duration.ofDays(1)), 100)));
                LOG.info("{} round trips on the wire: {}", db, trips);

                int login = db == TestDatabases.Db.POSTGRES ? 1 : 2;
                assertThat(trips).as("round trips per operation").containsEntry("insertAndCountLive", login)
                        .containsEntry("insert", 1).containsEntry("find", 1).containsEntry("findByUser", 1)
                        .containsEntry("touch", 1).containsEntry("update", 1).containsEntry("rekey", 1)
                        .containsEntry("delete", 1);
                if (db == TestDatabases.Db.POSTGRES) {
                    assertThat(trips).containsEntry("deleteExpired", 1);
                }
            } finally {
                store.dropSchema();
            }
        }
    }

    /**
     * Runs {@code op} once to warm up (first-use driver work), then three times, and returns the fewest round
     * trips of those three: anything else on the wire (a pool's validation after a pause on a loaded machine)
     * only adds, see {@link TcpProxy#fewestPerOperation}.
     */
    private static int measure(TcpProxy proxy, Runnable op) {
        List<Integer> trips = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            proxy.reset();
            op.run();
            trips.add(proxy.roundTrips());
        }
        return TcpProxy.fewestPerOperation(trips, 1).get(0);
    }
}
