package io.platformsessions.benchmarks.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the {@code wrk} load generator (a separate process) against one route and parses its
 * report. Each request presents the next of the route's session cookies (a Lua {@code request}
 * function over pre-formatted requests), so concurrent requests belong to different sessions, as on
 * a server with many users; every route, the bare one included, gets requests of the same shape.
 * Stateless and thread-safe.
 */
final class Wrk {
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m|h)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private Wrk() {
    }

    /**
     * What one {@code wrk} run reported.
     * @param requests completed requests
     * @param seconds duration wrk measured
     * @param p50Micros median latency
     * @param p99Micros 99th percentile latency
     * @param non2xx responses outside 2xx/3xx
     * @param socketErrors connect, read, write errors and timeouts
     * @param output wrk's whole output
     */
    record Result(long requests, double seconds, double p50Micros, double p99Micros, long non2xx, long socketErrors,
                  String output) {
        double requestsPerSecond() {
            return requests / seconds;
        }
    }

    /**
     * Fails unless {@code wrk} is on the PATH.
     * @throws IllegalStateException with the install command if it is missing
     */
    static void requireInstalled() {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("wrk is not installed: apt-get update -qq && apt-get install -y -qq wrk "
                    + "(session-benchmarks/http-bench.sh does this)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Writes the Lua script that sends the route's cookies in rotation with the client's headers.
     * @param route the route
     * @param client the browser headers to send
     * @param dir where to write it
     * @return the script file
     * @throws IOException if it cannot be written
     */
    static Path script(Route route, Client client, Path dir) throws IOException {
        StringBuilder lua = new StringBuilder("local cookies = {\n");
        for (String c : route.cookies()) {
            lua.append("  ").append(quote(c)).append(",\n");
        }
        lua.append("}\n")
                .append("local ua = ").append(quote(client.userAgent())).append('\n')
                .append("local al = ").append(quote(client.acceptLanguage())).append('\n')
                .append("""
                        local reqs = {}
                        local i = 0
                        local counter = 0
                        function setup(thread)
                          thread:set("tid", counter)
                          counter = counter + 1
                        end
                        function init(args)
                          for k, c in ipairs(cookies) do
                            reqs[k] = wrk.format("GET", nil, {["Host"] = wrk.headers["Host"], ["Cookie"] = c,
                              ["User-Agent"] = ua, ["Accept-Language"] = al})
                          end
                          i = ((tid or 0) * 17) % #reqs
                        end
                        function request()
                          i = i % #reqs + 1
                          return reqs[i]
                        end
                        """);
        Path file = dir.resolve(route.name() + ".lua");
        Files.writeString(file, lua, StandardCharsets.UTF_8);
        return file;
    }

    private static String quote(String s) {
        if (s.indexOf('"') >= 0 || s.indexOf('\\') >= 0 || s.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("unexpected character in header value: " + s);
        }
        return '"' + s + '"';
    }

    /**
     * Runs wrk and waits for it.
     * @param url the route's URL
     * @param script the route's Lua script
     * @param threads wrk threads ({@code -t})
     * @param connections open connections ({@code -c})
     * @param seconds duration ({@code -d})
     * @return the parsed report
     * @throws IllegalStateException if wrk fails or its report cannot be parsed
     */
    static Result run(String url, Path script, int threads, int connections, int seconds) {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--latency", "-s", script.toString(), url));
        String out;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("wrk did not finish: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("wrk exited with " + p.exitValue() + ":\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run wrk: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return parse(out);
    }

    static Result parse(String out) {
        Matcher m = REQUESTS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("cannot parse wrk output:\n" + out);
        }
        long requests = Long.parseLong(m.group(1));
        double seconds = micros(Double.parseDouble(m.group(2)), m.group(3)) / 1e6;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        for (String line : out.split("\n")) {
            Matcher pm = PERCENTILE.matcher(line);
            if (pm.matches()) {
                double v = micros(Double.parseDouble(pm.group(2)), pm.group(3));
                if (pm.group(1).equals("50")) {
                    p50 = v;
                } else {
                    p99 = v;
                }
            }
        }
        Matcher n = NON_2XX.matcher(out);
        long non2xx = n.find() ? Long.parseLong(n.group(1)) : 0;
        Matcher s = SOCKET_ERRORS.matcher(out);
        long errors = 0;
        if (s.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(s.group(g));
            }
        }
        return new Result(requests, seconds, p50, p99, non2xx, errors, out);
    }

    private static double micros(double v, String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "us" -> v;
            case "ms" -> v * 1e3;
            case "s" -> v * 1e6;
            case "m" -> v * 60e6;
            case "h" -> v * 3600e6;
            default -> throw new IllegalArgumentException("unit " + unit);
        };
    }
}
