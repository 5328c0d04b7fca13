package io.platformsessions.redis;

import io.platformsessions.AccessLevel;
import io.platformsessions.ActivePlatform;
import io.platformsessions.Elevation;
import io.platformsessions.SessionKey;
import io.platformsessions.spi.ClientBinding;
import io.platformsessions.spi.SessionAttributes;
import io.platformsessions.spi.SessionOwner;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionTimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link SessionRecord} as the fields of one Redis hash, and back: the only class that knows the record's
 * shape. Field names are one or two letters (they are stored once per session); optional parts are left out
 * when absent. Times are epoch milliseconds. The Lua scripts get the names they use from {@link #luaHeader()}.
 * Stateless and thread-safe.
 */
final class RecordCodec {
    static final String VERSION = "v";
    static final String SESSION_ID = "i";
    static final String USER_ID = "u";
    static final String USERNAME = "n";
    static final String PLATFORM_ID = "pi";
    static final String PLATFORM_NAME = "pn";
    static final String PLATFORM_TYPE = "pt";
    static final String PLATFORM_URL = "pu";
    static final String CREATED = "c";
    static final String LAST_ACTIVITY = "l";
    static final String EXPIRES = "e";
    static final String ABSOLUTE_EXPIRES = "a";
    static final String CSRF_SECRET = "x";
    static final String CLIENT_IP = "ci";
    static final String CLIENT_UA = "cu";
    static final String CLIENT_LANGUAGE = "cl";
    static final String CLIENT_DEVICE = "cd";
    static final String ELEVATION_LEVEL = "el";
    static final String ELEVATED_UNTIL = "eu";
    /** Attributes JSON, in chunks {@code at0}, {@code at1}, ... of at most {@link #CHUNK_BYTES} UTF-8 bytes each. */
    static final String ATTRIBUTES = "at";
    /**
     * Redis keeps a hash in its compact listpack encoding only while every value is at most
     * {@code hash-max-listpack-value} (64 bytes by default) and it has at most 128 fields; one longer value turns
     * the whole hash into a hash table, almost three times larger (measured for a typical session with two small
     * attributes: 1,512 bytes against 568 chunked; {@code MemoryUsageTest}). Chunking the attributes keeps
     * sessions compact up to about 6 KB of attributes.
     */
    static final int CHUNK_BYTES = 64;
    /**
     * Most chunks: with the other fields a hash stays within Redis's default 128 listpack fields. Larger attribute
     * sets could not stay compact anyway and are stored whole in {@code at0} (which also keeps a script's argument
     * count small).
     */
    static final int MAX_CHUNKS = 100;

    /** What the archive keeps: who, when, where, which platform; never the CSRF secret, elevation or attributes. */
    static final List<String> ARCHIVED = List.of(SESSION_ID, USER_ID, USERNAME, PLATFORM_ID, PLATFORM_NAME,
            PLATFORM_TYPE, PLATFORM_URL, CREATED, LAST_ACTIVITY, EXPIRES, ABSOLUTE_EXPIRES, CLIENT_IP, CLIENT_UA,
            CLIENT_LANGUAGE, CLIENT_DEVICE);

    private static final AccessLevel[] LEVELS = AccessLevel.values();

    private RecordCodec() {
    }

    /** Lua definitions of the field names the scripts read, and of the archived fields. */
    static String luaHeader() {
        StringBuilder archived = new StringBuilder();
        for (String f : ARCHIVED) {
            archived.append(archived.length() == 0 ? "" : ", ").append(f).append(" = true");
        }
        return "local F_VERSION, F_USER, F_TYPE, F_LAST, F_EXPIRES, F_ABSOLUTE = '" + VERSION + "', '" + USER_ID
                + "', '" + PLATFORM_TYPE + "', '" + LAST_ACTIVITY + "', '" + EXPIRES + "', '" + ABSOLUTE_EXPIRES + "'\n"
                + "local ARCHIVED = {" + archived + "}\n";
    }

    /** The platform type the expiry index files the session under: its platform's type, or empty for none. */
    static String platformType(SessionRecord r) {
        return r.platform() == null ? "" : r.platform().type();
    }

    /**
     * The hash's fields as a flat field/value list.
     *
     * @param attributes {@code r.attributes().encode()}, computed once by the caller
     */
    static List<String> encode(SessionRecord r, String attributes) {
        List<String> f = new ArrayList<>(40);
        put(f, VERSION, Long.toString(r.version()));
        put(f, SESSION_ID, r.sessionId());
        put(f, USER_ID, r.userId());
        put(f, USERNAME, r.username());
        ActivePlatform p = r.platform();
        if (p != null) {
            put(f, PLATFORM_ID, Long.toString(p.id()));
            put(f, PLATFORM_NAME, p.name());
            put(f, PLATFORM_TYPE, p.type());
            put(f, PLATFORM_URL, p.instanceUrl());
        }
        put(f, CREATED, millis(r.createdAt()));
        put(f, LAST_ACTIVITY, millis(r.lastActivityAt()));
        put(f, EXPIRES, millis(r.expiresAt()));
        put(f, ABSOLUTE_EXPIRES, millis(r.absoluteExpiresAt()));
        put(f, CSRF_SECRET, r.csrfSecret());
        ClientBinding c = r.client();
        put(f, CLIENT_IP, c.ipNetwork());
        put(f, CLIENT_UA, c.userAgentFamily());
        put(f, CLIENT_LANGUAGE, c.language());
        put(f, CLIENT_DEVICE, c.deviceLabel());
        Elevation e = r.elevation();
        if (e != null) {
            put(f, ELEVATION_LEVEL, e.level().name());
            put(f, ELEVATED_UNTIL, millis(e.until()));
        }
        if (!r.attributes().isEmpty()) {
            putAttributes(f, attributes);
        }
        return f;
    }

    /**
     * Reads a session back from its hash.
     *
     * @throws MalformedEntryException if a required field is missing or a value does not parse
     */
    static SessionRecord decode(SessionKey key, Map<String, String> h) {
        try {
            String platformId = h.get(PLATFORM_ID);
            ActivePlatform platform = platformId == null ? null : new ActivePlatform(Long.parseLong(platformId),
                    required(h, PLATFORM_NAME), required(h, PLATFORM_TYPE), required(h, PLATFORM_URL));
            String ip = h.get(CLIENT_IP);
            String ua = h.get(CLIENT_UA);
            String language = h.get(CLIENT_LANGUAGE);
            String device = h.get(CLIENT_DEVICE);
            ClientBinding client = ip == null && ua == null && language == null && device == null
                    ? ClientBinding.unknown() : new ClientBinding(ip, ua, language, device);
            String level = h.get(ELEVATION_LEVEL);
            Elevation elevation = level == null ? null
                    : new Elevation(accessLevel(level), instant(h, ELEVATED_UNTIL));
            return SessionRecord.builder()
                    .key(key)
                    .sessionId(required(h, SESSION_ID))
                    .owner(new SessionOwner(required(h, USER_ID), required(h, USERNAME)))
                    .platform(platform)
                    .times(new SessionTimes(instant(h, CREATED), instant(h, LAST_ACTIVITY), instant(h, EXPIRES),
                            instant(h, ABSOLUTE_EXPIRES)))
                    .version(Long.parseLong(required(h, VERSION)))
                    .csrfSecret(required(h, CSRF_SECRET))
                    .client(client)
                    .elevation(elevation)
                    .attributes(SessionAttributes.decode(attributes(h)))
                    .build();
        } catch (MalformedEntryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedEntryException(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Adds the attributes JSON in chunks of at most {@link #CHUNK_BYTES} UTF-8 bytes, or whole when too long. */
    private static void putAttributes(List<String> f, String json) {
        int mark = f.size();
        int chunk = 0;
        int start = 0;
        int bytes = 0;
        for (int i = 0; i < json.length(); i++) {
            char ch = json.charAt(i);
            boolean pair = Character.isHighSurrogate(ch) && i + 1 < json.length();
            int size = ch < 0x80 ? 1 : ch < 0x800 ? 2 : pair ? 4 : 3;
            if (bytes + size > CHUNK_BYTES) {
                if (chunk + 1 == MAX_CHUNKS) {
                    f.subList(mark, f.size()).clear();
                    put(f, ATTRIBUTES + 0, json);
                    return;
                }
                put(f, ATTRIBUTES + chunk++, json.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += size;
            if (pair) {
                i++;
            }
        }
        put(f, ATTRIBUTES + chunk, json.substring(start));
    }

    /** The attributes JSON joined from its chunks, or {@code null} when there are none. */
    private static String attributes(Map<String, String> h) {
        String first = h.get(ATTRIBUTES + 0);
        if (first == null) {
            return null;
        }
        StringBuilder json = new StringBuilder(first);
        for (int i = 1; ; i++) {
            String next = h.get(ATTRIBUTES + i);
            if (next == null) {
                return json.toString();
            }
            json.append(next);
        }
    }

    private static void put(List<String> f, String field, String value) {
        if (value != null) {
            f.add(field);
            f.add(value);
        }
    }

    private static String millis(Instant t) {
        return Long.toString(t.toEpochMilli());
    }

    private static String required(Map<String, String> h, String field) {
        String v = h.get(field);
        if (v == null) {
            throw new MalformedEntryException("field '" + field + "' is missing");
        }
        return v;
    }

    private static Instant instant(Map<String, String> h, String field) {
        return Instant.ofEpochMilli(Long.parseLong(required(h, field)));
    }

    private static AccessLevel accessLevel(String name) {
        for (AccessLevel l : LEVELS) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new MalformedEntryException("unknown elevation level '" + name + "'");
    }

    /** A hash under our prefix that is not a session this version can read (hand-edited, foreign, truncated). */
    static final class MalformedEntryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedEntryException(String message) {
            super(message, null, false, false);
        }
    }
}
