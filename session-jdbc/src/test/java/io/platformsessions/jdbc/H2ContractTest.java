package io.platformsessions.jdbc;

/** The store contract on H2. */
class H2ContractTest extends JdbcContractBase {
    @Override
    TestDatabases.Db db() {
        return TestDatabases.Db.H2;
    }

    @Override
    boolean archive() {
        return false;
    }
}
