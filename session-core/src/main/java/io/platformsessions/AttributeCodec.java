package io.platformsessions;

import com.fasterxml.jackson.jr.ob.JSON;
import io.platformsessions.spi.SessionAttributes;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.StoredAttribute;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Session attributes as the application sees them: values written as JSON and read back strictly
 * (an object is never read as 0), secret values sealed with the configured key ring, the encoded size
 * checked against {@link SessionConfig#maxAttributesBytes()}, and the names declared secret always
 * sealed and never accepted unsealed. Thread-safe (immutable, the cipher is thread-safe).
 */
final class AttributeCodec {
    private static final JSON JSON_CODEC = JSON.std;

    private final SessionConfig config;
    private final AttributeCipher cipher;

    AttributeCodec(SessionConfig config) {
        this.config = config;
        this.cipher = new AttributeCipher(config.attributeKeys(), config.secureRandom());
    }

    /**
     * Checks an attribute name.
     *
     * @param name the name
     * @throws IllegalArgumentException unless it is 1 to {@link Limits#MAX_ATTRIBUTE_NAME_LENGTH} characters
     */
    static void requireName(String name) {
        if (name == null || name.isEmpty() || name.length() > Limits.MAX_ATTRIBUTE_NAME_LENGTH) {
            throw new IllegalArgumentException("attribute name must be 1 to " + Limits.MAX_ATTRIBUTE_NAME_LENGTH
                    + " characters");
        }
    }

    /**
     * Reads an attribute of a session snapshot.
     *
     * @param <T> the value type
     * @param r the session
     * @param name the attribute
     * @param type what to decode into
     * @param now the engine's time, for the attribute's own expiry
     * @return the value, or empty if absent or expired
     * @throws IllegalArgumentException if the stored value cannot be read as {@code type}
     * @throws SealedAttributeException if a sealed value does not open, or a name declared secret holds a plain value
     */
    <T> Optional<T> read(SessionRecord r, String name, Class<T> type, Instant now) {
        return read(r, r.attributes().get(name), name, type, now);
    }

    /**
     * As {@link #read(SessionRecord, String, Class, Instant)}, reading the clock only when the attribute
     * has a time to live: most have none, and a clock read is a measurable share of a cached request
     * (issue 16).
     *
     * @param <T> the value type
     * @param r the session
     * @param name the attribute
     * @param type what to decode into
     * @param clock the engine's clock
     * @return the value, or empty if absent or expired
     * @throws IllegalArgumentException if the stored value cannot be read as {@code type}
     * @throws SealedAttributeException if a sealed value does not open, or a name declared secret holds a plain value
     */
    <T> Optional<T> read(SessionRecord r, String name, Class<T> type, Clock clock) {
        StoredAttribute a = r.attributes().get(name);
        return read(r, a, name, type, a == null || a.expiresAt() == null ? null : clock.instant());
    }

    /** {@code now} may be null when {@code a} has no expiry. */
    private <T> Optional<T> read(SessionRecord r, StoredAttribute a, String name, Class<T> type, Instant now) {
        if (a == null || a.expiredAt(now)) {
            return Optional.empty();
        }
        if (!a.sealed() && config.isSecretAttribute(name)) {
            throw new SealedAttributeException("attribute '" + name + "' is declared secret but holds an unsealed value");
        }
        String json = a.sealed() ? cipher.open(a.value(), a.keyId(), r.sessionId(), name, a.expiresAt()) : a.value();
        try {
            Object value = decode(json, type);
            if (value == null && !"null".equals(json)) {
                throw new IllegalArgumentException("stored value does not fit the type");
            }
            if (value != null && !type.isInstance(value)) {
                throw new IllegalArgumentException("stored value is a " + value.getClass().getSimpleName());
            }
            return Optional.ofNullable(type.cast(value));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("attribute '" + name + "' cannot be read as " + type.getSimpleName(), e);
        }
    }

    /**
     * Prepares setting an attribute: encodes the value once, then gives a function that applies it
     * to whichever version of the session a compare-and-set attempt starts from.
     *
     * @param name the attribute, already checked
     * @param value the value, not null
     * @param options TTL and secrecy
     * @param now the engine's time
     * @return the session's attributes with the value set and expired attributes dropped
     * @throws IllegalArgumentException if the value cannot be written as JSON; the function throws it
     *     when the attributes would exceed {@link SessionConfig#maxAttributesBytes()}
     * @throws IllegalStateException for a secret value without an encryption key
     */
    Function<SessionRecord, SessionAttributes> setter(String name, Object value, AttributeOptions options, Instant now) {
        String json;
        try {
            json = JSON_CODEC.asString(value);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("attribute '" + name + "' cannot be written as JSON: "
                    + value.getClass().getName(), e);
        }
        boolean secret = options.secret() || config.isSecretAttribute(name);
        if (secret && !cipher.canSeal()) {
            throw new IllegalStateException("attribute '" + name + "' is secret but no encryption key is configured: "
                    + "use SessionConfig.builder().encryptionKey(id, 32 bytes)");
        }
        Instant expiresAt = options.ttl() == null ? null : now.plus(options.ttl());
        return r -> {
            StoredAttribute stored = secret
                    ? new StoredAttribute(cipher.seal(json, r.sessionId(), name, expiresAt), expiresAt,
                            cipher.activeKeyId())
                    : new StoredAttribute(json, expiresAt, null);
            SessionAttributes attributes = r.attributes().withoutExpired(now).with(name, stored);
            int size = attributes.encode().getBytes(StandardCharsets.UTF_8).length;
            if (size > config.maxAttributesBytes()) {
                throw new IllegalArgumentException("session attributes would be " + size + " bytes, over the limit of "
                        + config.maxAttributesBytes() + " (SessionConfig.maxAttributesBytes)");
            }
            return attributes;
        };
    }

    /**
     * A session's attributes without one, and without expired ones.
     *
     * @param r the session
     * @param name the attribute
     * @param now the engine's time
     * @return the attributes
     */
    static SessionAttributes without(SessionRecord r, String name, Instant now) {
        return r.attributes().withoutExpired(now).without(name);
    }

    /** Decodes strictly: jackson-jr alone would read an object as 0 when asked for an Integer. */
    /** What {@link #simpleScalar} answers for text it leaves to the JSON parser. */
    static final Object NOT_SIMPLE = new Object();

    /**
     * Decodes the common scalars without a parser (a jackson-jr parser allocates about 700 bytes and
     * costs most of a cached request's attribute read; issue 16): a string without escapes or control
     * characters, {@code true}, {@code false}, {@code null}, and an integer of at most 9 digits without
     * leading zeros. Each gives exactly what {@code JSON.std.anyFrom} gives for the same text
     * ({@code AttributeCodecTest} compares them); anything else, including every malformed text, is
     * left to the parser.
     *
     * @param json the stored text
     * @return the value ({@code null} for {@code null}), or {@link #NOT_SIMPLE}
     */
    static Object simpleScalar(String json) {
        int n = json.length();
        if (n >= 2 && json.charAt(0) == '"') {
            for (int i = 1; i < n - 1; i++) {
                char c = json.charAt(i);
                if (c < 0x20 || c == '"' || c == '\\') {
                    return NOT_SIMPLE;
                }
            }
            return json.charAt(n - 1) == '"' ? json.substring(1, n - 1) : NOT_SIMPLE;
        }
        switch (json) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "null":
                return null;
            default:
                break;
        }
        int start = n > 0 && json.charAt(0) == '-' ? 1 : 0;
        int digits = n - start;
        if (digits < 1 || digits > 9 || (digits > 1 && json.charAt(start) == '0')) {
            return NOT_SIMPLE;
        }
        int v = 0;
        for (int i = start; i < n; i++) {
            char c = json.charAt(i);
            if (c < '0' || c > '9') {
                return NOT_SIMPLE;
            }
            v = v * 10 + (c - '0');
        }
        return start == 1 ? -v : v;
    }

    static Object decode(String json, Class<?> type) throws IOException {
        if (type == Map.class) {
            return JSON_CODEC.mapFrom(json);
        }
        if (type == List.class) {
            return JSON_CODEC.listFrom(json);
        }
        if (type == String.class || type == Boolean.class || Number.class.isAssignableFrom(type) || type == Object.class) {
            Object any = simpleScalar(json);
            if (any == NOT_SIMPLE) {
                any = JSON_CODEC.anyFrom(json);
            }
            if (any == null || type.isInstance(any)) {
                return any;
            }
            if (any instanceof Number n) {
                if (type == Integer.class && n.longValue() == n.intValue() && !(n instanceof Double)) {
                    return n.intValue();
                }
                if (type == Long.class && !(n instanceof Double)) {
                    return n.longValue();
                }
                if (type == Double.class) {
                    return n.doubleValue();
                }
            }
            throw new IllegalArgumentException("stored value is a " + any.getClass().getSimpleName());
        }
        return JSON_CODEC.beanFrom(type, json);
    }
}
