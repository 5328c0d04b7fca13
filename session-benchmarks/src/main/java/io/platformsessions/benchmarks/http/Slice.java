package io.platformsessions.benchmarks.http;

/**
 * One route's measured slice in one round: wrk's report and this JVM's counters over the slice.
 * Immutable.
 *
 * @param route the route's name
 * @param round the round, from 0
 * @param wrk what wrk reported
 * @param jvm CPU and allocation counters of the server JVM over the slice
 * @param machineBusyNanos busy CPU time of the whole machine over the slice (wrk and other processes included)
 * @param wallNanos wall-clock time of the slice
 */
record Slice(String route, int round, Wrk.Result wrk, JvmCounters.Delta jvm, long machineBusyNanos, long wallNanos) {

    double requestsPerSecond() {
        return wrk.requestsPerSecond();
    }

    /** Server process CPU per request, µs (every thread, GC and JIT included). */
    double cpuMicros() {
        return jvm.processCpu() / 1e3 / wrk.requests();
    }

    /** CPU of {@code ForkJoinPool.commonPool} workers per request, µs. */
    double commonPoolMicros() {
        return jvm.cpu().get(JvmCounters.Group.COMMON_POOL) / 1e3 / wrk.requests();
    }

    /** CPU of Jetty's threads (selector and request threads) per request, µs. */
    double httpMicros() {
        return jvm.cpu().get(JvmCounters.Group.HTTP) / 1e3 / wrk.requests();
    }

    /** CPU of the JIT compiler threads per request, µs. */
    double jitMicros() {
        return jvm.jitCpu() / 1e3 / wrk.requests();
    }

    /** CPU of the garbage collector's threads per request, µs. */
    double gcMicros() {
        return jvm.gcCpu() / 1e3 / wrk.requests();
    }

    /** Tasks run on {@code ForkJoinPool.commonPool} per request. */
    double commonPoolTasks() {
        return (double) jvm.poolTasks() / wrk.requests();
    }

    /** Bytes allocated per request by every Java thread but the harness's. */
    double bytes() {
        return (double) jvm.allocatedTotal() / wrk.requests();
    }

    /** Cores the server JVM kept busy on average. */
    double jvmCores() {
        return (double) jvm.processCpu() / wallNanos;
    }

    /** Cores the whole machine kept busy on average. */
    double machineCores() {
        return machineBusyNanos < 0 ? Double.NaN : (double) machineBusyNanos / wallNanos;
    }
}
