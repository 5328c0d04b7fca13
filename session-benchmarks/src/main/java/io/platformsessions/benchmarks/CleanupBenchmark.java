package io.platformsessions.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Operation 5 of issue 7: remove {@link #expired} expired sessions, as one timed call per iteration
 * (single-shot time, in seconds). Before each iteration the expired sessions are stored again (not
 * timed), next to {@link #live} live ones that must survive. {@link BenchmarkMain} reports
 * {@code expired / time} as sessions removed per second.
 * <p>JMH state: not for use outside JMH.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CleanupBenchmark {

    /** Database: {@code h2} or {@code postgresql}. */
    @Param({"h2"})
    public String db;

    /** Library: {@code ours} or {@code spring}. */
    @Param({"ours"})
    public String lib;

    /** Expired sessions removed per iteration. */
    @Param({"100000"})
    public int expired;

    /** Live sessions stored alongside (not removed). */
    @Param({"1000"})
    public int live;

    private Db.Pool pool;
    private Subject subject;
    private long removed;

    /** Creates the JMH state. */
    public CleanupBenchmark() {
    }

    /** Opens a fresh namespace and the library, and stores the live sessions. */
    @Setup(Level.Trial)
    public void setUp() {
        pool = Db.parse(db).open(Parallel.THREADS + 2);
        subject = Subjects.open(lib, pool, pool.ds(), true);
        subject.prepareActive(live, Math.max(1, live / 10));
    }

    /** Stores the expired sessions for the next timed call. */
    @Setup(Level.Iteration)
    public void storeExpired() {
        subject.prepareExpired(expired);
        pool.analyze();
    }

    /** Checks the timed call removed what it should have (where the library reports it). */
    @TearDown(Level.Iteration)
    public void check() {
        if (removed >= 0 && removed != expired) {
            throw new IllegalStateException(lib + " cleanup removed " + removed + " sessions, expected " + expired);
        }
        if (subject instanceof SpringSubject spring && spring.storedSessions() != live) {
            throw new IllegalStateException("spring cleanup left " + spring.storedSessions() + " sessions, expected " + live);
        }
    }

    /** Closes the library and drops the namespace. */
    @TearDown(Level.Trial)
    public void tearDown() {
        subject.close();
        pool.close();
    }

    /**
     * Operation 5: remove every expired session.
     * @return how many were removed (-1 if the library does not say)
     */
    @Benchmark
    public long cleanup() {
        removed = subject.cleanup();
        return removed;
    }
}
