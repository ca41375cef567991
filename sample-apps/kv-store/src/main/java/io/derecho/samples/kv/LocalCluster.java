package io.derecho.samples.kv;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Kv-store nodes as separate JVM processes on loopback: node i listens for the group on
 * {@code groupPorts[i]} and for HTTP on {@code httpPorts[i]}; with {@code nodes} a multiple of
 * {@code replicas}, shard s holds nodes {@code s*replicas ..}. Every process it starts is
 * stopped by {@link #close()} (by pid, one at a time: SIGTERM for a clean leave, SIGKILL after a
 * grace period).
 */
public final class LocalCluster implements AutoCloseable {
    /**
     * Lets a node wait up to 170 s for the others: JVMs started together on a small machine can
     * take a minute or more to all come up, and view 0 needs every one of them.
     */
    public static final String PATIENT_START = "--derecho.start-timeout-seconds=170";

    private final int nodes;
    private final int replicas;
    private final int[] groupPorts;
    private final int[] httpPorts;
    private final Path logs;
    private final List<String> extraArgs;
    private final Map<Integer, Process> processes = new TreeMap<>();

    public LocalCluster(int nodes, int replicas, Path logs, List<String> extraArgs) throws IOException {
        if (nodes < replicas || nodes % replicas != 0) {
            throw new IllegalArgumentException("nodes (" + nodes + ") must be a multiple of replicas (" + replicas + ")");
        }
        this.nodes = nodes;
        this.replicas = replicas;
        this.logs = Files.createDirectories(logs);
        this.extraArgs = List.copyOf(extraArgs);
        int[] ports = freePorts(2 * nodes);
        this.groupPorts = java.util.Arrays.copyOfRange(ports, 0, nodes);
        this.httpPorts = java.util.Arrays.copyOfRange(ports, nodes, 2 * nodes);
    }

    /** {@code n} currently free loopback ports. */
    static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    public int nodes() {
        return nodes;
    }

    public int shards() {
        return nodes / replicas;
    }

    /** The members of shard {@code s} in the full layout. */
    public List<Integer> shardMembers(int s) {
        List<Integer> out = new ArrayList<>();
        for (int i = s * replicas; i < (s + 1) * replicas; i++) {
            out.add(i);
        }
        return out;
    }

    public String url(int node) {
        return "http://127.0.0.1:" + httpPorts[node];
    }

    public int groupPort(int node) {
        return groupPorts[node];
    }

    public Path log(int node) {
        return logs.resolve("node-" + node + ".log");
    }

    public Path logs() {
        return logs;
    }

    /** Every node's id. */
    public List<Integer> all() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            out.add(i);
        }
        return out;
    }

    /**
     * Waits until every one of {@code ids} answers UP on its health endpoint, telling
     * {@code progress} who is up and, every 5 s, who is still awaited; false after {@code timeout},
     * or at once when one of them exited (the end of its log goes to {@code progress}).
     */
    public boolean awaitHealthy(List<Integer> ids, Duration timeout, Consumer<String> progress) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextNote = System.nanoTime() + 5_000_000_000L;
        List<Integer> waiting = new ArrayList<>(ids);
        while (!waiting.isEmpty()) {
            waiting.removeIf(i -> {
                boolean up = "UP".equals(new KvClient(url(i)).health());
                if (up && ids.size() > 1) {
                    progress.accept("node " + i + " is up and in the group");
                }
                return up;
            });
            for (int i : waiting) {
                if (!process(i).isAlive()) {
                    progress.accept("node " + i + " exited; the end of its log (" + log(i) + "):\n" + tail(log(i)));
                    return false;
                }
            }
            if (waiting.isEmpty() || System.nanoTime() > deadline) {
                return waiting.isEmpty();
            }
            if (System.nanoTime() > nextNote) {
                progress.accept("still waiting for node(s) " + waiting + " (Spring Boot starting in JVMs that share the CPU)");
                nextNote += 5_000_000_000L;
            }
            Thread.sleep(250);
        }
        return true;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e.getMessage() + ")";
        }
    }

    /** Starts node {@code id}: an initial member, or ({@code join}) a node joining the running group. */
    public Process start(int id, boolean join) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-XX:+UseSerialGC", "-Xss512k"));
        String cp = classPath();
        if (cp.endsWith(".jar") && !cp.contains(java.io.File.pathSeparator)) {
            cmd.addAll(List.of("-jar", cp));
        } else {
            cmd.addAll(List.of("-cp", cp, KvStoreApplication.class.getName()));
        }
        cmd.add("--derecho.node-id=" + id);
        cmd.add("--server.port=" + httpPorts[id]);
        cmd.add("--derecho.join=" + join);
        for (int i = 0; i < nodes; i++) {
            cmd.add("--derecho.members[" + i + "].id=" + i);
            cmd.add("--derecho.members[" + i + "].host=127.0.0.1");
            cmd.add("--derecho.members[" + i + "].port=" + groupPorts[i]);
        }
        cmd.add("--derecho.subgroups[0].name=kv");
        for (int s = 0; s < shards(); s++) {
            cmd.add("--derecho.subgroups[0].shards[" + s + "].members=" + String.join(",",
                    shardMembers(s).stream().map(String::valueOf).toList()));
        }
        cmd.addAll(extraArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(id).toFile())).start();
        synchronized (processes) {
            processes.put(id, p);
        }
        return p;
    }

    public Process process(int id) {
        synchronized (processes) {
            return processes.get(id);
        }
    }

    /** Kills node {@code id} at once (SIGKILL: no clean leave, the others must detect the failure). */
    public void kill(int id) throws InterruptedException {
        Process p = process(id);
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Stops every node, one after the other (highest id first): SIGTERM, so each leaves the group
     * cleanly and the rest install a view without it; SIGKILL for one still there after 15 s.
     * Stopping them all at once would have the last ones see their peers vanish mid-leave.
     */
    @Override
    public void close() {
        List<Process> all;
        synchronized (processes) {
            all = new ArrayList<>(processes.values());
            processes.clear();
        }
        java.util.Collections.reverse(all);
        for (Process p : all) {
            p.destroy();
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                all.forEach(Process::destroyForcibly);
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This program's class path (the jar when run with -jar; the test class path under Maven). */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}
