package io.platformsessions.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a database for tests, on a port of its own: it counts round trips on the wire (a
 * reply from the server after the client sent something is one) and can {@link #freeze()} (stop forwarding in
 * both directions while keeping every connection open, so the database looks hung to the client) and
 * {@link #thaw()}. The database behind it is never touched. Thread-safe.
 */
final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger roundTrips = new AtomicInteger();
    private final Object gate = new Object();
    private boolean frozen;

    TcpProxy(String host, int port) throws IOException {
        this.target = new InetSocketAddress(host, port);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The local port to connect to instead of the database's. */
    int port() {
        return server.getLocalPort();
    }

    /** Round trips since the last {@link #reset()}, over every connection. */
    int roundTrips() {
        return roundTrips.get();
    }

    void reset() {
        roundTrips.set(0);
    }

    /**
     * The fewest round trips each operation took over the measured rounds, the first round (driver warm-up) left
     * out. {@code trips} holds {@code perRound} figures per round, in order. Something else on the wire can only add
     * to a measurement (HikariCP validates a connection idle for over 500 ms when it is borrowed, which a loaded
     * machine's pauses cause; PgJDBC switches a statement to a server-prepared one on its fifth use), never take
     * away, so the fewest is the operation's own count.
     */
    static List<Integer> fewestPerOperation(List<Integer> trips, int perRound) {
        List<Integer> fewest = new java.util.ArrayList<>();
        for (int op = 0; op < perRound; op++) {
            int min = Integer.MAX_VALUE;
            for (int i = perRound + op; i < trips.size(); i += perRound) {
                min = Math.min(min, trips.get(i));
            }
            fewest.add(min);
        }
        return fewest;
    }

    /** Stops forwarding: bytes already sent wait in the proxy, connections stay open, new ones are accepted. */
    void freeze() {
        synchronized (gate) {
            frozen = true;
        }
    }

    /** Forwards again, including whatever waited. */
    void thaw() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(target, 5_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                int[] lastDirection = {0};
                pump(client, upstream, 1, lastDirection);
                pump(upstream, client, 2, lastDirection);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Copies {@code from} to {@code to}; direction 1 is client to server, 2 server to client. */
    private void pump(Socket from, Socket to, int direction, int[] lastDirection) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (gate) {
                        while (frozen) {
                            gate.wait();
                        }
                    }
                    synchronized (lastDirection) {
                        if (direction == 2 && lastDirection[0] == 1) {
                            roundTrips.incrementAndGet();
                        }
                        lastDirection[0] = direction;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side closed, or the proxy did
            } finally {
                close(from);
                close(to);
            }
        }, "tcp-proxy-" + direction);
        t.setDaemon(true);
        t.start();
    }

    /** Cuts every connection the proxy carries (the clients see them drop); new ones are still accepted. */
    void dropConnections() {
        sockets.forEach(TcpProxy::close);
        sockets.clear();
    }

    @Override
    public void close() {
        thaw();
        close(server);
        dropConnections();
    }

    private static void close(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
