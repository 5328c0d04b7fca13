package io.platformsessions.benchmarks.http;

import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionToken;
import io.platformsessions.benchmarks.SyntheticPlatforms;
import io.platformsessions.memory.InMemorySessionStore;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's part of a cached request with everything hot: a plain loop on one thread over 64
 * cached sessions, thread CPU time and allocated bytes per call. It shows what the HTTP benchmark's
 * in-server profile cannot: the cost of the code itself, apart from the CPU caches Jetty's work
 * leaves cold. Run: {@code java -cp session-benchmarks/target/benchmarks.jar
 * io.platformsessions.benchmarks.http.LookupLoop [calls per row]}; prints the last three of six
 * rounds. Not thread-safe; a program, not an API.
 */
public final class LookupLoop {
    private static final String ADDRESS = "127.0.0.1";
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private static final String LANGUAGE = "en-GB,en;q=0.7,de;q=0.3";
    private static volatile Object sink;

    private LookupLoop() {
    }

    /**
     * Runs the loop.
     *
     * @param args optional: calls per row (default 2,000,000)
     * @throws Exception if the JDK lacks SHA-256
     */
    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        InMemorySessionStore store = new InMemorySessionStore();
        try (SessionManager manager = SessionManager.builder(store).config(SessionConfig.builder().build())
                .platformDirectory(new SyntheticPlatforms()).build()) {
            ClientInfo client = new ClientInfo(ADDRESS, USER_AGENT, LANGUAGE);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                CreatedSession s = manager.create(SyntheticPlatforms.userId(i), SyntheticPlatforms.defaultPlatform(i), client);
                manager.setAttribute(s.context().key(), "theme", "dark");
                tokens.add(s.token().value());
            }
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            String[] rows = {"lookup, header strings new per call", "lookup, same client strings",
                "lookup + getAttribute", "SHA-256 of a token", "token shape check"};
            for (int round = 0; round < 6; round++) {
                for (String row : rows) {
                    long cpu = threads.getCurrentThreadCpuTime();
                    long bytes = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < calls; i++) {
                        String token = tokens.get(i & 63);
                        sink = switch (row) {
                            case "lookup, header strings new per call" -> manager.lookup(token,
                                    new ClientInfo(new String(ADDRESS), new String(USER_AGENT), new String(LANGUAGE)));
                            case "lookup, same client strings" -> manager.lookup(token, client);
                            case "lookup + getAttribute" -> {
                                SessionLookup l = manager.lookup(token, client);
                                yield manager.getAttribute(l.context(), "theme", Object.class);
                            }
                            case "SHA-256 of a token" -> sha256.digest(token.getBytes(StandardCharsets.US_ASCII));
                            default -> SessionToken.isWellFormed(token);
                        };
                    }
                    if (round >= 3) {
                        System.out.printf("%-38s %7.1f ns/call %6.0f bytes/call%n", row,
                                (threads.getCurrentThreadCpuTime() - cpu) / (double) calls,
                                (threads.getCurrentThreadAllocatedBytes() - bytes) / (double) calls);
                    }
                }
            }
        }
    }
}
