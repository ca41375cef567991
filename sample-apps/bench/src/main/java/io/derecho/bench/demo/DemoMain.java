package io.derecho.bench.demo;

import java.io.BufferedReader;
import io.derecho.bench.launch.Ports;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The newcomer's demo: starts a local group of member processes on loopback (3 by default), each
 * multicasting in one ORDERED shard, streams what they print, and ends with a summary that says
 * whether every member delivered the same messages in the same order. Every process it started is
 * stopped at the end, on error, and on Ctrl-C.
 *
 * <p>Arguments (all optional): {@code --nodes N --seconds S --size BYTES}.
 */
public final class DemoMain {

    public static void main(String[] args) throws Exception {
        int nodes = 3;
        int seconds = 10;
        int size = 1024;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--size" -> size = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (use --nodes, --seconds, --size)");
            }
        }
        Path dir = Files.createTempDirectory("derecho-demo");
        Path config = dir.resolve("group.yaml");
        Files.writeString(config, groupYaml(nodes, Ports.freeTcpPorts(nodes).stream().mapToInt(Integer::intValue).toArray()));
        System.out.printf("Derecho demo: %d member processes on loopback, one ORDERED shard, every member sends %d-byte messages for %d s.%n",
                nodes, size, seconds);
        System.out.println("Group configuration: " + config);

        List<Process> members = new ArrayList<>();
        Thread cleanup = new Thread(() -> members.forEach(DemoMain::stop));
        Runtime.getRuntime().addShutdownHook(cleanup);
        Map<Integer, String> finals = new ConcurrentHashMap<>();
        List<Thread> pumps = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int nodesTotal = nodes;
        for (int id = 0; id < nodes; id++) {
            Process p = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseParallelGC",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.showThreadName=false",
                    "-Dorg.slf4j.simpleLogger.showLogName=false", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), DemoMember.class.getName(),
                    config.toString(), String.valueOf(id), String.valueOf(seconds), String.valueOf(size))
                    .redirectErrorStream(true).start();
            members.add(p);
            System.out.printf("started node %d (pid %d)%n", id, p.pid());
            int node = id;
            pumps.add(Thread.ofPlatform().start(() -> pump(node, p, finals, nodesTotal)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 90L);
        while (finals.size() < nodes && System.nanoTime() < deadline && members.stream().allMatch(Process::isAlive)) {
            Thread.sleep(100);
        }
        members.forEach(DemoMain::stop);
        for (Thread t : pumps) {
            t.join(5000);
        }
        Runtime.getRuntime().removeShutdownHook(cleanup);
        summarize(nodes, finals);
    }

    private static void summarize(int nodes, Map<Integer, String> finals) {
        System.out.println();
        System.out.println("Summary");
        finals.values().stream().sorted().forEach(l -> System.out.println("  " + l));
        long checksums = finals.values().stream().map(l -> l.replaceAll(".*checksum=(\\S+).*", "$1")).distinct().count();
        long counts = finals.values().stream().map(l -> l.replaceAll(".*delivered=(\\d+).*", "$1")).distinct().count();
        boolean complete = finals.values().stream().allMatch(l -> l.endsWith("complete=true"));
        if (finals.size() == nodes && checksums == 1 && counts == 1 && complete) {
            System.out.println("OK: all " + nodes + " members delivered the same messages in the same total order.");
        } else {
            System.out.println("PROBLEM: " + finals.size() + " of " + nodes + " members finished; "
                    + checksums + " distinct checksums, " + counts + " distinct counts.");
            System.exit(1);
        }
    }

    /** Echoes a member's output until every member has finished (then the shutdown chatter is noise). */
    private static void pump(int node, Process p, Map<Integer, String> finals, int nodes) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("WARNING:") || finals.size() == nodes) {
                    continue;
                }
                if (line.startsWith("FINAL ")) {
                    finals.put(node, line.substring(6));
                }
                System.out.println("[node " + node + "] " + line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static void stop(Process p) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static String groupYaml(int nodes, int[] ports) {
        StringBuilder y = new StringBuilder("group: demo\nmembers:\n");
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < nodes; i++) {
            y.append("  - {id: ").append(i).append(", host: 127.0.0.1, port: ").append(ports[i]).append("}\n");
            ids.append(i == 0 ? "" : ", ").append(i);
        }
        y.append("subgroups:\n  - name: demo\n    shards:\n      - members: [").append(ids).append("]\n");
        return y.toString();
    }
}
