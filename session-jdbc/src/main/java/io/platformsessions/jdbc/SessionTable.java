package io.platformsessions.jdbc;

import io.platformsessions.AccessLevel;
import io.platformsessions.ActivePlatform;
import io.platformsessions.Elevation;
import io.platformsessions.Limits;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.ClientBinding;
import io.platformsessions.spi.SessionAttributes;
import io.platformsessions.spi.SessionOwner;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionTimes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The sessions table, described once: {@link Column} names every column in table order with its SQL type,
 * its length limit and how its value comes from a {@link SessionRecord}. Column lists, placeholders, binding
 * a record, reading one back, the archive's columns and the length checks all derive from it, so adding a
 * column means adding it here and to the schema files. Immutable and thread-safe.
 */
final class SessionTable {
    /** Every column of the sessions table except H2's {@code key_id}, in table (and select-list) order. */
    enum Column {
        SESSION_KEY(Types.BINARY, 0, "session key", true, (r, a) -> r.key().bytes()),
        SESSION_ID(Types.VARCHAR, 64, "session id", true, (r, a) -> r.sessionId()),
        USER_ID(Types.VARCHAR, Limits.MAX_USER_ID_LENGTH, "user id", true, (r, a) -> r.userId()),
        USERNAME(Types.VARCHAR, 255, "username", true, (r, a) -> r.username()),
        PLATFORM_ID(Types.BIGINT, 0, "platform id", true, (r, a) -> platform(r, ActivePlatform::id)),
        PLATFORM_NAME(Types.VARCHAR, 255, "platform name", true, (r, a) -> platform(r, ActivePlatform::name)),
        PLATFORM_TYPE(Types.VARCHAR, 64, "platform type", true, (r, a) -> platform(r, ActivePlatform::type)),
        PLATFORM_URL(Types.VARCHAR, 2048, "platform instance URL", true, (r, a) -> platform(r, ActivePlatform::instanceUrl)),
        CREATED_AT(Types.BIGINT, 0, "creation time", true, (r, a) -> r.createdAt().toEpochMilli()),
        LAST_ACTIVITY_AT(Types.BIGINT, 0, "last activity", true, (r, a) -> r.lastActivityAt().toEpochMilli()),
        EXPIRES_AT(Types.BIGINT, 0, "expiry", true, (r, a) -> r.expiresAt().toEpochMilli()),
        ABSOLUTE_EXPIRES_AT(Types.BIGINT, 0, "absolute expiry", true, (r, a) -> r.absoluteExpiresAt().toEpochMilli()),
        VERSION(Types.BIGINT, 0, "version", true, (r, a) -> r.version()),
        CSRF_SECRET(Types.VARCHAR, 128, "CSRF secret", false, (r, a) -> r.csrfSecret()),
        CLIENT_IP_NETWORK(Types.VARCHAR, 64, "client IP network", true, (r, a) -> r.client().ipNetwork()),
        CLIENT_UA_FAMILY(Types.VARCHAR, 128, "client browser family", true, (r, a) -> r.client().userAgentFamily()),
        CLIENT_LANGUAGE(Types.VARCHAR, 64, "client language", true, (r, a) -> r.client().language()),
        CLIENT_DEVICE_LABEL(Types.VARCHAR, 255, "client device label", true, (r, a) -> r.client().deviceLabel()),
        ELEVATION_LEVEL(Types.VARCHAR, 16, "elevation level", false,
                (r, a) -> r.elevation() == null ? null : r.elevation().level().name()),
        ELEVATED_UNTIL(Types.BIGINT, 0, "elevation end", false,
                (r, a) -> r.elevation() == null ? null : r.elevation().until().toEpochMilli()),
        /** The encoded attributes: limited in UTF-8 bytes ({@link Limits#MAX_ATTRIBUTES_BYTES}), not characters. */
        ATTRIBUTES(Types.LONGVARCHAR, 0, "attributes", false, (r, a) -> a);

        /** The SQL column name. */
        final String sql;
        final int sqlType;
        /** Most characters the column holds; 0 for columns that are not length-limited text. */
        final int maxLength;
        final String label;
        /** Whether the archive table keeps it (no CSRF secret, elevation or attribute values there). */
        final boolean archived;
        private final Value value;

        Column(int sqlType, int maxLength, String label, boolean archived, Value value) {
            this.sql = name().toLowerCase(Locale.ROOT);
            this.sqlType = sqlType;
            this.maxLength = maxLength;
            this.label = label;
            this.archived = archived;
            this.value = value;
        }

        /** This column's 1-based position in {@link SessionTable#allColumns}. */
        int position() {
            return ordinal() + 1;
        }

        void bind(PreparedStatement ps, int index, Object v) throws SQLException {
            if (v == null) {
                ps.setNull(index, sqlType);
            } else if (sqlType == Types.BIGINT) {
                ps.setLong(index, (Long) v);
            } else if (sqlType == Types.BINARY) {
                ps.setBytes(index, (byte[]) v);
            } else {
                ps.setString(index, (String) v);
            }
        }

