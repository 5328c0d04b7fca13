package io.platformsessions.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/** Loads the shipped schema files and runs them. Stateless and thread-safe. */
final class SchemaScripts {
    /** Allowed table prefixes: lower-case letter first, then letters, digits, underscores; at most 30 in all. */
    static final Pattern PREFIX = Pattern.compile("([a-z][a-z0-9_]{0,29})?");

    private SchemaScripts() {
    }

    static String checkPrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("table prefix must match [a-z][a-z0-9_]{0,29} or be empty, was '"
                    + prefix + "'");
        }
        return prefix;
    }

    /** The script text with {@code ${prefix}} replaced. */
    static String text(String resource, String prefix) {
        try (InputStream in = SchemaScripts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing from the jar: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${prefix}", checkPrefix(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** Splits a script into statements: comment lines dropped, a statement ends with ";" at the end of a line. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                out.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    static void apply(Handle handle, String resource, String prefix) {
        for (String statement : statements(text(resource, prefix))) {
            handle.execute(statement);
        }
    }
}
