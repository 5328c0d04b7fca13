package io.platformsessions.servlet;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A parsed Set-Cookie header, for assertions. Attribute names are lower-cased; flags map to "". */
record SetCookie(String name, String value, Map<String, String> attributes, String raw) {
    static SetCookie parse(String header) {
        String[] parts = header.split(";");
        String first = parts[0].trim();
        int eq = first.indexOf('=');
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int e = p.indexOf('=');
            if (e < 0) {
                attrs.put(p.toLowerCase(Locale.ROOT), "");
            } else {
                attrs.put(p.substring(0, e).trim().toLowerCase(Locale.ROOT), p.substring(e + 1).trim());
            }
        }
        return new SetCookie(first.substring(0, eq), first.substring(eq + 1), attrs, header);
    }

    boolean has(String attribute) {
        return attributes.containsKey(attribute.toLowerCase(Locale.ROOT));
    }

    String attr(String attribute) {
        return attributes.get(attribute.toLowerCase(Locale.ROOT));
    }

    boolean deletes() {
        return "0".equals(attr("max-age")) || value.isEmpty();
    }
}