        Object get(ResultSet rs, int index) throws SQLException {
            if (sqlType == Types.BIGINT) {
                long v = rs.getLong(index);
                return rs.wasNull() ? null : v;
            }
            return sqlType == Types.BINARY ? rs.getBytes(index) : rs.getString(index);
        }

        private static <T> T platform(SessionRecord r, Function<ActivePlatform, T> part) {
            return r.platform() == null ? null : part.apply(r.platform());
        }
    }

    /** A column's value in a record, given the record's encoded attributes. */
    @FunctionalInterface
    private interface Value {
        Object of(SessionRecord record, String attributes);
    }

    private static final Column[] COLUMNS = Column.values();
    /** The columns after {@code session_key}: what an update sets. */
    static final List<Column> DATA = Stream.of(COLUMNS).filter(c -> c != Column.SESSION_KEY).toList();
    /** The columns the archive keeps, in table order. */
    static final List<Column> ARCHIVED = Stream.of(COLUMNS).filter(c -> c.archived).toList();
    private static final VarHandle KEY_ID = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final AccessLevel[] LEVELS = AccessLevel.values();

    final String sessions;
    final String archive;
    /** The change log a polling {@link JdbcChangeBus} reads ({@code <prefix>session_changes}). */
    final String changes;
    /**
     * H2 only: the primary key is {@code key_id}, the first 8 bytes of the session key as a signed big-endian
     * {@code BIGINT}, bound before the key wherever a row is found by key ({@link #bindKey}). H2 keeps rows in
     * a B-tree keyed by a single-column integer primary key (or else by a hidden row id plus a second index for
     * the key) and runs every {@code UPDATE} as remove and re-add in every index: one structure fewer made an
     * H2 update about 25 % cheaper. Two keys sharing their first 8 bytes (2^-64 per pair) collide on the
     * primary key, and the second insert is refused as a duplicate key.
     */
    final boolean keyId;
    /** Every column, {@code session_key} first: the select list {@link #read} expects. */
    final String allColumns;
    /** {@code session_key} (on H2 {@code key_id, session_key}): the columns a row is found by. */
    final String keyColumns;
    /** {@code session_key = ?} (on H2 {@code key_id = ? AND session_key = ?}). */
    final String keyMatch;
    /** {@link #DATA}, comma-separated. */
    final String dataColumns;
    /** {@link #ARCHIVED}, comma-separated. */
    final String archiveColumns;

    SessionTable(String prefix, boolean keyId) {
        this.sessions = prefix + "sessions";
        this.archive = prefix + "sessions_archive";
        this.changes = prefix + "session_changes";
        this.keyId = keyId;
        this.allColumns = names(List.of(COLUMNS));
        this.keyColumns = keyId ? "key_id, session_key" : "session_key";
        this.keyMatch = keyId ? "key_id = ? AND session_key = ?" : "session_key = ?";
        this.dataColumns = names(DATA);
        this.archiveColumns = names(ARCHIVED);
    }

    static String names(List<Column> columns) {
        return columns.stream().map(c -> c.sql).collect(Collectors.joining(", "));
    }

    static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** Parameters {@link #keyMatch} and {@link #keyColumns} take. */
    int keyParameters() {
        return keyId ? 2 : 1;
    }

    /** {@code INSERT INTO <table> (<key>, <data>) VALUES (?, ...)}, bound by {@link #bindKey} then {@link #bindData}. */
    String insertSql() {
        return "INSERT INTO " + sessions + " (" + keyColumns + ", " + dataColumns + ") VALUES ("
                + placeholders(keyParameters() + DATA.size()) + ")";
    }

    /** {@code <data column> = ?, ...} in {@link #DATA} order. */
    String dataAssignments() {
        return DATA.stream().map(c -> c.sql + " = ?").collect(Collectors.joining(", "));
    }

    /** {@code INSERT INTO <archive> (<archived>, ended_at, end_reason)}: the head of every archive insert. */
    String archiveInsertHead() {
        return "INSERT INTO " + archive + " (" + archiveColumns + ", ended_at, end_reason)";
    }

    /**
     * Checks what the schema cannot hold and encodes the attributes.
     *
     * @return the encoded attributes, for {@link #bindData}
     * @throws IllegalArgumentException naming the first value that does not fit
     */
    static String checkAndEncode(SessionRecord r) {
        for (Column c : COLUMNS) {
            if (c.maxLength > 0 && c.value.of(r, null) instanceof String s && s.length() > c.maxLength) {
                throw new IllegalArgumentException(c.label + " is " + s.length() + " characters, longer than the "
                        + c.maxLength + " the session table holds");
            }
        }
        String attributes = r.attributes().encode();
        // UTF-8 needs at most 3 bytes per UTF-16 char: only count exactly when it could matter
        if ((long) attributes.length() * 3 > Limits.MAX_ATTRIBUTES_BYTES) {
            long bytes = utf8Length(attributes);
            if (bytes > Limits.MAX_ATTRIBUTES_BYTES) {
                throw new IllegalArgumentException("session attributes are " + bytes + " bytes encoded, over the "
                        + "limit of " + Limits.MAX_ATTRIBUTES_BYTES + " every store holds (Limits.MAX_ATTRIBUTES_BYTES)");
            }
        }
        return attributes;
    }

    static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                n += 1;
            } else if (ch < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(ch) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The H2 primary key of a session key: its first 8 bytes as a signed big-endian long. */
    static long keyId(byte[] key) {
        return (long) KEY_ID.get(key, 0);
    }

    /** Binds {@link #keyColumns} / {@link #keyMatch} from {@code at}; returns the next index. */
    int bindKey(PreparedStatement ps, int at, byte[] key) throws SQLException {
        int i = at;
        if (keyId) {
            ps.setLong(i++, keyId(key));
        }
        ps.setBytes(i++, key);
        return i;
    }

    /** Binds the {@link #DATA} columns of {@code r} from {@code at}; returns the next index. */
    static int bindData(PreparedStatement ps, int at, SessionRecord r, String attributes) throws SQLException {
        int i = at;
        for (Column c : DATA) {
            c.bind(ps, i++, c.value.of(r, attributes));
        }
        return i;
    }

    /** Reads the {@link #ARCHIVED} columns of a row selected with {@link #archiveColumns}. */
    static Object[] readArchived(ResultSet rs) throws SQLException {
        Object[] values = new Object[ARCHIVED.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = ARCHIVED.get(i).get(rs, i + 1);
        }
        return values;
    }

    /** Binds values from {@link #readArchived} from {@code at}; returns the next index. */
    static int bindArchived(PreparedStatement ps, int at, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ARCHIVED.get(i).bind(ps, at + i, values[i]);
        }
        return at + values.length;
    }

