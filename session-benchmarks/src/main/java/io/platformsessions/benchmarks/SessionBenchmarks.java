package io.platformsessions.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Operations 1 to 4 and 6 of issue 7, measured as throughput (operations per second, summed over
 * threads). One JMH benchmark per operation; the library, database and cache setting are
 * parameters, and {@link BenchmarkMain} runs each combination in its own fork. Live sessions for the
 * request cycle, switch and list operations are prepared before measuring: {@link #sessions} spread
 * over {@link #users} users (10 sessions per user).
 * <p>JMH state: not for use outside JMH.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SessionBenchmarks {

    /** Database: {@code h2}, {@code postgresql} or {@code redis}. */
    @Param({"h2"})
    public String db;

    /** Library: {@code ours} or {@code spring}; on Redis also {@code spring-indexed}. */
    @Param({"ours"})
    public String lib;

    /** For ours: {@code on} (the default) or {@code off}. Ignored for Spring, which has no cache. */
    @Param({"on"})
    public String cache;

    /** For ours: {@code true} to build the store with {@code asynchronousCreateCommit(true)} (PostgreSQL). */
    @Param({"false"})
    public boolean asyncCreate;

    /** Live sessions prepared for request cycle, switch and list. */
    @Param({"10000"})
    public int sessions;

    /** Users the live sessions are spread over. */
    @Param({"1000"})
    public int users;

    private Db.Pool pool;
    private String redisPrefix;
    private Thread redisCleanup;
    private Subject subject;
    private final AtomicLong created = new AtomicLong();

    /** Creates the JMH state. */
    public SessionBenchmarks() {
    }

    /**
     * Per-thread position in the prepared sessions; threads start at random offsets so they do not
     * work on the same session at the same time.
     */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        /** Creates the cursor. */
        public Cursor() {
        }

        /** Picks a random start. */
        @Setup(Level.Trial)
        public void start() {
            next = ThreadLocalRandom.current().nextInt(1 << 20);
        }

        int next() {
            int i = next++;
            return i & Integer.MAX_VALUE;
        }
    }

    /**
     * Opens a fresh namespace on the database, the library over it, and prepares live sessions for
     * the operations that need them.
     * @param params the benchmark being run, to know what to prepare
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        Db database = Db.parse(db);
        if (database == Db.REDIS) {
            setUpRedis();
            return;
        }
        pool = database.open(Parallel.THREADS + 2);
        subject = Subjects.open(lib, pool, pool.ds(), "on".equals(cache), asyncCreate);
        // Every operation, create included, starts from the same steady state: live sessions in the tables and
        // fresh statistics. (Creating into empty, just-analyzed tables measured how PostgreSQL's cached plans
        // for "empty" tables degrade as they fill: sequential scans in both libraries' statements, throughput
        // falling by 2 to 3x within a run.)
        subject.prepareActive(sessions, users);
        pool.analyze();
    }

    /** Redis: the library under a fresh key prefix, deleted again at tear-down (or if the fork is killed). */
    private void setUpRedis() {
        String prefix = RedisTarget.randomPrefix();
        redisPrefix = prefix;
        redisCleanup = new Thread(() -> RedisTarget.deleteKeys(prefix), "redis-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(redisCleanup);
        subject = Subjects.openRedis(lib, prefix, "on".equals(cache));
        subject.prepareActive(sessions, users);
    }

    /** Closes the library and drops the namespace (Redis: deletes the keys under the prefix). */
    @TearDown(Level.Trial)
    public void tearDown() {
        subject.close();
        if (redisPrefix != null) {
            RedisTarget.deleteKeys(redisPrefix);
            Runtime.getRuntime().removeShutdownHook(redisCleanup);
            return;
        }
        pool.close();
    }

    /**
     * Operation 1: create a session for a user with a platform.
     * @return the new session's token or id
     */
    @Benchmark
    public Object create() {
        return subject.create(created.getAndIncrement());
    }

    /**
     * Operations 2 and 6: one request's session work for a session in use.
     * @param cursor the thread's position
     * @return the resolved session
     */
    @Benchmark
    public Object requestCycle(Cursor cursor) {
        return subject.requestCycle(cursor.next());
    }

    /**
     * Operation 3: switch a session to the user's other platform.
     * @param cursor the thread's position
     * @return the updated session
     */
    @Benchmark
    public Object switchPlatform(Cursor cursor) {
        return subject.switchPlatform(cursor.next());
    }

    /**
     * Operation 4: list a user's sessions.
     * @param cursor the thread's position
     * @return how many were listed
     */
    @Benchmark
    public int listSessions(Cursor cursor) {
        int n = subject.listSessions(cursor.next());
        if (n == 0) {
            throw new IllegalStateException("a prepared user has no sessions");
        }
        return n;
    }
}
