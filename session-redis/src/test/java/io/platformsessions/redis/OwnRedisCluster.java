package io.platformsessions.redis;

import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A private Redis Cluster of {@link OwnRedisServer}s (free loopback ports, each in its own temporary directory, no
 * persistence) for tests that reshard it or kill its nodes, never the shared CI cluster. Each node gets its cluster
 * bus on a free port of its own ({@code cluster-port}), not on port + 10000, which is out of range for a port above
 * 55535. Skips loudly when {@code redis-server} is not installed; {@link #close()} stops every node it started,
 * also when starting failed half way.
 */
final class OwnRedisCluster implements AutoCloseable {
    private final List<OwnRedisServer> servers = new ArrayList<>();

    /** A node as {@code CLUSTER NODES} describes it. */
    record Node(String id, int port, boolean primary, boolean failed, String primaryId, List<int[]> slots) {
        boolean owns(int slot) {
            return slots.stream().anyMatch(r -> r[0] <= slot && slot <= r[1]);
        }
    }

    private OwnRedisCluster() {
    }

    /**
     * Starts {@code primaries * (1 + replicasEach)} nodes and makes them one cluster (all slots covered, every replica
     * attached to its primary).
     *
     * @param extraArgs more {@code redis-server} options for every node, for example {@code --cluster-node-timeout 1000}
     */
    static OwnRedisCluster launch(int primaries, int replicasEach, String... extraArgs) throws Exception {
        OwnRedisServer.requireRedisServer();
        OwnRedisCluster cluster = new OwnRedisCluster();
        try {
            int n = primaries * (1 + replicasEach);
            for (int i = 0; i < n; i++) {
                List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-port",
                        Integer.toString(OwnRedisServer.freePort())));
                args.addAll(List.of(extraArgs));
                cluster.servers.add(OwnRedisServer.launch(args.toArray(String[]::new)));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            cluster.servers.forEach(sv -> create.add("127.0.0.1:" + sv.port));
            create.addAll(List.of("--cluster-replicas", Integer.toString(replicasEach), "--cluster-yes"));
            Process p = new ProcessBuilder(create).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + out);
            }
            String nodes = "cluster_known_nodes:" + n;
            BusNodes.await(() -> cluster.onEach(c -> c.clusterInfo().contains("cluster_state:ok")
                    && c.clusterInfo().contains(nodes)), Duration.ofSeconds(30), "own cluster up on every node");
            if (replicasEach > 0) { // replicas attached and synced, so that WAIT can count them
                BusNodes.await(() -> cluster.onEach(c -> !c.info("replication").contains("role:slave")
                        || c.info("replication").contains("master_link_status:up")), Duration.ofSeconds(30),
                        "every replica in sync with its primary");
            }
            return cluster;
        } catch (Exception | Error e) {
            try {
                cluster.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The node started on {@code port}. */
    OwnRedisServer server(int port) {
        return servers.stream().filter(s -> s.port == port).findFirst().orElseThrow();
    }

    /** {@code redis://} URIs of every node this cluster started, in start order. */
    List<String> uris() {
        return servers.stream().map(OwnRedisServer::uri).toList();
    }

    /** The cluster as the first node that answers sees it ({@code CLUSTER NODES}). */
    List<Node> nodes() {
        for (OwnRedisServer sv : servers) {
            Optional<String> text = on(sv, RedisCommands::clusterNodes);
            if (text.isPresent()) {
                return parse(text.get());
            }
        }
        throw new IllegalStateException("no node of the cluster answers");
    }

    private static List<Node> parse(String clusterNodes) {
        List<Node> out = new ArrayList<>();
        for (String line : clusterNodes.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 8) {
                continue;
            }
            String address = f[1].substring(0, f[1].indexOf('@'));
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            List<int[]> slots = new ArrayList<>();
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue; // a slot being migrated or imported
                }
                String[] range = f[i].split("-");
                int lo = Integer.parseInt(range[0]);
                slots.add(new int[] {lo, range.length > 1 ? Integer.parseInt(range[1]) : lo});
            }
            boolean failed = f[2].contains("fail") && !f[2].contains("fail?");
            out.add(new Node(f[0], port, f[2].contains("master"), failed, "-".equals(f[3]) ? null : f[3], slots));
        }
        return out;
    }

    /** Runs {@code action} on a plain connection to one node; empty if the node does not answer. */
    <T> Optional<T> on(OwnRedisServer sv, Function<RedisCommands<String, String>, T> action) {
        return sv.on(action);
    }

    /** Whether {@code check} holds on a plain connection to each node (a node that does not answer: it does not). */
    boolean onEach(Predicate<RedisCommands<String, String>> check) {
        boolean all = true;
        for (OwnRedisServer sv : servers) {
            all &= on(sv, check::test).orElse(false);
        }
        return all;
    }

    /** Whether {@code check} holds on each node except {@code skipped} (a node that was killed). */
    boolean onEachExcept(OwnRedisServer skipped, Predicate<RedisCommands<String, String>> check) {
        boolean all = true;
        for (OwnRedisServer sv : servers) {
            if (sv != skipped) {
                all &= on(sv, check::test).orElse(false);
            }
        }
        return all;
    }

    /** Stops every node this cluster started (killed ones are already gone) and deletes their directories. */
    @Override
    public void close() throws InterruptedException, IOException {
        OwnRedisServer.closeAll(servers);
    }
}
