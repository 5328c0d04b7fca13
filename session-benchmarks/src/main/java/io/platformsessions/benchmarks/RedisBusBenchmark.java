package io.platformsessions.benchmarks;

import io.platformsessions.ClientInfo;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionManager;
import io.platformsessions.redis.RedisChangeBus;
import io.platformsessions.redis.RedisSessionStore;
import io.platformsessions.spi.SessionChangeBus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Redis change bus (issue 14): how long a change made on node A takes to reach node B's bus (B then drops its
 * cached copy), and what the bus costs a write. Runs on a private {@code redis-server} (so the server's CPU per
 * write is not mixed with other work), or on {@code PS_TEST_REDIS_URI} with {@code --shared}.
 *
 * <p>Usage: {@code java -cp session-benchmarks/target/benchmarks.jar io.platformsessions.benchmarks.RedisBusBenchmark
 * [--changes=N] [--rounds=N] [--shared]}. Prints a Markdown table to stdout.
 *
 * <ul>
 * <li><b>Delay</b>: node A (its own store, connection and bus) makes {@code changes} attribute writes, one after
 *     another, on 100 sessions; node B's bus records when each announcement arrived. Delay = arrival minus the
 *     start of A's call; A's call time is shown next to it (the announcement leaves Redis inside the write).</li>
 * <li><b>Write cost</b>: the same writes with the bus off, on with no other node listening (the write's own
 *     cost: the announcement in the script), and on with two other nodes listening in this JVM (their handling of
 *     the messages shares this machine's CPU), in slices of 1,000 in rotating order for {@code rounds} rounds:
 *     writes per second (median of the slices) and the Redis server's CPU per write (private server only).</li>
 * </ul>
 */
public final class RedisBusBenchmark {
    private static final ClientInfo CLIENT = new ClientInfo("203.0.113.9",
            "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", "en");
    private static final int SESSIONS = 100;
    private static final int SLICE = 1_000;

    private RedisBusBenchmark() {
    }

    /**
     * Entry point.
     * @param args see the class description
     * @throws Exception if the private server cannot start
     */
    public static void main(String[] args) throws Exception {
        int changes = 2_000;
        int rounds = 10;
        boolean shared = false;
        for (String a : args) {
            if (a.startsWith("--changes=")) {
                changes = Integer.parseInt(a.substring(10));
            } else if (a.startsWith("--rounds=")) {
                rounds = Integer.parseInt(a.substring(9));
            } else if (a.equals("--shared")) {
                shared = true;
            } else {
                System.err.println("usage: RedisBusBenchmark [--changes=N] [--rounds=N] [--shared]");
                System.exit(2);
            }
        }
        if (shared) {
            System.out.print(run(RedisTarget.uri(), "shared " + RedisTarget.version(), null, changes, rounds));
        } else {
            try (PrivateRedis server = PrivateRedis.start()) {
                System.out.print(run(server.uri(), "private redis-server " + server.version(), server, changes, rounds));
            }
        }
        System.exit(0);
    }

    private static String run(String uri, String where, PrivateRedis server, int changes, int rounds) {
        String prefix = RedisTarget.randomPrefix();
        String prefix2 = RedisTarget.randomPrefix();
        List<RedisSessionStore> stores = new ArrayList<>();
        List<SessionManager> managers = new ArrayList<>();
        try {
            // node A writes; B and C listen (B's arrivals are timed); "off" is A's store with the bus off
            for (int i = 0; i < 3; i++) {
                stores.add(RedisSessionStore.builder().uri(uri).keyPrefix(prefix).changeBus(true).build());
            }
            RedisSessionStore off = RedisSessionStore.builder().uri(uri).keyPrefix(prefix).build();
            stores.add(off);
            // bus on, but on a prefix (channel) no other node listens to: the write's own cost
            stores.add(RedisSessionStore.builder().uri(uri).keyPrefix(prefix2).changeBus(true).build());
            for (RedisSessionStore s : stores) {
                managers.add(SessionManager.builder(s).config(SessionConfig.builder().build()).build());
            }
            SessionManager a = managers.get(0);
            SessionManager aOff = managers.get(3);
            SessionManager alone = managers.get(4);
            RedisChangeBus busB = (RedisChangeBus) stores.get(1).changeBus().orElseThrow();
            waitLive(busB);
            waitLive((RedisChangeBus) stores.get(2).changeBus().orElseThrow());

            Map<String, Long> arrivals = new ConcurrentHashMap<>();
            SessionChangeBus.Connection timer = busB.connect(new SessionChangeBus.Listener() {
                @Override
                public void onChange(SessionChangeBus.Change change) {
                    arrivals.putIfAbsent(change.key().hex() + " " + change.version(), System.nanoTime());
                }

                @Override
                public void onReset(String why) {
                }
            });
            // each writer its own sessions: the bus-off store announces nothing, so sharing would cost conflicts
            List<SessionKey> keys = new ArrayList<>();
            List<SessionKey> offKeys = new ArrayList<>();
            List<SessionKey> aloneKeys = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                keys.add(a.create("user" + i, CLIENT).context().key());
                offKeys.add(aOff.create("other" + i, CLIENT).context().key());
                aloneKeys.add(alone.create("alone" + i, CLIENT).context().key());
            }
            // warm-up: JIT, scripts loaded
            for (int i = 0; i < 2_000; i++) {
                a.setAttribute(keys.get(i % SESSIONS), "n", i);
                aOff.setAttribute(offKeys.get(i % SESSIONS), "n", i);
                alone.setAttribute(aloneKeys.get(i % SESSIONS), "n", i);
            }

            long[] delays = new long[changes];
            long[] calls = new long[changes];
            long resets = busB.resets();
            for (int i = 0; i < changes; i++) {
                SessionKey key = keys.get(i % SESSIONS);
                long start = System.nanoTime();
                long version = a.setAttribute(key, "d", i).version();
                calls[i] = System.nanoTime() - start;
                String id = key.hex() + " " + version;
                long deadline = start + TimeUnit.SECONDS.toNanos(5);
                Long at;
                while ((at = arrivals.get(id)) == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("announcement " + i + " did not arrive within 5 s");
                    }
                    Thread.onSpinWait();
                }
                delays[i] = at - start;
            }
            timer.close();
            if (busB.resets() != resets) {
                throw new IllegalStateException("B's bus reset during the measurement; run again");
            }

            // write cost: three configurations in rotating order, slice by slice
            List<SessionManager> writers = List.of(aOff, alone, a);
            List<List<SessionKey>> writerKeys = List.of(offKeys, aloneKeys, keys);
            List<List<Double>> rates = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            long[] cpu = new long[3];
            int n = 0;
            try (RedisTarget.Admin admin = server == null ? null : RedisTarget.admin(uri)) {
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < 3; k++) {
                        int w = (r + k) % 3;
                        long cpu0 = admin == null ? 0 : PrivateRedis.cpuMicros(admin);
                        long t0 = System.nanoTime();
                        for (int i = 0; i < SLICE; i++) {
                            writers.get(w).setAttribute(writerKeys.get(w).get(n++ % SESSIONS), "w", i);
                        }
                        rates.get(w).add(SLICE / ((System.nanoTime() - t0) / 1e9));
                        cpu[w] += admin == null ? 0 : PrivateRedis.cpuMicros(admin) - cpu0;
                    }
                }
            }
            double[] cpuPerWrite = new double[3];
            for (int w = 0; w < 3; w++) {
                cpuPerWrite[w] = server == null ? -1 : cpu[w] / (double) (rounds * SLICE);
            }
            return render(where, changes, delays, calls, rounds, rates, cpuPerWrite);
        } finally {
            for (SessionManager m : managers) {
                m.close();
            }
            for (RedisSessionStore s : stores) {
                s.close();
            }
            if (server == null) {
                RedisTarget.deleteKeys(prefix);
                RedisTarget.deleteKeys(prefix2);
            }
        }
    }

    private static void waitLive(RedisChangeBus bus) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!bus.isLive() || bus.resets() < 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the change bus did not become live within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    private static String render(String where, int changes, long[] delays, long[] calls, int rounds,
                                 List<List<Double>> rates, double[] cpu) {
        Arrays.sort(delays);
        Arrays.sort(calls);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Redis change bus on %s: %d changes on node A, timed at node B's bus; "
                + "write cost in %d rounds of %d writes per configuration, rotating order%n%n", where, changes, rounds,
                SLICE));
        out.append("| measure | p50 | p99 | max |\n| --- | --- | --- | --- |\n");
        out.append(String.format(Locale.ROOT, "| A's change reaches B's bus (from the start of A's call) | %s | %s | %s |%n",
                micros(delays[changes / 2]), micros(delays[(int) (changes * 0.99)]), micros(delays[changes - 1])));
        out.append(String.format(Locale.ROOT, "| A's call (`setAttribute`, one round trip) | %s | %s | %s |%n%n",
                micros(calls[changes / 2]), micros(calls[(int) (changes * 0.99)]), micros(calls[changes - 1])));
        double off = median(rates.get(0));
        out.append("| writes (`setAttribute`) | bus off | bus on, no other node | bus on, 2 other nodes in this JVM |\n"
                + "| --- | --- | --- | --- |\n");
        out.append(String.format(Locale.ROOT, "| writes/s, median of %d slices (ratio to off) | %,.0f | %,.0f (%.2f) | "
                + "%,.0f (%.2f) |%n", rounds, off, median(rates.get(1)), median(rates.get(1)) / off,
                median(rates.get(2)), median(rates.get(2)) / off));
        if (cpu[0] >= 0) {
            out.append(String.format(Locale.ROOT, "| Redis CPU per write (ratio to off) | %.1f µs | %.1f µs (%.2f) | "
                    + "%.1f µs (%.2f) |%n", cpu[0], cpu[1], cpu[1] / cpu[0], cpu[2], cpu[2] / cpu[0]));
        }
        return out.toString();
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
