package io.platformsessions.benchmarks.http;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * CPU time and allocated bytes of this JVM, read before and after a load slice: process CPU time
 * (every thread, GC and JIT included; 10 ms resolution on Linux) and, per live Java thread, CPU
 * time, user-mode CPU time and allocated bytes ({@code com.sun.management.ThreadMXBean}). Threads
 * are grouped into Jetty's request threads, {@code ForkJoinPool.commonPool} workers, and the rest;
 * the calling (harness) thread is left out. Also counts the tasks the common pool ran. Thread-safe
 * (stateless).
 */
final class JvmCounters {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        THREADS.setThreadCpuTimeEnabled(true);
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    private JvmCounters() {
    }

    /** Which group a thread counts in. */
    enum Group {
        /** Jetty's pool: acceptor, selector and request threads. */
        HTTP,
        /** {@code ForkJoinPool.commonPool} workers (where Caffeine runs its maintenance by default). */
        COMMON_POOL,
        /** Every other Java thread (HikariCP housekeeping, H2, JFR, ...). */
        OTHER
    }

    /** One thread's counters. */
    record ThreadSample(Group group, long cpu, long user, long allocated) {
    }

    /**
     * Counters at one moment.
     * @param processCpu process CPU time, ns
     * @param threads per thread id
     * @param poolTasks tasks the common pool's workers have taken from its queues ({@code getStealCount()})
     */
    record Snapshot(long processCpu, Map<Long, ThreadSample> threads, long poolTasks) {
    }

    /**
     * What happened between two snapshots. Per group: CPU ns, user-mode CPU ns, allocated bytes.
     * @param processCpu process CPU ns (all threads, GC and JIT included)
     * @param cpu CPU ns per group
     * @param user user-mode CPU ns per group
     * @param allocated allocated bytes per group
     * @param poolTasks tasks run on {@code ForkJoinPool.commonPool}
     */
    record Delta(long processCpu, Map<Group, Long> cpu, Map<Group, Long> user, Map<Group, Long> allocated,
                 long poolTasks) {
        long allocatedTotal() {
            return allocated.values().stream().mapToLong(Long::longValue).sum();
        }

        long threadCpuTotal() {
            return cpu.values().stream().mapToLong(Long::longValue).sum();
        }

        long userTotal() {
            return user.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Reads every counter now.
     * @return the snapshot
     */
    static Snapshot take() {
        long self = Thread.currentThread().getId();
        Map<Long, ThreadSample> threads = new HashMap<>();
        for (Thread t : allThreads()) {
            long id = t.getId();
            if (id == self) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(id);
            long user = THREADS.getThreadUserTime(id);
            long alloc = THREADS.getThreadAllocatedBytes(id);
            if (cpu >= 0 && alloc >= 0) {
                threads.put(id, new ThreadSample(group(t.getName()), cpu, Math.max(0, user), alloc));
            }
        }
        return new Snapshot(OS.getProcessCpuTime(), threads, ForkJoinPool.commonPool().getStealCount());
    }

    /**
     * The difference between two snapshots; a thread born in between counts from zero, a thread
     * that died in between is lost (Jetty's threads do not retire during a run).
     * @param before earlier snapshot
     * @param after later snapshot
     * @return the delta
     */
    static Delta between(Snapshot before, Snapshot after) {
        Map<Group, Long> cpu = zero();
        Map<Group, Long> user = zero();
        Map<Group, Long> allocated = zero();
        for (Map.Entry<Long, ThreadSample> e : after.threads().entrySet()) {
            ThreadSample a = e.getValue();
            ThreadSample b = before.threads().get(e.getKey());
            cpu.merge(a.group(), a.cpu() - (b == null ? 0 : b.cpu()), Long::sum);
            user.merge(a.group(), a.user() - (b == null ? 0 : b.user()), Long::sum);
            allocated.merge(a.group(), a.allocated() - (b == null ? 0 : b.allocated()), Long::sum);
        }
        return new Delta(after.processCpu() - before.processCpu(), cpu, user, allocated,
                after.poolTasks() - before.poolTasks());
    }

    private static Map<Group, Long> zero() {
        Map<Group, Long> m = new java.util.EnumMap<>(Group.class);
        for (Group g : Group.values()) {
            m.put(g, 0L);
        }
        return m;
    }

    static Group group(String name) {
        if (name.startsWith(BenchServer.THREAD_PREFIX)) {
            return Group.HTTP;
        }
        if (name.startsWith("ForkJoinPool.commonPool-worker")) {
            return Group.COMMON_POOL;
        }
        return Group.OTHER;
    }

    private static Thread[] allThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() * 2 + 16];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return java.util.Arrays.copyOf(threads, n);
    }
}
