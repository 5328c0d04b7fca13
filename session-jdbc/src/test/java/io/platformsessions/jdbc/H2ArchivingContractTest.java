package io.platformsessions.jdbc;

/** The store contract on H2 with the archive table. */
class H2ArchivingContractTest extends JdbcContractBase {
    @Override
    TestDatabases.Db db() {
        return TestDatabases.Db.H2;
    }

    @Override
    boolean archive() {
        return true;
    }
}
