-- Platform Sessions: platform-connection table for JdbcPlatformDirectory, MariaDB.
-- ${prefix} stands for the table name prefix (JdbcPlatformDirectory.Builder#tablePrefix, default "ps_").
-- created_at is epoch milliseconds (UTC). Statements are separated by ";" at the end of a line.
CREATE TABLE IF NOT EXISTS ${prefix}platform_connections (
    id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id       VARCHAR(255)  NOT NULL,
    name          VARCHAR(255)  NOT NULL,
    platform_type VARCHAR(64)   NOT NULL,
    instance_url  VARCHAR(2048) NOT NULL,
    active        BOOLEAN       NOT NULL,
    is_default    BOOLEAN       NOT NULL,
    created_at    BIGINT        NOT NULL,
    INDEX ${prefix}platform_connections_user_idx (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
