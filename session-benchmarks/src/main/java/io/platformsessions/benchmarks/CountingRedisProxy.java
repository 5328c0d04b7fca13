package io.platformsessions.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of Redis that counts what each library sends, library-agnostically, at the
 * wire: <b>commands</b> (parsed from the RESP request stream, with their names) and <b>round trips</b>. A round
 * trip is counted when a client connection sends after having received a reply (or for its first send):
 * commands written together (pipelined) before any answer count once, a command sent after the previous one's
 * answer counts again. Bytes in each direction are counted too. Pushes on a subscribed connection are bytes
 * from the server, never round trips. For counting runs only (it adds a hop): never for timing.
 * <p>Thread-safe: counters are updated under the proxy's lock; two threads per connection pump the bytes.
 */
final class CountingRedisProxy implements AutoCloseable {
    /** Most command names kept per {@link #reset()} window. */
    static final int LOG_LIMIT = 60;

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private long commands;
    private long roundTrips;
    private long bytesUp;
    private long bytesDown;
    private final List<String> log = new ArrayList<>();
    private volatile boolean closed;

    /**
     * Starts the proxy on a free loopback port.
     * @param targetHost where Redis is
     * @param targetPort its port
     * @throws IOException if no port can be opened
     */
    CountingRedisProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "redis-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * The URI clients use to reach Redis through the proxy.
     * @return {@code redis://127.0.0.1:<port>}
     */
    String uri() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * What was counted since the last reset, and starts counting afresh.
     * @return the counts
     */
    synchronized Snapshot reset() {
        Snapshot s = new Snapshot(commands, roundTrips, bytesUp, bytesDown, List.copyOf(log));
        commands = 0;
        roundTrips = 0;
        bytesUp = 0;
        bytesDown = 0;
        log.clear();
        return s;
    }

    /**
     * Counts of one window.
     * @param commands commands sent
     * @param roundTrips waits (see the class description)
     * @param bytesUp bytes client to Redis
     * @param bytesDown bytes Redis to client
     * @param log the command names, first {@value #LOG_LIMIT}
     */
    record Snapshot(long commands, long roundTrips, long bytesUp, long bytesDown, List<String> log) {
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                Socket upstream = new Socket();
                upstream.setTcpNoDelay(true);
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
                sockets.add(client);
                sockets.add(upstream);
                Connection c = new Connection();
                start(() -> c.pumpUp(client, upstream), "redis-proxy-up");
                start(() -> c.pumpDown(upstream, client), "redis-proxy-down");
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("WARN redis proxy: " + e);
                }
            }
        }
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** One client connection: whether Redis answered since the client last sent, and the RESP parser state. */
    private final class Connection {
        private volatile boolean answered = true;
        private final RespRequests parser = new RespRequests();

        void pumpUp(Socket from, Socket to) {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    List<String> names = parser.feed(buf, n);
                    synchronized (CountingRedisProxy.this) {
                        if (answered) {
                            roundTrips++;
                            answered = false;
                        }
                        bytesUp += n;
                        commands += names.size();
                        for (String name : names) {
                            if (log.size() < LOG_LIMIT) {
                                log.add(name);
                            }
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection closed by either side
            } finally {
                closeQuietly(from, to);
            }
        }

        void pumpDown(Socket from, Socket to) {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (CountingRedisProxy.this) {
                        bytesDown += n;
                        answered = true;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection closed by either side
            } finally {
                closeQuietly(from, to);
            }
        }
    }

    private static void closeQuietly(Socket... sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    /**
     * Splits a client's RESP request stream into commands, across reads. Requests are arrays of bulk strings
     * ({@code *<n>\r\n} then n times {@code $<len>\r\n<bytes>\r\n}); the first bulk string is the command name.
     * Not thread-safe (one per connection, fed by its one pump thread).
     */
    static final class RespRequests {
        private enum State { ARRAY, ARRAY_LEN, BULK, BULK_LEN, BULK_DATA }

        private State state = State.ARRAY;
        private long number;
        private long elementsLeft;
        private long bulkLeft;
        private boolean firstElement;
        private final StringBuilder name = new StringBuilder();

        /**
         * Feeds bytes; returns the names of the commands completed by them.
         * @param b the buffer
         * @param len how many bytes of it are valid
         * @return command names, upper case
         * @throws IllegalStateException on a stream that is not RESP requests
         */
        List<String> feed(byte[] b, int len) {
            List<String> done = new ArrayList<>(1);
            int i = 0;
            while (i < len) {
                byte c = b[i];
                switch (state) {
                    case ARRAY -> {
                        if (c != '*') {
                            throw new IllegalStateException("not a RESP request array: byte " + c);
                        }
                        number = 0;
                        state = State.ARRAY_LEN;
                        i++;
                    }
                    case ARRAY_LEN, BULK_LEN -> {
                        if (c == '\r') {
                            i++;
                        } else if (c == '\n') {
                            i++;
                            if (state == State.ARRAY_LEN) {
                                elementsLeft = number;
                                firstElement = true;
                                name.setLength(0);
                                state = State.BULK;
                                if (elementsLeft == 0) {
                                    state = State.ARRAY;
                                }
                            } else {
                                bulkLeft = number + 2; // data and its CRLF
                                state = State.BULK_DATA;
                            }
                        } else {
                            number = number * 10 + (c - '0');
                            i++;
                        }
                    }
                    case BULK -> {
                        if (c != '$') {
                            throw new IllegalStateException("not a RESP bulk string: byte " + c);
                        }
                        number = 0;
                        state = State.BULK_LEN;
                        i++;
                    }
                    case BULK_DATA -> {
                        int take = (int) Math.min(bulkLeft, len - i);
                        if (firstElement) {
                            for (int k = 0; k < take && name.length() < 32; k++) {
                                char ch = (char) b[i + k];
                                if (ch != '\r' && ch != '\n') {
                                    name.append(ch);
                                }
                            }
                        }
                        i += take;
                        bulkLeft -= take;
                        if (bulkLeft == 0) {
                            firstElement = false;
                            if (--elementsLeft == 0) {
                                done.add(name.toString().toUpperCase(Locale.ROOT));
                                state = State.ARRAY;
                            } else {
                                state = State.BULK;
                            }
                        }
                    }
                    default -> throw new IllegalStateException(state.toString());
                }
            }
            return done;
        }
    }
}
