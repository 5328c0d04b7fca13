package io.platformsessions.benchmarks.http;

import jakarta.servlet.Filter;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * One context of the benchmark server: the trivial servlet, behind {@code filter} (or nothing),
 * loaded with requests that present {@code cookies} in rotation. Immutable (the filter and counter
 * are thread-safe).
 *
 * @param name context path without the slash, e.g. {@code bare}
 * @param label human name for the report
 * @param filter the filter in front of the servlet, or {@code null} for the bare servlet
 * @param cookies {@code Cookie} header values sent in rotation, one per request
 * @param requiresSession whether the servlet answers 403 unless the request has the prepared session
 * @param served counts requests served, or {@code null} (timed routes count nothing extra)
 */
record Route(String name, String label, Filter filter, List<String> cookies, boolean requiresSession, LongAdder served) {
}
