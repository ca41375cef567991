package io.derecho.bench.viewchange;

import io.derecho.bench.launch.Ports;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How long a crash costs: for each group size, several runs of "n members multicasting, kill -9
 * of one, wait for every survivor to install the next view". Prints per size the median and the
 * maximum of (a) kill to the new view installed on every survivor and (b) the delivery gap, the
 * longest time a survivor went from its last delivery in the old view to its first in the new one.
 *
 * <p>{@code derecho-bench viewchange [--nodes 3,5] [--runs 5]}
 */
public final class ViewChangeBench {

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(3, 5);
        int runs = 5;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--nodes" -> sizes = java.util.Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (use --nodes, --runs)");
            }
        }
        System.out.println("view change after kill -9 (default settings: heartbeat 100 ms, suspicion after 2 s)");
        System.out.printf("%-6s %-5s %22s %22s%n", "nodes", "runs", "kill->view p50/max ms", "delivery gap p50/max ms");
        for (int n : sizes) {
            List<Double> installs = new ArrayList<>();
            List<Double> gaps = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                System.err.printf("[nodes=%d run %d/%d]%n", n, run, runs);
                double[] r = runOnce(n);
                installs.add(r[0]);
                gaps.add(r[1]);
            }
            System.out.printf(Locale.ROOT, "%-6d %-5d %13.1f / %6.1f %13.1f / %6.1f%n", n, runs, median(installs),
                    max(installs), median(gaps), max(gaps));
        }
    }

    private static double[] runOnce(int n) throws Exception {
        Path dir = Files.createTempDirectory("derecho-viewchange");
        List<Integer> ports = Ports.freeTcpPorts(n);
        StringBuilder yaml = new StringBuilder("group: viewchange\nmembers:\n");
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < n; i++) {
            yaml.append("  - {id: ").append(i).append(", host: 127.0.0.1, port: ").append(ports.get(i)).append("}\n");
            ids.append(i == 0 ? "" : ", ").append(i);
        }
        yaml.append("subgroups:\n  - name: all\n    shards:\n      - members: [").append(ids).append("]\n");
        Path config = Files.writeString(dir.resolve("group.yaml"), yaml);
        List<Process> members = new ArrayList<>();
        Map<Integer, String> results = new ConcurrentHashMap<>();
        Map<Integer, Boolean> ready = new ConcurrentHashMap<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            for (int i = 0; i < n; i++) {
                Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                        ViewChangeMember.class.getName(), config.toString(), String.valueOf(i))
                        .redirectError(dir.resolve("member-" + i + ".err").toFile()).start();
                members.add(p);
                int id = i;
                Thread.ofPlatform().daemon().start(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            if (line.equals("READY")) {
                                ready.put(id, true);
                            } else if (line.startsWith("RESULT ")) {
                                results.put(id, line);
                            }
                        }
                    } catch (java.io.IOException e) {
                        // ended
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (ready.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            int victim = n - 1;
            long killedAt = System.nanoTime();
            members.get(victim).destroyForcibly();
            while (results.size() < n - 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (results.size() < n - 1) {
                throw new IllegalStateException("survivors did not report within the deadline; logs in " + dir);
            }
            double install = 0;
            double gap = 0;
            for (String line : results.values()) {
                long installed = field(line, "installed");
                install = Math.max(install, (installed - killedAt) / 1e6);
                gap = Math.max(gap, (field(line, "firstNew") - field(line, "lastOld")) / 1e6);
            }
            return new double[] {install, gap};
        } finally {
            for (Process p : members) {
                p.destroyForcibly();
            }
            for (Process p : members) {
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static long field(String line, String name) {
        int i = line.indexOf(name + "=") + name.length() + 1;
        int j = line.indexOf(' ', i);
        return Long.parseLong(j < 0 ? line.substring(i) : line.substring(i, j));
    }

    private static double median(List<Double> v) {
        List<Double> s = v.stream().sorted().toList();
        return s.get(s.size() / 2);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
