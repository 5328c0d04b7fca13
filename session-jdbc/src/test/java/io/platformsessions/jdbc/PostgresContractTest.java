package io.platformsessions.jdbc;

/** The store contract on Postgres. */
class PostgresContractTest extends JdbcContractBase {
    @Override
    TestDatabases.Db db() {
        return TestDatabases.Db.POSTGRES;
    }

    @Override
    boolean archive() {
        return false;
    }
}
