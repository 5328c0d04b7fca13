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
 * the calling (harness) thread is left out. Also counts the tasks the common pool ran, and reads
 * the CPU of the JIT compiler and GC threads from {@code /proc} (Linux). Thread-safe (stateless).
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
     * @param jitCpu CPU ns of the JIT compiler threads (from {@code /proc}, 10 ms resolution; -1 if unknown)
     * @param gcCpu CPU ns of the garbage collector's threads (likewise)
     */
    record Snapshot(long processCpu, Map<Long, ThreadSample> threads, long poolTasks, long jitCpu, long gcCpu) {
    }

    /**
     * What happened between two snapshots. Per group: CPU ns, user-mode CPU ns, allocated bytes.
     * @param processCpu process CPU ns (all threads, GC and JIT included)
     * @param cpu CPU ns per group
     * @param user user-mode CPU ns per group
     * @param allocated allocated bytes per group
     * @param poolTasks tasks run on {@code ForkJoinPool.commonPool}
     * @param jitCpu CPU ns of the JIT compiler threads
     * @param gcCpu CPU ns of the garbage collector's threads
     */
    record Delta(long processCpu, Map<Group, Long> cpu, Map<Group, Long> user, Map<Group, Long> allocated,
                 long poolTasks, long jitCpu, long gcCpu) {
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
        long[] vm = vmThreadsCpu();
        return new Snapshot(OS.getProcessCpuTime(), threads, ForkJoinPool.commonPool().getStealCount(), vm[0], vm[1]);
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
                after.poolTasks() - before.poolTasks(), after.jitCpu() - before.jitCpu(), after.gcCpu() - before.gcCpu());
    }

    /**
     * CPU of the JVM's own native threads, which {@code ThreadMXBean} does not list: JIT compiler
     * threads and garbage collector threads, from {@code /proc/self/task/<tid>/stat} (utime + stime
     * in 10 ms ticks). Threads that ended in between are lost.
     */
    private static long[] vmThreadsCpu() {
        long jit = 0;
        long gc = 0;
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return new long[] {-1, -1};
        }
        for (java.io.File t : tasks) {
            try {
                String stat = java.nio.file.Files.readString(t.toPath().resolve("stat"));
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                boolean isJit = name.contains("CompilerThre");
                boolean isGc = name.startsWith("GC Thread") || name.startsWith("G1 ");
                if (!isJit && !isGc) {
                    continue;
                }
                String[] f = stat.substring(close + 2).split(" ");
                // fields after the name start at 3 (state); utime is field 14, stime 15
                long ns = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
                if (isJit) {
                    jit += ns;
                } else {
                    gc += ns;
                }
            } catch (java.io.IOException | RuntimeException e) {
                // the thread ended while we looked
            }
        }
        return new long[] {jit, gc};
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
