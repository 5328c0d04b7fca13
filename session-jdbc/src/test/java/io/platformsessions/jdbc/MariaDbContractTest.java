package io.platformsessions.jdbc;

/** The store contract on Mariadb. */
class MariaDbContractTest extends JdbcContractBase {
    @Override
    TestDatabases.Db db() {
        return TestDatabases.Db.MARIADB;
    }

    @Override
    boolean archive() {
        return false;
    }
}
