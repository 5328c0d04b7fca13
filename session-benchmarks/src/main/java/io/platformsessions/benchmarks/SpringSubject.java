package io.platformsessions.benchmarks;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.Session;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring Session JDBC under test, configured as {@code @EnableJdbcHttpSession} configures it:
 * {@link JdbcIndexedSessionRepository} over a {@link JdbcTemplate} and a {@link TransactionTemplate}
 * (propagation REQUIRES_NEW) on a {@link DataSourceTransactionManager}, all on the shared HikariCP
 * pool, with the schema file shipped in its jar, idle timeout 30 minutes, and defaults otherwise
 * (flush on save, save attributes on set). Its scheduled cleanup is not started; the benchmark calls
 * {@link JdbcIndexedSessionRepository#cleanUpExpiredSessions()} itself. Thread-safe after preparation.
 */
public final class SpringSubject implements Subject {
    /** The session attribute holding the active platform id. */
    public static final String PLATFORM = "platformId";
    private static final String PRINCIPAL = FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;
    private static final String TEMPLATE_SESSIONS = "BENCH_TPL_SESSION";
    private static final String TEMPLATE_ATTRIBUTES = "BENCH_TPL_SESSION_ATTRIBUTES";

    private final JdbcTemplate jdbc;
    private final JdbcIndexedSessionRepository repo;
    private String[] ids = new String[0];
    private long[] sessionUsers = new long[0];
    private int users = 1;
    private int templateSize = -1;

    /**
     * Builds the repository over a data source whose schema is installed.
     * @param ds the shared pool (possibly wrapped for counting)
     */
    public SpringSubject(DataSource ds) {
        this.jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.repo = new JdbcIndexedSessionRepository(jdbc, tx);
        this.repo.setDefaultMaxInactiveInterval(Duration.ofMinutes(30));
    }

    /**
     * Installs Spring Session's shipped schema file ({@code org/springframework/session/jdbc/schema-*.sql}).
     * @param ds the data source
     * @param db which database, to pick the file
     */
    public static void installSchema(DataSource ds, Db db) {
        String file = "org/springframework/session/jdbc/schema-" + (db == Db.H2 ? "h2" : "postgresql") + ".sql";
        new ResourceDatabasePopulator(new ClassPathResource(file)).execute(ds);
    }

    @Override
    public String name() {
        return "spring";
    }

    @Override
    public Object create(long n) {
        return create(repo, OursSubject.FRESH_USERS + n);
    }

    // generic helpers: the repository's session type (JdbcSession) is not public, as for applications
    private static <S extends Session> String create(FindByIndexNameSessionRepository<S> repo, long user) {
        S s = repo.createSession();
        s.setAttribute(PRINCIPAL, SyntheticPlatforms.userId(user));
        s.setAttribute(PLATFORM, SyntheticPlatforms.defaultPlatform(user));
        repo.save(s);
        return s.getId();
    }

    private static <S extends Session> S touch(FindByIndexNameSessionRepository<S> repo, String id) {
        S s = repo.findById(id);
        if (s == null) {
            throw new IllegalStateException("prepared Spring session not found");
        }
        s.setLastAccessedTime(Instant.now());
        repo.save(s);
        return s;
    }

    private static <S extends Session> S setPlatform(FindByIndexNameSessionRepository<S> repo, String id, long platform) {
        S s = repo.findById(id);
        if (s == null) {
            throw new IllegalStateException("prepared Spring session not found");
        }
        s.setAttribute(PLATFORM, platform);
        repo.save(s);
        return s;
    }

    @Override
    public void prepareActive(int sessions, int userCount) {
        this.users = userCount;
        ids = new String[sessions];
        sessionUsers = new long[sessions];
        Parallel.forEach(userCount, user -> {
            for (int k = user; k < sessions; k += userCount) {
                ids[k] = create(repo, user);
                sessionUsers[k] = user;
            }
        });
    }

    @Override
    public Object requestCycle(int i) {
        // what SessionRepositoryFilter does for a request with a session in use
        return touch(repo, ids[i % ids.length]);
    }

    @Override
    public Object switchPlatform(int i) {
        int k = i % ids.length;
        long user = sessionUsers[k];
        long target = (i / ids.length) % 2 == 0 ? SyntheticPlatforms.otherPlatform(user)
                : SyntheticPlatforms.defaultPlatform(user);
        return setPlatform(repo, ids[k], target);
    }

    @Override
    public int listSessions(int u) {
        return repo.findByPrincipalName(SyntheticPlatforms.userId(u % users)).size();
    }

    /**
     * Stores {@code count} expired sessions with the rows Spring Session itself writes (session row
     * plus serialized principal-name and platform attributes). The rows are built once into template
     * tables with JDBC batches and then copied with {@code INSERT ... SELECT}, so repeated
     * preparation stays cheap; the sessions expired 12.5 hours ago.
     */
    @Override
    public void prepareExpired(int count) {
        if (templateSize != count) {
            buildTemplate(count);
        }
        jdbc.update("INSERT INTO SPRING_SESSION SELECT * FROM " + TEMPLATE_SESSIONS);
        jdbc.update("INSERT INTO SPRING_SESSION_ATTRIBUTES SELECT * FROM " + TEMPLATE_ATTRIBUTES);
    }

    private void buildTemplate(int count) {
        jdbc.execute("DROP TABLE IF EXISTS " + TEMPLATE_ATTRIBUTES);
        jdbc.execute("DROP TABLE IF EXISTS " + TEMPLATE_SESSIONS);
        jdbc.execute("CREATE TABLE " + TEMPLATE_SESSIONS + " AS SELECT * FROM SPRING_SESSION WHERE 1 = 0");
        jdbc.execute("CREATE TABLE " + TEMPLATE_ATTRIBUTES + " AS SELECT * FROM SPRING_SESSION_ATTRIBUTES WHERE 1 = 0");
        SerializingConverter serializer = new SerializingConverter();
        long created = System.currentTimeMillis() - Duration.ofHours(13).toMillis();
        int batch = 1_000;
        for (int from = 0; from < count; from += batch) {
            int n = Math.min(batch, count - from);
            List<Object[]> sessions = new ArrayList<>(n);
            List<Object[]> attributes = new ArrayList<>(2 * n);
            for (int k = 0; k < n; k++) {
                long user = OursSubject.EXPIRED_USERS + from + k;
                String primary = UUID.randomUUID().toString();
                sessions.add(new Object[] {primary, UUID.randomUUID().toString(), created, created, 1800,
                    created + 1_800_000L, SyntheticPlatforms.userId(user)});
                attributes.add(new Object[] {primary, PRINCIPAL, serializer.convert(SyntheticPlatforms.userId(user))});
                attributes.add(new Object[] {primary, PLATFORM, serializer.convert(SyntheticPlatforms.defaultPlatform(user))});
            }
            batchInsert("INSERT INTO " + TEMPLATE_SESSIONS + " VALUES (?, ?, ?, ?, ?, ?, ?)", sessions);
            batchInsert("INSERT INTO " + TEMPLATE_ATTRIBUTES + " VALUES (?, ?, ?)", attributes);
        }
        templateSize = count;
    }

    private void batchInsert(String sql, List<Object[]> rows) {
        jdbc.batchUpdate(sql, new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
                Object[] row = rows.get(i);
                for (int c = 0; c < row.length; c++) {
                    ps.setObject(c + 1, row[c]);
                }
            }

            @Override
            public int getBatchSize() {
                return rows.size();
            }
        });
    }

    /**
     * How many session rows are stored.
     * @return the row count of SPRING_SESSION
     */
    public long storedSessions() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM SPRING_SESSION", Long.class);
        return n == null ? 0 : n;
    }

    @Override
    public long cleanup() {
        repo.cleanUpExpiredSessions();
        return -1;
    }

    @Override
    public void close() {
        // nothing: no scheduler was started and the pool belongs to the caller
    }
}
