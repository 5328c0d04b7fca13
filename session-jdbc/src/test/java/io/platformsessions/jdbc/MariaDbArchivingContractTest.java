package io.platformsessions.jdbc;

/** The store contract on Mariadb with the archive table. */
class MariaDbArchivingContractTest extends JdbcContractBase {
    @Override
    TestDatabases.Db db() {
        return TestDatabases.Db.MARIADB;
    }

    @Override
    boolean archive() {
        return true;
    }
}
