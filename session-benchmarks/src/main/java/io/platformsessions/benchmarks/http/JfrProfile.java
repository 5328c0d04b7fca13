package io.platformsessions.benchmarks.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Profiles one route under wrk load with JFR inside the server JVM (execution samples every 1 ms,
 * allocation samples throttled at 20,000/s) and says where the library's per-request CPU and
 * allocations go.
 *
 * <p>A sample belongs to the library ("ours") when the frame nearest its leaf that is either
 * Platform Sessions code, Caffeine, or the benchmark servlet is Platform Sessions or Caffeine code:
 * so JDK and Jetty work called by the filter (SHA-256, header reads, JSON) is ours, the servlet's
 * response writing is not. CPU figures are estimates: samples x (user-mode CPU of the request and
 * common-pool threads / their samples) / requests; kernel time (sockets, futex wake-ups) is never
 * in a Java sample and shows only in the measured totals. Allocation figures are the JFR sample
 * weights / requests. Stateless, thread-safe.
 */
final class JfrProfile {
    /** Named groups checked against the library part of every sample: label, then frame substrings. */
    private static final Map<String, List<String>> CLAIMS = new LinkedHashMap<>();

    static {
        CLAIMS.put("SessionManager.lookup, all of it", List.of("DefaultSessionManager.lookup"));
        CLAIMS.put("Caffeine getIfPresent (incl. read buffer offer)", List.of("BoundedLocalCache.getIfPresent",
                "LocalManualCache.getIfPresent"));
        CLAIMS.put("Caffeine scheduling maintenance (request thread)", List.of("BoundedLocalCache.scheduleDrainBuffers",
                "BoundedLocalCache.scheduleAfterWrite"));
        CLAIMS.put("Caffeine maintenance (any thread)", List.of("BoundedLocalCache.maintenance",
                "BoundedLocalCache.performCleanUp", "BoundedLocalCache.drainReadBuffer"));
        CLAIMS.put("ForkJoinPool (submit/run on the common pool)", List.of("java.util.concurrent.ForkJoinPool"));
        CLAIMS.put("SHA-256 of the token", List.of("SessionToken.sha256", "MessageDigest", "sun.security.provider"));
        CLAIMS.put("token shape check (isWellFormed)", List.of("SessionToken.isWellFormed"));
        CLAIMS.put("client binding check", List.of("ClientFingerprints"));
        CLAIMS.put("PlatformHttpSession.getAttribute (JSON)", List.of("PlatformHttpSession.getAttribute"));
        CLAIMS.put("jackson-jr (any)", List.of("com.fasterxml.jackson"));
        CLAIMS.put("ThreadLocal.remove", List.of("ThreadLocal.remove"));
        CLAIMS.put("ThreadLocal get/set", List.of("ThreadLocal.get", "ThreadLocal.set"));
        CLAIMS.put("LongAdder", List.of("LongAdder.", "Striped64"));
        CLAIMS.put("header and cookie reads", List.of("getHeader", "getRemoteAddr", "SessionCookies.read"));
        CLAIMS.put("request attributes (set/get)", List.of("ServletApiRequest.setAttribute",
                "ServletApiRequest.getAttribute", "ServletApiRequest.removeAttribute", "RequestState.of"));
        CLAIMS.put("response headers (Vary)", List.of("addHeader", "setHeader"));
        CLAIMS.put("path and endpoint matching", List.of("pathWithinApplication", "SessionEndpoints.match",
                "PathPatterns", "getServletPath", "getPathInfo"));
        CLAIMS.put("getSession() through the wrapper", List.of("PlatformSessionRequest.getSession"));
    }

    private JfrProfile() {
    }

    private enum Owner { OURS, APP, CONTAINER }

    /**
     * Records a JFR profile of one route under load and renders the findings as Markdown.
     * @param url the route's URL
     * @param script its wrk script
     * @param dir where to keep the recording
     * @param o run settings (wrk threads and connections, profile seconds)
     * @param label the route's name in the report
     * @return the Markdown section
     * @throws IOException if the recording cannot be written or read
     */
    static String profile(String url, Path script, Path dir, HttpBenchmark.Options o, String label) throws IOException {
        Path file = Path.of(System.getProperty("ps.bench.jfrDir", dir.toString()))
                .resolve("http-profile-" + System.currentTimeMillis() + ".jfr");
        Files.createDirectories(file.getParent());
        Wrk.Result w;
        JvmCounters.Delta delta;
        try (Recording rec = new Recording()) {
            rec.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            rec.enable("jdk.ObjectAllocationSample").with("throttle", "20000/s").withStackTrace();
            rec.start();
            JvmCounters.Snapshot before = JvmCounters.take();
            w = Wrk.run(url, script, o.threads(), o.connections(), o.profileSeconds());
            HttpBenchmark.pause(100);
            delta = JvmCounters.between(before, JvmCounters.take());
            rec.stop();
            rec.dump(file);
        }
        return analyse(file, w, delta, label);
    }

