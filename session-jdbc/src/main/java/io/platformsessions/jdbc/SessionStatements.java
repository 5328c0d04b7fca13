package io.platformsessions.jdbc;

import io.platformsessions.SessionKey;
import io.platformsessions.spi.SessionRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-request statements every dialect shares, each one {@link PreparedStatement} on a connection the
 * caller borrowed in autocommit mode: one statement, one round trip. SQL is built once, from
 * {@link SessionTable}. Immutable and thread-safe.
 */
final class SessionStatements {
    final SessionTable table;
    final String insert;
    final String find;
    final String findByUser;
    final String update;
    final String rekey;
    final String touch;
    final String delete;
    final String countActive;
    /** Live sessions of a user; binds user id, now. */
    final String countLiveOfUser;
    /** Reads no row but names every column of the sessions table this version uses. */
    final String columnCheck;
    /** Reads no row but names every column of the archive table this version uses. */
    final String archiveColumnCheck;

    SessionStatements(SessionTable table) {
        this.table = table;
        String sessions = table.sessions;
        insert = table.insertSql();
        find = "SELECT " + table.allColumns + " FROM " + sessions + " WHERE " + table.keyMatch;
        findByUser = "SELECT " + table.allColumns + " FROM " + sessions + " WHERE user_id = ?";
        update = "UPDATE " + sessions + " SET " + table.dataAssignments() + " WHERE " + table.keyMatch + " AND version = ?";
        rekey = "UPDATE " + sessions + " SET " + table.keyColumns.replace(", ", " = ?, ") + " = ?, "
                + table.dataAssignments() + " WHERE " + table.keyMatch + " AND version = ?";
        // the stored absolute expiry caps the idle one, so a touch racing with extend() cannot undo it
        touch = "UPDATE " + sessions + " SET last_activity_at = ?, expires_at = LEAST(?, absolute_expires_at)"
                + " WHERE " + table.keyMatch + " AND last_activity_at < ?";
        delete = "DELETE FROM " + sessions + " WHERE " + table.keyMatch;
        countActive = "SELECT platform_type, COUNT(*) FROM " + sessions + " WHERE expires_at > ? GROUP BY platform_type";
        countLiveOfUser = "SELECT COUNT(*) FROM " + sessions + " WHERE user_id = ? AND expires_at > ?";
        columnCheck = "SELECT " + table.keyColumns + ", " + table.dataColumns + " FROM " + sessions + " WHERE 1 = 0";
        archiveColumnCheck = "SELECT " + table.archiveColumns + ", ended_at, end_reason FROM " + table.archive
                + " WHERE 1 = 0";
    }

    void insert(Connection c, SessionRecord r, String attributes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            SessionTable.bindData(ps, table.bindKey(ps, 1, r.key().bytes()), r, attributes);
            ps.executeUpdate();
        }
    }

    Optional<SessionRecord> find(Connection c, SessionKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(find)) {
            table.bindKey(ps, 1, key.bytes());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(SessionTable.read(rs)) : Optional.empty();
            }
        }
    }

    /** The user's sessions; the database's collation may be laxer than {@code String.equals}, so ids are re-checked. */
    List<SessionRecord> findByUser(Connection c, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(findByUser)) {
            ps.setString(1, userId);
            List<SessionRecord> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SessionRecord r = SessionTable.read(rs);
                    if (r.userId().equals(userId)) {
                        rows.add(r);
                    }
                }
            }
            return rows;
        }
    }

    boolean update(Connection c, SessionRecord next, String attributes, long expectedVersion) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(update)) {
            int i = SessionTable.bindData(ps, 1, next, attributes);
            ps.setLong(table.bindKey(ps, i, next.key().bytes()), expectedVersion);
            return ps.executeUpdate() == 1;
        }
    }

    boolean rekey(Connection c, SessionKey oldKey, SessionRecord next, String attributes, long expectedVersion)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(rekey)) {
            int i = SessionTable.bindData(ps, table.bindKey(ps, 1, next.key().bytes()), next, attributes);
            ps.setLong(table.bindKey(ps, i, oldKey.bytes()), expectedVersion);
            return ps.executeUpdate() == 1;
        }
    }

    boolean touch(Connection c, SessionKey key, Instant lastActivityAt, Instant idleExpiresAt) throws SQLException {
        long last = lastActivityAt.toEpochMilli();
        try (PreparedStatement ps = c.prepareStatement(touch)) {
            ps.setLong(1, last);
            ps.setLong(2, idleExpiresAt.toEpochMilli());
            ps.setLong(table.bindKey(ps, 3, key.bytes()), last);
            return ps.executeUpdate() > 0;
        }
    }

    boolean delete(Connection c, byte[] key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(delete)) {
            table.bindKey(ps, 1, key);
            return ps.executeUpdate() > 0;
        }
    }

    Map<String, Long> countActiveByPlatformType(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(countActive)) {
            ps.setLong(1, now.toEpochMilli());
            Map<String, Long> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(1);
                    out.merge(type == null ? "" : type, rs.getLong(2), Long::sum);
                }
            }
            return out;
        }
    }
}
