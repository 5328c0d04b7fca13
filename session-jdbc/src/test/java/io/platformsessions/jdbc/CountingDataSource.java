package io.platformsessions.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps a data source and counts what the code under test asks of JDBC: connections borrowed, every
 * {@link Connection} method called, and every statement executed (each execution is one round trip).
 */
final class CountingDataSource implements DataSource {
    private final DataSource delegate;
    private final Map<String, AtomicInteger> connectionCalls = new ConcurrentHashMap<>();
    private final List<String> executed = new CopyOnWriteArrayList<>();
    private final AtomicInteger borrowed = new AtomicInteger();

    CountingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    void reset() {
        connectionCalls.clear();
        executed.clear();
        borrowed.set(0);
    }

    /** SQL of every statement executed since the last reset, in order. */
    List<String> executed() {
        return List.copyOf(executed);
    }

    int calls(String connectionMethod) {
        AtomicInteger n = connectionCalls.get(connectionMethod);
        return n == null ? 0 : n.get();
    }

    int borrowed() {
        return borrowed.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        borrowed.incrementAndGet();
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        borrowed.incrementAndGet();
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection c) {
        InvocationHandler h = (proxy, method, args) -> {
            connectionCalls.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
            Object result = invoke(c, method, args);
            if (result instanceof PreparedStatement ps && args != null && args.length > 0 && args[0] instanceof String sql) {
                return wrapStatement(ps, sql);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private PreparedStatement wrapStatement(PreparedStatement ps, String sql) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                executed.add(sql);
            }
            return invoke(ps, method, args);
        };
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, h);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }

}
