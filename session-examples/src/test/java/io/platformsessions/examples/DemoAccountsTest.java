package io.platformsessions.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.UserAccount;
import io.platformsessions.jdbc.JdbcUserDirectory;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DemoAccountsTest {
    private final JdbcConnectionPool db =
            JdbcConnectionPool.create("jdbc:h2:mem:accounts-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    private final DemoAccounts accounts = new DemoAccounts(db, new PasswordHasher(PasswordHasher.MIN_ITERATIONS), "");

    @AfterEach
    void close() {
        db.dispose();
    }

    @Test
    void authenticatesOnlyTheRightPasswordAndStoresNoPlainText() {
        accounts.add("alice", "alice", "alice-demo-password");
        assertThat(accounts.authenticate("alice", "alice-demo-password")).contains("alice");
        assertThat(accounts.authenticate("alice", "bob-demo-password")).isEmpty();
        assertThat(accounts.authenticate("nobody", "alice-demo-password")).isEmpty();
        assertThat(accounts.authenticate(null, null)).isEmpty();
        assertThat(accounts.authenticate("a".repeat(500), "x")).isEmpty();
        assertThat(accounts.storedHash("alice")).hasValueSatisfying(h -> {
            assertThat(h).startsWith("pbkdf2-sha256$").doesNotContain("alice-demo-password");
        });
    }

    @Test
    void isReadByAJdbcUserDirectoryWithTheDocumentedQuery() {
        accounts.add("u1", "carol", "pw-carol");
        JdbcUserDirectory users = JdbcUserDirectory.builder(db).query(accounts.userQuery()).build();
        assertThat(users.find("u1")).contains(new UserAccount("u1", "carol", true));
        assertThat(users.find("u2")).isEmpty();
    }

    @Test
    void addIfAbsentKeepsTheFirstAccountOfAUsername() {
        assertThat(accounts.addIfAbsent("u1", "erin", "pw-first")).isTrue();
        assertThat(accounts.addIfAbsent("u1", "erin", "pw-second")).isFalse();
        assertThat(accounts.authenticate("erin", "pw-first")).contains("u1");
        assertThat(accounts.authenticate("erin", "pw-second")).isEmpty();
    }

    @Test
    void aMalformedTablePrefixIsRefused() {
        assertThatThrownBy(() -> new DemoAccounts(db, new PasswordHasher(PasswordHasher.MIN_ITERATIONS), "x; DROP"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void duplicateUsernameIsRefused() {
        accounts.add("u1", "dave", "pw");
        assertThatThrownBy(() -> accounts.add("u2", "dave", "pw2")).isInstanceOf(IllegalStateException.class);
    }
}
