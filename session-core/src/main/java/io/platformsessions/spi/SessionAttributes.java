package io.platformsessions.spi;

import com.fasterxml.jackson.jr.ob.JSON;
import io.platformsessions.SessionStoreException;
import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A session's attributes: an immutable map from name to {@link StoredAttribute}, with the compact
 * JSON encoding stores keep in a single column ({@link #encode()} / {@link #decode(String)}), so a
 * whole session is one row and one read. Immutable and thread-safe; "modifying" methods return a
 * new instance.
 */
public final class SessionAttributes {
    private static final SessionAttributes EMPTY = new SessionAttributes(Map.of());
    private static final JSON JSON_CODEC = JSON.std;

    private final Map<String, StoredAttribute> values;
    // encode() is called on every write of the session; the result never changes, so keep it
    // (a benign race: at worst two threads compute the same string)
    private String encoded;

    private SessionAttributes(Map<String, StoredAttribute> values) {
        this.values = values;
    }

    private SessionAttributes(Map<String, StoredAttribute> values, String encoded) {
        this.values = values;
        this.encoded = encoded;
    }

    /**
     * No attributes.
     *
     * @return the shared empty instance
     */
    public static SessionAttributes empty() {
        return EMPTY;
    }

    /**
     * Attributes from a map.
     *
     * @param values name to attribute; copied
     * @return the attributes
     */
    public static SessionAttributes of(Map<String, StoredAttribute> values) {
        return values.isEmpty() ? EMPTY : new SessionAttributes(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }

    /**
     * The attributes as an unmodifiable map.
     *
     * @return name to attribute
     */
    public Map<String, StoredAttribute> asMap() {
        return values;
    }

    /**
     * One attribute, expired or not.
     *
     * @param name the attribute name
     * @return the attribute or {@code null}
     */
    public StoredAttribute get(String name) {
        return values.get(name);
    }

    /**
     * Whether there are no attributes.
     *
     * @return {@code true} if empty
     */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * A copy with one attribute set.
     *
     * @param name the name
     * @param attribute the value
     * @return new attributes
     */
    public SessionAttributes with(String name, StoredAttribute attribute) {
        Map<String, StoredAttribute> copy = new LinkedHashMap<>(values);
        copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(attribute, "attribute"));
        return new SessionAttributes(Collections.unmodifiableMap(copy));
    }

    /**
     * A copy without one attribute.
     *
     * @param name the name
     * @return new attributes, or this if the name was absent
     */
    public SessionAttributes without(String name) {
        if (!values.containsKey(name)) {
            return this;
        }
        Map<String, StoredAttribute> copy = new LinkedHashMap<>(values);
        copy.remove(name);
        return of(copy);
    }

    /**
     * A copy without attributes that expired at {@code now}.
     *
     * @param now the current time
     * @return new attributes, or this if none expired
     */
    public SessionAttributes withoutExpired(Instant now) {
        boolean any = false;
        for (StoredAttribute a : values.values()) {
            if (a.expiredAt(now)) {
                any = true;
                break;
            }
        }
        if (!any) {
            return this;
        }
        Map<String, StoredAttribute> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!v.expiredAt(now)) {
                copy.put(k, v);
            }
        });
        return of(copy);
    }

    /**
     * Encodes as compact JSON: {@code {"name":{"v":"<json>","e":<epoch ms>,"k":"<key id>"}}}
     * ({@code e} and {@code k} only when set). The empty set encodes as {@code {}}.
     *
     * @return the JSON text
     */
    public String encode() {
        if (values.isEmpty()) {
            return "{}";
        }
        String known = encoded;
        if (known != null) {
            return known;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((name, a) -> {
            Map<String, Object> entry = new LinkedHashMap<>(4);
            entry.put("v", a.value());
            if (a.expiresAt() != null) {
                entry.put("e", a.expiresAt().toEpochMilli());
            }
            if (a.keyId() != null) {
                entry.put("k", a.keyId());
            }
            out.put(name, entry);
        });
        try {
            String json = JSON_CODEC.asString(out);
            encoded = json;
            return json;
        } catch (IOException e) {
            throw new IllegalStateException("attribute encoding failed", e);
        }
    }

    /**
     * Decodes what {@link #encode()} produced; {@code null} or blank decodes as empty.
     *
     * @param json the stored text
     * @return the attributes
     * @throws SessionStoreException (not transient) if the stored text is corrupt
     */
    public static SessionAttributes decode(String json) {
        if (json == null || json.isBlank() || "{}".equals(json)) {
            return EMPTY;
        }
        try {
            Map<String, Object> in = JSON_CODEC.mapFrom(json);
            Map<String, StoredAttribute> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : in.entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> entry) || !(entry.get("v") instanceof String value)) {
                    throw new IOException("attribute '" + e.getKey() + "' has no value");
                }
                Object expiry = entry.get("e");
                Instant expiresAt = expiry instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : null;
                Object keyId = entry.get("k");
                out.put(e.getKey(), new StoredAttribute(value, expiresAt, keyId instanceof String s ? s : null));
            }
            return out.isEmpty() ? EMPTY : new SessionAttributes(Collections.unmodifiableMap(out), json);
        } catch (IOException | RuntimeException e) {
            throw SessionStoreException.permanentFailure("stored session attributes are not valid JSON", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionAttributes that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Lists attribute names only: values may be secret. */
    @Override
    public String toString() {
        return "SessionAttributes" + values.keySet();
    }
}
