package io.platformsessions.examples;

import io.platformsessions.jdbc.JdbcSessionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The demo application's own user accounts with PBKDF2 password hashes, in a table
 * {@code <prefix>demo_account} of the demo database. The session engine reads the same table through a
 * {@code JdbcUserDirectory} with {@link #userQuery()}. Thread-safe (every call takes its own
 * connection).
 *
 * <p>This is application code, not library code: the library never sees passwords. It only learns
 * the user id after the application has authenticated the user.
 */
public final class DemoAccounts {
    /** Longest username accepted at login, in characters. */
    public static final int MAX_USERNAME_LENGTH = 64;
    private final DataSource dataSource;
    private final PasswordHasher hasher;
    private final String table;

    /**
     * Creates the accounts table {@code <tablePrefix>demo_account} if missing.
     *
     * @param dataSource the demo database
     * @param hasher how passwords are hashed
     * @param tablePrefix the prefix of the table, as {@code JdbcSessionStore.Builder#tablePrefix} accepts it
     * @throws IllegalArgumentException if {@code JdbcSessionStore} would refuse the prefix
     * @throws IllegalStateException if the table cannot be created
     */
    public DemoAccounts(DataSource dataSource, PasswordHasher hasher, String tablePrefix) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        JdbcSessionStore.builder().tablePrefix(tablePrefix); // the library's rule for table prefixes
        this.table = tablePrefix + "demo_account";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                    + " user_id VARCHAR(64) PRIMARY KEY,"
                    + " username VARCHAR(64) NOT NULL UNIQUE,"
                    + " password_hash VARCHAR(256) NOT NULL,"
                    + " active BOOLEAN NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create table " + table, e);
        }
    }

    /**
     * The query a {@code JdbcUserDirectory} uses to read this table: id, username, active.
     *
     * @return the SQL, with one parameter (the user id)
     */
    public String userQuery() {
        return "SELECT user_id, username, active FROM " + table + " WHERE user_id = ?";
    }

    /**
     * Adds an active account unless its username exists already (several demo nodes on one database each seed
     * the demo data at start; the first one wins).
     *
     * @param userId the id sessions will carry
     * @param username the login name
     * @param password the plain password (only its hash is stored)
     * @return {@code true} if the account was added
     * @throws IllegalArgumentException if the password is empty or too long
     * @throws IllegalStateException if the database fails
     */
    public boolean addIfAbsent(String userId, String username, String password) {
        if (storedHash(username).isPresent()) {
            return false;
        }
        try {
            add(userId, username, password);
            return true;
        } catch (IllegalStateException e) {
            if (storedHash(username).isPresent()) {
                return false; // another node added it in between
            }
            throw e;
        }
    }

    /**
     * Adds an active account, hashing its password.
     *
     * @param userId the id sessions will carry
     * @param username the login name
     * @param password the plain password (only its hash is stored)
     * @throws IllegalArgumentException if the password is empty or too long
     * @throws IllegalStateException if the insert fails (for example a duplicate username)
     */
    public void add(String userId, String username, String password) {
        String hash = hasher.hash(password);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO " + table + " (user_id, username, password_hash, active) VALUES (?, ?, ?, TRUE)")) {
            ps.setString(1, userId);
            ps.setString(2, username);
            ps.setString(3, hash);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot add account " + username, e);
        }
    }

    /**
     * Checks a username and password. Unknown users cost the same hashing time as known ones.
     *
     * @param username the presented login name, may be null
     * @param password the presented password, may be null
     * @return the user id when the credentials match an active account, else empty
     * @throws IllegalStateException if the database fails
     */
    public Optional<String> authenticate(String username, String password) {
        if (username == null || username.isBlank() || username.length() > MAX_USERNAME_LENGTH) {
            hasher.verifyAgainstDummy(password);
            return Optional.empty();
        }
        String userId = null;
        String hash = null;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT user_id, password_hash FROM " + table + " WHERE username = ? AND active = TRUE")) {
            ps.setString(1, username.strip());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    userId = rs.getString(1);
                    hash = rs.getString(2);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read accounts", e);
        }
        if (hash == null) {
            hasher.verifyAgainstDummy(password);
            return Optional.empty();
        }
        return hasher.verify(password, hash) ? Optional.of(userId) : Optional.empty();
    }

    /**
     * The stored hash of a user's password (for tests and the curious: never the password).
     *
     * @param username the login name
     * @return the hash string, or empty for an unknown user
     * @throws IllegalStateException if the database fails
     */
    public Optional<String> storedHash(String username) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT password_hash FROM " + table + " WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read accounts", e);
        }
    }
}
