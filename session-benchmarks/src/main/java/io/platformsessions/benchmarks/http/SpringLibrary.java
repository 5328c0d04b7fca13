package io.platformsessions.benchmarks.http;

import io.platformsessions.benchmarks.Db;
import io.platformsessions.benchmarks.SpringSubject;
import jakarta.servlet.Filter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring Session JDBC as {@code @EnableJdbcHttpSession} sets it up: {@link JdbcIndexedSessionRepository}
 * over a {@link JdbcTemplate} and a REQUIRES_NEW {@link TransactionTemplate}, idle timeout 30 minutes,
 * behind its {@link SessionRepositoryFilter} with the default cookie resolver ({@code SESSION},
 * Base64-encoded id). Not thread-safe; set up before the server starts.
 */
final class SpringLibrary {
    /** Spring Session's default cookie name. */
    static final String COOKIE_NAME = "SESSION";

    private final JdbcIndexedSessionRepository repo;

    /**
     * Builds the repository over {@code ds}; the schema must be installed (see {@link #installSchema}).
     * @param ds the pool, or a counting wrapper around it
     */
    SpringLibrary(DataSource ds) {
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.repo = new JdbcIndexedSessionRepository(new JdbcTemplate(ds), tx);
        this.repo.setDefaultMaxInactiveInterval(Duration.ofMinutes(30));
    }

    /**
     * Installs the schema file shipped in Spring Session's jar.
     * @param ds the pool
     * @param db which database
     */
    static void installSchema(DataSource ds, Db db) {
        SpringSubject.installSchema(ds, db);
    }

    /**
     * The filter over this repository.
     * @return a new filter
     */
    Filter filter() {
        return filter(repo);
    }

    private static <S extends Session> Filter filter(FindByIndexNameSessionRepository<S> repo) {
        return new SessionRepositoryFilter<>(repo);
    }

    /**
     * Saves {@code count} sessions, each with a principal name and the attribute {@code name = value},
     * as a login through Spring Security would leave them.
     * @param count how many
     * @param name attribute name the servlet reads
     * @param value its value
     * @return one {@code Cookie} header value per session
     */
    List<String> logIn(int count, String name, String value) {
        List<String> cookies = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            String id = save(repo, "spring-user-" + k, name, value);
            cookies.add(COOKIE_NAME + "=" + Base64.getEncoder().encodeToString(id.getBytes(StandardCharsets.UTF_8)));
        }
        return cookies;
    }

    // generic helper: the repository's session type is not public, as for applications
    private static <S extends Session> String save(FindByIndexNameSessionRepository<S> repo, String user, String name,
                                                   String value) {
        S s = repo.createSession();
        s.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, user);
        s.setAttribute(name, value);
        repo.save(s);
        return s.getId();
    }
}
