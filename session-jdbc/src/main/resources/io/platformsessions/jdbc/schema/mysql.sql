-- Platform Sessions: session tables for MySQL (8.0 or later).
-- ${prefix} stands for the table name prefix (JdbcSessionStore.Builder#tablePrefix, default "ps_"); Flyway and
-- Liquibase can substitute it as a placeholder / property. All times are epoch milliseconds (UTC).
-- Binary collation: user ids compare exactly as in Java.
-- Statements are separated by ";" at the end of a line.
CREATE TABLE IF NOT EXISTS ${prefix}sessions (
    session_key         BINARY(32)    NOT NULL PRIMARY KEY,
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
    attributes          MEDIUMTEXT    NOT NULL,
    INDEX ${prefix}sessions_user_idx (user_id),
    INDEX ${prefix}sessions_expires_idx (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

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
    end_reason          VARCHAR(32)   NOT NULL,
    INDEX ${prefix}sessions_archive_user_idx (user_id),
    INDEX ${prefix}sessions_archive_ended_idx (ended_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

-- Change log, written only with JdbcChangeBus.polling(...): one row per session change or end (key, new version or
-- -1 for ended, the writing node), in the same transaction as the write; every node polls it and prunes rows older
-- than the bus's retention. No token, secret or attribute here.
CREATE TABLE IF NOT EXISTS ${prefix}session_changes (
    id                  BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    session_key         BINARY(32)    NOT NULL,
    version             BIGINT        NOT NULL,
    node_id             BIGINT        NOT NULL,
    created_at          BIGINT        NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;