    /** The session key in values from {@link #readArchived}. */
    static byte[] archivedKey(Object[] values) {
        return (byte[]) values[ARCHIVED.indexOf(Column.SESSION_KEY)];
    }

    /** The session times in values from {@link #readArchived}. */
    static SessionTimes archivedTimes(Object[] values) {
        return new SessionTimes(instant(values, Column.CREATED_AT), instant(values, Column.LAST_ACTIVITY_AT),
                instant(values, Column.EXPIRES_AT), instant(values, Column.ABSOLUTE_EXPIRES_AT));
    }

    private static Instant instant(Object[] archived, Column c) {
        return Instant.ofEpochMilli((Long) archived[ARCHIVED.indexOf(c)]);
    }

    /** Reads the current row, selected with {@link #allColumns}. */
    static SessionRecord read(ResultSet rs) throws SQLException {
        Object[] v = new Object[COLUMNS.length];
        for (Column c : COLUMNS) {
            v[c.ordinal()] = c.get(rs, c.position());
        }
        SessionKey key = SessionKey.ofBytes((byte[]) v[Column.SESSION_KEY.ordinal()]);
        Long platformId = (Long) v[Column.PLATFORM_ID.ordinal()];
        ActivePlatform platform = platformId == null ? null : new ActivePlatform(platformId, text(v, Column.PLATFORM_NAME),
                text(v, Column.PLATFORM_TYPE), text(v, Column.PLATFORM_URL));
        String ip = text(v, Column.CLIENT_IP_NETWORK);
        String ua = text(v, Column.CLIENT_UA_FAMILY);
        String language = text(v, Column.CLIENT_LANGUAGE);
        String device = text(v, Column.CLIENT_DEVICE_LABEL);
        ClientBinding client = ip == null && ua == null && language == null && device == null
                ? ClientBinding.unknown() : new ClientBinding(ip, ua, language, device);
        String level = text(v, Column.ELEVATION_LEVEL);
        Long until = (Long) v[Column.ELEVATED_UNTIL.ordinal()];
        Elevation elevation = level == null || until == null ? null
                : new Elevation(accessLevel(level, key), Instant.ofEpochMilli(until));
        return SessionRecord.builder()
                .key(key)
                .sessionId(text(v, Column.SESSION_ID))
                .owner(new SessionOwner(text(v, Column.USER_ID), text(v, Column.USERNAME)))
                .platform(platform)
                .times(new SessionTimes(millis(v, Column.CREATED_AT), millis(v, Column.LAST_ACTIVITY_AT),
                        millis(v, Column.EXPIRES_AT), millis(v, Column.ABSOLUTE_EXPIRES_AT)))
                .version((Long) v[Column.VERSION.ordinal()])
                .csrfSecret(text(v, Column.CSRF_SECRET))
                .client(client)
                .elevation(elevation)
                .attributes(SessionAttributes.decode(text(v, Column.ATTRIBUTES)))
                .build();
    }

    private static String text(Object[] v, Column c) {
        return (String) v[c.ordinal()];
    }

    private static Instant millis(Object[] v, Column c) {
        return Instant.ofEpochMilli((Long) v[c.ordinal()]);
    }

    private static AccessLevel accessLevel(String name, SessionKey key) {
        for (AccessLevel l : LEVELS) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw SessionStoreException.permanentFailure("session " + key.prefix() + "… has an unknown elevation level '"
                + name + "'", null);
    }
}
