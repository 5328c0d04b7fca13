-- Platform Sessions: session tables for H2 (2.x).
-- ${prefix} stands for the table name prefix (JdbcSessionStore.Builder#tablePrefix, default "ps_"); Flyway and
-- Liquibase can substitute it as a placeholder / property. All times are epoch milliseconds (UTC).
-- Statements are separated by ";" at the end of a line.
-- key_id is the first 8 bytes of session_key as a signed big-endian BIGINT (the store computes it). H2 keeps rows in
-- a B-tree keyed by a single BIGINT primary key, so finding a session by key_id needs no second index, and every
-- UPDATE (which H2 runs as remove and re-add in every index) has one index fewer to rewrite. Two different keys that
-- share their first 8 bytes (a 2^-64 chance per pair) collide here: the second insert is refused as a duplicate key.
CREATE TABLE IF NOT EXISTS ${prefix}sessions (
    key_id              BIGINT        NOT NULL PRIMARY KEY,
    session_key         BINARY(32)    NOT NULL,
    session_id          VARCHAR(64)   NOT NULL,
    user_id             VARCHAR(255)  NOT NULL,
    username            VARCHAR(255)  NOT NULL,
    platform_id         BIGINT,
    platform_name       VARCHAR(255),
    platform_type       VARCHAR(64),
    platform_url        VARCHAR(2048),
    created_at          BIGINT        NOT NULL,
    last_activity_at    BIGINT        NOT NULL,
    expires_at          BIGINT        NOT NULL,
    absolute_expires_at BIGINT        NOT NULL,
    version             BIGINT        NOT NULL,
    csrf_secret         VARCHAR(128)  NOT NULL,
    client_ip_network   VARCHAR(64),
    client_ua_family    VARCHAR(128),
    client_language     VARCHAR(64),
    client_device_label VARCHAR(255),
    elevation_level     VARCHAR(16),
    elevated_until      BIGINT,
    attributes          CLOB          NOT NULL
);
CREATE INDEX IF NOT EXISTS ${prefix}sessions_user_idx ON ${prefix}sessions (user_id);
CREATE INDEX IF NOT EXISTS ${prefix}sessions_expires_idx ON ${prefix}sessions (expires_at);

-- Ended sessions, written only when JdbcSessionStore.Builder#archiveEndedSessions(true). No CSRF secret and no
-- attribute values: the archive records who, when, where and why, not what the session held.
CREATE TABLE IF NOT EXISTS ${prefix}sessions_archive (
    session_key         BINARY(32)    NOT NULL,
    session_id          VARCHAR(64)   NOT NULL,
    user_id             VARCHAR(255)  NOT NULL,
    username            VARCHAR(255)  NOT NULL,
    platform_id         BIGINT,
    platform_name       VARCHAR(255),
    platform_type       VARCHAR(64),
    platform_url        VARCHAR(2048),
    created_at          BIGINT        NOT NULL,
    last_activity_at    BIGINT        NOT NULL,
    expires_at          BIGINT        NOT NULL,
    absolute_expires_at BIGINT        NOT NULL,
    version             BIGINT        NOT NULL,
    client_ip_network   VARCHAR(64),
    client_ua_family    VARCHAR(128),
    client_language     VARCHAR(64),
    client_device_label VARCHAR(255),
    ended_at            BIGINT        NOT NULL,
    end_reason          VARCHAR(32)   NOT NULL
);
CREATE INDEX IF NOT EXISTS ${prefix}sessions_archive_user_idx ON ${prefix}sessions_archive (user_id);
CREATE INDEX IF NOT EXISTS ${prefix}sessions_archive_ended_idx ON ${prefix}sessions_archive (ended_at);

-- Per-user session-limit locks: a login locks the row of its user's stripe (a hash of the user id, 64 stripes)
-- while it inserts its session and counts the user's sessions, so that racing logins of one user count each
-- other exactly (H2 has no advisory locks). The rows are created here and never change.
CREATE TABLE IF NOT EXISTS ${prefix}session_locks (
    stripe              INT           NOT NULL PRIMARY KEY
);
MERGE INTO ${prefix}session_locks KEY (stripe) SELECT X FROM SYSTEM_RANGE(0, 63);