    static String analyse(Path file, Wrk.Result w, JvmCounters.Delta delta, String label) throws IOException {
        long requests = w.requests();
        Map<Owner, Long> cpuSamples = new HashMap<>();
        long calibrationSamples = 0;
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> claimSamples = new HashMap<>();
        Map<Owner, Double> allocBytes = new HashMap<>();
        Map<String, Double> allocSites = new HashMap<>();
        Map<String, Double> claimBytes = new HashMap<>();
        Map<String, Long> poolSamples = new HashMap<>();
        double allocTotal = 0;
        long samples = 0;
        long allocSamples = 0;
        Set<Long> firstAllocation = new HashSet<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.ExecutionSample")) {
                RecordedThread t = e.getThread("sampledThread");
                JvmCounters.Group g = JvmCounters.group(t == null || t.getJavaName() == null ? "" : t.getJavaName());
                List<String> frames = frames(e.getStackTrace());
                samples++;
                if (g != JvmCounters.Group.OTHER) {
                    calibrationSamples++;
                }
                int outer = outermostOurs(frames);
                Owner owner = owner(frames);
                cpuSamples.merge(owner, 1L, Long::sum);
                if (owner == Owner.OURS) {
                    List<String> part = frames.subList(0, outer + 1);
                    for (String m : new HashSet<>(part)) {
                        inclusive.merge(m, 1L, Long::sum);
                    }
                    self.merge(frames.get(0), 1L, Long::sum);
                    for (String claim : claims(part)) {
                        claimSamples.merge(claim, 1L, Long::sum);
                    }
                    if (g == JvmCounters.Group.COMMON_POOL) {
                        poolSamples.merge(frames.get(0), 1L, Long::sum);
                    }
                }
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                RecordedThread t = e.getThread("eventThread");
                // JDK 17 weighs a thread's first sample with everything it allocated since it started
                if (t == null || firstAllocation.add(t.getJavaThreadId())) {
                    continue;
                }
                allocSamples++;
                double weight = e.getLong("weight");
                List<String> frames = frames(e.getStackTrace());
                allocTotal += weight;
                Owner owner = owner(frames);
                allocBytes.merge(owner, weight, Double::sum);
                if (owner == Owner.OURS) {
                    String cls = e.getClass("objectClass") == null ? "?" : e.getClass("objectClass").getName();
                    allocSites.merge(simple(cls) + " @ " + site(frames), weight, Double::sum);
                    for (String claim : claims(frames.subList(0, outermostOurs(frames) + 1))) {
                        claimBytes.merge(claim, weight, Double::sum);
                    }
                }
            }
        }
        long user = delta.user().get(JvmCounters.Group.HTTP) + delta.user().get(JvmCounters.Group.COMMON_POOL);
        double nsPerSample = calibrationSamples == 0 ? 0 : (double) user / calibrationSamples;
        double usPer = nsPerSample / 1e3 / requests; // µs per request for one sample over the recording
        long ours = cpuSamples.getOrDefault(Owner.OURS, 0L);

        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "#### Profile: %s under load (JFR, %s)%n%n", label, file));
        out.append(String.format(Locale.ROOT, "%,d requests in %.1f s (%,.0f req/s with JFR on). Measured per request: "
                        + "process CPU %.1f µs (request threads %.1f µs, of which user mode %.1f µs; commonPool %.2f µs "
                        + "in %.3f tasks; other threads %.2f µs; GC/JIT/VM %.1f µs); allocated %,.0f bytes.%n", requests, w.seconds(),
                w.requestsPerSecond(), delta.processCpu() / 1e3 / requests,
                delta.cpu().get(JvmCounters.Group.HTTP) / 1e3 / requests,
                delta.user().get(JvmCounters.Group.HTTP) / 1e3 / requests,
                delta.cpu().get(JvmCounters.Group.COMMON_POOL) / 1e3 / requests, (double) delta.poolTasks() / requests,
                delta.cpu().get(JvmCounters.Group.OTHER) / 1e3 / requests,
                (delta.processCpu() - delta.threadCpuTotal()) / 1e3 / requests, (double) delta.allocatedTotal() / requests));
        out.append(String.format(Locale.ROOT, "%nJava execution samples: %,d (%.2f µs of user CPU each per request "
                        + "-> 1 sample ~ %.4f µs/request). Owner of the samples: ours (filter, engine, cache, JSON, and "
                        + "the JDK/Jetty code they call) %,d = ~%.2f µs/request; servlet %,d = ~%.2f µs; Jetty/JDK "
                        + "outside both %,d = ~%.2f µs.%n", samples, nsPerSample / 1e3, usPer, ours, ours * usPer,
                cpuSamples.getOrDefault(Owner.APP, 0L), cpuSamples.getOrDefault(Owner.APP, 0L) * usPer,
                cpuSamples.getOrDefault(Owner.CONTAINER, 0L), cpuSamples.getOrDefault(Owner.CONTAINER, 0L) * usPer));
        out.append("\nOur CPU by concern (a sample counts in every group whose frames it contains):\n\n");
        out.append("| concern | samples | % of ours | ~µs/request | bytes/request |\n| --- | ---: | ---: | ---: | ---: |\n");
        for (String claim : CLAIMS.keySet()) {
            long n = claimSamples.getOrDefault(claim, 0L);
            out.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.3f | %,.0f |%n", claim, n,
                    ours == 0 ? 0 : 100.0 * n / ours, n * usPer, claimBytes.getOrDefault(claim, 0.0) / requests));
        }
        out.append("\nTop methods in our samples, inclusive (the filter's part of the stack):\n\n");
        table(out, inclusive, ours, usPer, 30);
        out.append("\nTop leaf frames in our samples (where the CPU is):\n\n");
        table(out, self, ours, usPer, 20);
        if (!poolSamples.isEmpty()) {
            out.append("\nLeaf frames of our samples on ForkJoinPool.commonPool threads:\n\n");
            table(out, poolSamples, ours, usPer, 10);
        }
        out.append(String.format(Locale.ROOT, "%nAllocations (%,d JFR allocation samples; their weights add up to "
                        + "%,.0f bytes/request against %,.0f measured by the thread counters): ours %,.0f bytes/request, "
                        + "servlet %,.0f, Jetty/JDK outside both %,.0f. Top sites of ours (class @ allocating method < "
                        + "nearest library frame):%n%n",
                allocSamples, allocTotal / requests, (double) delta.allocatedTotal() / requests,
                allocBytes.getOrDefault(Owner.OURS, 0.0) / requests, allocBytes.getOrDefault(Owner.APP, 0.0) / requests,
                allocBytes.getOrDefault(Owner.CONTAINER, 0.0) / requests));
        out.append("| site | bytes/request |\n| --- | ---: |\n");
        allocSites.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(25)
                .forEach(en -> out.append(String.format(Locale.ROOT, "| %s | %,.1f |%n", en.getKey(),
                        en.getValue() / requests)));
        return out.toString();
    }

    private static void table(StringBuilder out, Map<String, Long> counts, long total, double usPer, int limit) {
        out.append("| method | % of ours | ~µs/request |\n| --- | ---: | ---: |\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .forEach(en -> out.append(String.format(Locale.ROOT, "| %s | %.1f | %.3f |%n", en.getKey(),
                        total == 0 ? 0 : 100.0 * en.getValue() / total, en.getValue() * usPer)));
    }

    private static List<String> claims(List<String> part) {
        List<String> hit = new ArrayList<>();
        for (Map.Entry<String, List<String>> c : CLAIMS.entrySet()) {
            boolean found = false;
            for (String f : part) {
                for (String s : c.getValue()) {
                    if (f.contains(s)) {
                        found = true;
                        break;
                    }
                }
                if (found) {
                    break;
                }
            }
            if (found) {
                hit.add(c.getKey());
            }
        }
        return hit;
    }

    private static List<String> frames(RecordedStackTrace st) {
        List<String> out = new ArrayList<>();
        if (st == null) {
            return out;
        }
        for (RecordedFrame f : st.getFrames()) {
            out.add(f.getMethod() == null ? "?" : f.getMethod().getType().getName() + "." + f.getMethod().getName());
        }
        return out;
    }

    private static boolean isOurs(String frame) {
        return frame.startsWith("io.platformsessions.") && !frame.startsWith("io.platformsessions.benchmarks.")
                || frame.startsWith("com.github.benmanes.caffeine.");
    }

    private static boolean isApp(String frame) {
        return frame.startsWith(TrivialServlet.class.getName() + ".");
    }

    private static Owner owner(List<String> frames) {
        for (String f : frames) {
            if (isOurs(f)) {
                return Owner.OURS;
            }
            if (isApp(f)) {
                return Owner.APP;
            }
        }
        return Owner.CONTAINER;
    }

    /** Index of the root-most library frame (the filter's entry), or -1. */
    private static int outermostOurs(List<String> frames) {
        int outer = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (isOurs(frames.get(i))) {
                outer = i;
            }
        }
        return outer;
    }

    /** The allocating method and the nearest library frame above it. */
    private static String site(List<String> frames) {
        if (frames.isEmpty()) {
            return "?";
        }
        String leaf = shortName(frames.get(0));
        for (String f : frames) {
            if (isOurs(f)) {
                String s = shortName(f);
                return s.equals(leaf) ? s : leaf + " < " + s;
            }
        }
        return leaf;
    }

    private static String shortName(String frame) {
        int method = frame.lastIndexOf('.');
        int cls = frame.lastIndexOf('.', method - 1);
        return cls < 0 ? frame : frame.substring(cls + 1);
    }

    private static String simple(String cls) {
        return cls.substring(cls.lastIndexOf('.') + 1);
    }
}
