package io.platformsessions.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Wraps a {@link DataSource} and counts what reaches the database: statement executions, batches,
 * commits, rollbacks and the few other driver calls that cost a round trip on PostgreSQL
 * ({@code getTransactionIsolation}, {@code setTransactionIsolation}, savepoints, {@code isValid}).
 * A commit or rollback counts only when the transaction executed something, and
 * {@code setAutoCommit(true)} inside such a transaction counts as its commit, matching what the
 * PostgreSQL driver sends ({@code BEGIN} travels with the first statement and costs no round trip
 * of its own). Also keeps the last {@link #LOG_LIMIT} events as short labels ({@code SELECT},
 * {@code UPDATE}, {@code COMMIT}, ...). Adds reflection overhead: for counting runs only, never
 * for timing. Thread-safe counters; the event log is synchronized.
 */
public final class CountingDataSource {
    /** Most events kept in the log. */
    public static final int LOG_LIMIT = 60;
    private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate");
    private static final Set<String> BATCH = Set.of("executeBatch", "executeLargeBatch");
    private static final Set<String> OTHER_ROUND_TRIPS = Set.of("getTransactionIsolation", "setTransactionIsolation",
            "setSavepoint", "releaseSavepoint", "isValid");

    private long statements;
    private long batches;
    private long commits;
    private long rollbacks;
    private long other;
    private final List<String> log = new ArrayList<>();

    private CountingDataSource() {
    }

    /**
     * Wraps a data source.
     * @param target the real data source
     * @param counts where to count
     * @return a data source that counts and delegates
     */
    public static DataSource wrap(DataSource target, CountingDataSource counts) {
        return (DataSource) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, m, args) -> {
                    Object result = invoke(target, m, args);
                    if (result instanceof Connection c && m.getName().equals("getConnection")) {
                        return counts.connection(c);
                    }
                    return result;
                });
    }

    /**
     * A fresh, zeroed counter.
     * @return the counter
     */
    public static CountingDataSource counter() {
        return new CountingDataSource();
    }

    /**
     * A snapshot of the counts, and clears them and the log.
     * @return the counts so far
     */
    public synchronized Snapshot reset() {
        Snapshot s = new Snapshot(statements, batches, commits, rollbacks, other, List.copyOf(log));
        statements = 0;
        batches = 0;
        commits = 0;
        rollbacks = 0;
        other = 0;
        log.clear();
        return s;
    }

    private synchronized void record(String label) {
        if (log.size() < LOG_LIMIT) {
            log.add(label);
        }
    }

    private synchronized void count(int kind) {
        switch (kind) {
            case 0 -> statements++;
            case 1 -> batches++;
            case 2 -> commits++;
            case 3 -> rollbacks++;
            default -> other++;
        }
    }

    private Connection connection(Connection real) throws java.sql.SQLException {
        ConnectionHandler h = new ConnectionHandler(real);
        return (Connection) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, h);
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String verb(String sql) {
        String s = sql.stripLeading();
        int end = 0;
        while (end < s.length() && Character.isLetter(s.charAt(end))) {
            end++;
        }
        return s.substring(0, end).toUpperCase(Locale.ROOT);
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection real;
        private boolean autoCommit;
        private boolean dirty;

        ConnectionHandler(Connection real) throws java.sql.SQLException {
            this.real = real;
            this.autoCommit = real.getAutoCommit();
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            switch (name) {
                case "commit" -> {
                    if (dirty) {
                        count(2);
                        record("COMMIT");
                    }
                    dirty = false;
                }
                case "rollback" -> {
                    if (dirty || args != null) {
                        count(3);
                        record("ROLLBACK");
                    }
                    if (args == null) {
                        dirty = false;
                    }
                }
                case "setAutoCommit" -> {
                    boolean on = (Boolean) args[0];
                    if (on && !autoCommit && dirty) {
                        count(2);
                        record("COMMIT");
                        dirty = false;
                    }
                    autoCommit = on;
                }
                case "close" -> {
                    // a pool rolls back a connection returned with an open transaction
                    if (!autoCommit && dirty) {
                        count(3);
                        record("ROLLBACK(pool)");
                        dirty = false;
                    }
                }
                default -> {
                    if (OTHER_ROUND_TRIPS.contains(name)) {
                        count(4);
                        record(name);
                    }
                }
            }
            Object result = CountingDataSource.invoke(real, m, args);
            if (result instanceof Statement st && !name.equals("getStatement")) {
                String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                Class<?> type = result instanceof CallableStatement ? CallableStatement.class
                        : result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                return Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] {type},
                        new StatementHandler(this, st, sql));
            }
            return result;
        }

        void executed(String label) {
            if (!autoCommit) {
                dirty = true;
            }
            record(label);
        }
    }

    private final class StatementHandler implements InvocationHandler {
        private final ConnectionHandler connection;
        private final Statement real;
        private final String preparedSql;
        private int batched;

        StatementHandler(ConnectionHandler connection, Statement real, String preparedSql) {
            this.connection = connection;
            this.real = real;
            this.preparedSql = preparedSql;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            if (EXECUTE.contains(name)) {
                String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql;
                count(0);
                connection.executed(sql == null ? "?" : verb(sql));
            } else if (BATCH.contains(name)) {
                count(1);
                connection.executed("BATCH(" + batched + "x " + (preparedSql == null ? "?" : verb(preparedSql)) + ")");
                batched = 0;
            } else if (name.equals("addBatch")) {
                batched++;
            } else if (name.equals("getConnection")) {
                return CountingDataSource.invoke(real, m, args);
            }
            return CountingDataSource.invoke(real, m, args);
        }
    }

    /**
     * Counts at one moment.
     * @param statements single statement executions
     * @param batches batch executions (one round trip each)
     * @param commits commits of transactions that executed something
     * @param rollbacks rollbacks
     * @param other other round-trip driver calls
     * @param log the first events, in order
     */
    public record Snapshot(long statements, long batches, long commits, long rollbacks, long other, List<String> log) {
        /**
         * Round trips on PostgreSQL: every execution, batch, commit, rollback and other call.
         * @return the total
         */
        public long roundTrips() {
            return statements + batches + commits + rollbacks + other;
        }
    }
}
