package io.platformsessions.servlet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A set of simple path patterns: an exact path such as {@code /compose}, or a prefix ending in
 * {@code /*} such as {@code /api/posts/*} (which matches {@code /api/posts} and everything below
 * it; {@code /*} matches every path). Paths are relative to the web application's context path.
 * A guard set ({@link #guard}) also matches an exact pattern with one trailing slash
 * ({@code /compose/}), because many frameworks serve both the same: a guard must fail closed. An
 * exemption set ({@link #of}) matches exact patterns exactly: an exemption must stay narrow.
 * Immutable and thread-safe.
 */
final class PathPatterns {
    private static final PathPatterns NONE = new PathPatterns(List.of(), List.of(), false);
    private final List<String> exact;
    /** Each exact pattern + "/" (guards only; else empty). */
    private final List<String> exactSlash;
    private final List<String> prefixes;
    /** Each prefix + "/", precomputed for the hot path. */
    private final List<String> prefixesSlash;
    private final boolean matchAll;

    private PathPatterns(List<String> exact, List<String> prefixes, boolean trailingSlash) {
        this.exact = exact;
        this.exactSlash = trailingSlash ? exact.stream().map(e -> e + "/").toList() : List.of();
        this.prefixes = prefixes;
        this.prefixesSlash = prefixes.stream().map(p -> p + "/").toList();
        this.matchAll = prefixes.contains("");
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
        return compile(patterns, false);
    }

    /**
     * Like {@link #of} but exact patterns also match with one trailing slash (for guards).
     *
     * @throws IllegalArgumentException as {@link #of}
     */
    static PathPatterns guard(Collection<String> patterns) {
        return compile(patterns, true);
    }

    private static PathPatterns compile(Collection<String> patterns, boolean trailingSlash) {
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
        return new PathPatterns(List.copyOf(exact), List.copyOf(prefixes), trailingSlash);
    }

    boolean matches(String path) {
        if (path == null) {
            return false;
        }
        if (matchAll) {
            return true;
        }
        for (int i = 0; i < exact.size(); i++) {
            if (exact.get(i).equals(path) || (!exactSlash.isEmpty() && exactSlash.get(i).equals(path))) {
                return true;
            }
        }
        for (int i = 0; i < prefixes.size(); i++) {
            if (path.equals(prefixes.get(i)) || path.startsWith(prefixesSlash.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether this set matches every path (a "/*" pattern). */
    boolean matchesEverything() {
        return matchAll;
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
