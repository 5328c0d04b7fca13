package io.platformsessions.benchmarks;

import javax.sql.DataSource;

/** Opens a {@link Subject} by name. Thread-safe (stateless). */
final class Subjects {
    private Subjects() {
    }

    /**
     * Opens a library under test over a data source, installing its schema first.
     * @param lib {@code ours} or {@code spring}
     * @param pool the pool (its database decides the schema dialect)
     * @param ds the data source to use: the pool itself, or a counting wrapper around it
     * @param cache for ours: whether the session cache is on
     * @return the subject
     */
    static Subject open(String lib, Db.Pool pool, DataSource ds, boolean cache) {
        return open(lib, pool, ds, cache, false);
    }

    /**
     * Opens a library under test, ours optionally with the opt-in asynchronous create commit.
     * @param lib {@code ours} or {@code spring}
     * @param pool the pool (its database decides the schema dialect)
     * @param ds the data source to use
     * @param cache for ours: whether the session cache is on
     * @param asynchronousCreateCommit for ours: {@code JdbcSessionStore.Builder#asynchronousCreateCommit}
     * @return the subject
     */
    static Subject open(String lib, Db.Pool pool, DataSource ds, boolean cache, boolean asynchronousCreateCommit) {
        switch (lib) {
            case "ours":
                return new OursSubject(OurStores.open(pool, ds, asynchronousCreateCommit), cache);
            case "spring":
                SpringSubject.installSchema(pool.ds(), pool.db());
                return new SpringSubject(ds);
            default:
                throw new IllegalArgumentException("unknown library " + lib + " (ours, spring)");
        }
    }
}
