package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A really hung PostgreSQL: a cluster of this test's own (initdb into a temporary directory, a free port, never
 * the shared server) whose postmaster and backends are stopped with SIGSTOP under a live store on a default
 * {@link JdbcPool}. Calls fail with a transient error within the network timeout; after SIGCONT the same store
 * works again. Needs PostgreSQL's server binaries ({@code /usr/lib/postgresql/<version>/bin}); skips loudly
 * without them. The cluster is stopped and deleted afterwards.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HungPostgresProcessTest {
    private static final Logger LOG = LoggerFactory.getLogger(HungPostgresProcessTest.class);

    private final PrivatePostgres cluster = new PrivatePostgres();

    @Test
    void aStoppedServerFailsCallsWithinTheBoundAndTheStoreRecoversAfterSigcont() throws Exception {
        String url = cluster.start();
        try (JdbcSessionStore store = JdbcSessionStore.builder().pool(JdbcPool.builder(url).maximumPoolSize(3).build())
                .initializeSchema(true).build()) {
            SessionRecord before = TestRecords.record("alice", TestRecords.T0);
            store.insert(before);

            cluster.signal("STOP");
            List<Duration> took = new ArrayList<>();
            took.add(HungDatabaseTest.failsTransientlyWithin(store.networkTimeout(), () -> store.find(before.key())));
            took.add(HungDatabaseTest.failsTransientlyWithin(store.networkTimeout(),
                    () -> store.insertAndCountLive(TestRecords.record("bob", TestRecords.T0), TestRecords.T0)));
            took.add(HungDatabaseTest.failsTransientlyWithin(store.networkTimeout(), () -> store.findByUser("alice")));
            LOG.info("PostgreSQL stopped (SIGSTOP): calls failed after {}", took);

            cluster.signal("CONT");
            Duration recovery = HungDatabaseTest.recovers(() -> store.find(before.key()).isPresent());
            LOG.info("PostgreSQL continued (SIGCONT): first successful find after {}", recovery);
            assertThat(store.find(before.key())).as("written before the hang, not lost").contains(before);
        }
    }

    @AfterEach
    void stopCluster() throws Exception {
        cluster.close();
    }
}
