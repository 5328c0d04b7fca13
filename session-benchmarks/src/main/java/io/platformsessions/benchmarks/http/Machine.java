package io.platformsessions.benchmarks.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the report says about the machine: CPU model, cores, memory, load average, and the whole
 * machine's busy CPU time from {@code /proc/stat} (to show how much of the 2 cores other processes
 * took during a slice). Linux only; elsewhere the values read as unknown. Stateless, thread-safe.
 */
final class Machine {
    private Machine() {
    }

    /**
     * One line describing the machine.
     * @return e.g. {@code 2 cores (Intel Xeon ...), 23 GB RAM, Linux 6.18}
     */
    static String describe() {
        String model = "unknown CPU";
        String mem = "? GB";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    mem = Math.round(kb / 1024.0 / 1024.0) + " GB";
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // leave unknown
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + model + "), " + mem + " RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    /**
     * The 1-minute load average.
     * @return the load, or NaN if unknown
     */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * Busy CPU time of the whole machine so far (all cores, user + nice + system + irq + softirq +
     * steal), in nanoseconds.
     * @return the busy time, or -1 if unknown
     */
    static long busyNanos() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                ticks += Long.parseLong(f[i]);
            }
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
