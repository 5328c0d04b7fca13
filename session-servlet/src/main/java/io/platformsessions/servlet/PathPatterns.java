package io.platformsessions.servlet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A set of simple path patterns: an exact path such as {@code /compose}, or a prefix ending in
 * {@code /*} such as {@code /api/posts/*} (which matches {@code /api/posts} and everything below
 * it; {@code /*} matches every path). Paths are relative to the web application's context path.
 * Immutable and thread-safe.
 */
final class PathPatterns {
    private static final PathPatterns NONE = new PathPatterns(List.of(), List.of());
    private final List<String> exact;
    private final List<String> prefixes;

    private PathPatterns(List<String> exact, List<String> prefixes) {
        this.exact = exact;
        this.prefixes = prefixes;
    }

    static PathPatterns none() {
        return NONE;
    }

    /**
     * Validates and compiles patterns.
     *
     * @throws IllegalArgumentException for a pattern that is blank, does not start with '/', or has
     *     a '*' anywhere but a trailing "/*"
     */
    static PathPatterns of(Collection<String> patterns) {
        List<String> exact = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (String raw : patterns) {
            String p = raw == null ? "" : raw.trim();
            if (p.isEmpty() || !p.startsWith("/")) {
                throw new IllegalArgumentException("path pattern must start with '/': '" + raw + "'");
            }
            if (p.endsWith("/*")) {
                String prefix = p.substring(0, p.length() - 2);
                if (prefix.contains("*")) {
                    throw new IllegalArgumentException("'*' is only allowed as a trailing \"/*\": '" + raw + "'");
                }
                prefixes.add(prefix);
            } else {
                if (p.contains("*")) {
                    throw new IllegalArgumentException("'*' is only allowed as a trailing \"/*\": '" + raw + "'");
                }
                exact.add(p);
            }
        }
        return new PathPatterns(List.copyOf(exact), List.copyOf(prefixes));
    }

    boolean matches(String path) {
        if (path == null) {
            return false;
        }
        for (String e : exact) {
            if (e.equals(path)) {
                return true;
            }
        }
        for (String prefix : prefixes) {
            if (prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return exact.isEmpty() && prefixes.isEmpty();
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>(exact);
        prefixes.forEach(p -> all.add(p + "/*"));
        return all.toString();
    }
}
