package io.platformsessions.jdbc;

/** The store contract on Postgres with the archive table. */
class PostgresArchivingContractTest extends JdbcContractBase {
    @Override
    TestDatabases.Db db() {
        return TestDatabases.Db.POSTGRES;
    }

    @Override
    boolean archive() {
        return true;
    }
}
