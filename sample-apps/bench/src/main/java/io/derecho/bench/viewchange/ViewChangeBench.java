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
 * How long a crash and a join cost: for each group size, several runs of "n members multicasting,
 * kill -9 of one, wait for every survivor to install the next view", and several of "n members
 * multicasting, a new process joins". Prints per size the median and the maximum of: kill to the new
 * view installed on every survivor; the join time, from the joiner's first join request to its first
 * delivery (it has its view and its state by then), and from its {@code start()} call (which adds
 * the new process's cold code: binding, class loading, the interpreter); and the delivery gap, the
 * longest time a member went from its last delivery in the old view to its first in the new one.
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
        List<String> table = new ArrayList<>();
        for (int n : sizes) {
            for (boolean join : new boolean[] {false, true}) {
                List<Double> times = new ArrayList<>();
                List<Double> gaps = new ArrayList<>();
                for (int run = 1; run <= runs; run++) {
                    System.err.printf("[nodes=%d %s run %d/%d]%n", n, join ? "join" : "kill -9", run, runs);
                    double[] r = join ? joinOnce(n) : runOnce(n);
                    times.add(r[0]);
                    gaps.add(r[1]);
                }
                table.add(String.format(Locale.ROOT, "%-6d %-22s %-5d %13.1f / %6.1f %13.1f / %6.1f", n,
                        join ? "join: request->first" : "kill -9: kill->view", runs, median(times), max(times),
                        median(gaps), max(gaps)));
                if (join) {
                    table.add(String.format(Locale.ROOT, "%-6d %-22s %-5d %13.1f / %6.1f", n, "join: start()->first",
                            runs, median(startToFirst), max(startToFirst)));
                    startToFirst.clear();
                }
            }
        }
        System.out.println("view changes (default settings: heartbeat 100 ms, suspicion after 2 s)");
        System.out.printf("%-6s %-22s %-5s %22s %22s%n", "nodes", "event", "runs", "time p50/max ms", "delivery gap p50/max ms");
        table.forEach(System.out::println);
    }

    /** For joins: from the joiner's start() (its cold code included) to its first delivery, per run of the current size. */
    private static final List<Double> startToFirst = new ArrayList<>();

    /** n members multicasting; a new process joins: {join request to first delivery, longest delivery gap at a member}. */
    private static double[] joinOnce(int n) throws Exception {
        Path dir = Files.createTempDirectory("derecho-join");
        List<Integer> ports = Ports.freeTcpPorts(n + 1);
        Path config = writeConfig(dir, ports.subList(0, n));
        Map<Integer, String> results = new ConcurrentHashMap<>();
        Map<Integer, Boolean> ready = new ConcurrentHashMap<>();
        List<Process> members = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                members.add(launch(dir, config, i, results, ready, "dynamic"));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (ready.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            members.add(launch(dir, config, n, results, ready, "join", String.valueOf(ports.get(n))));
            while (results.size() < n + 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (results.size() < n + 1) {
                throw new IllegalStateException("members did not report within the deadline; logs in " + dir);
            }
            String joiner = results.get(n);
            double join = (field(joiner, "firstDelivery") - field(joiner, "requested")) / 1e6;
            startToFirst.add((field(joiner, "firstDelivery") - field(joiner, "asked")) / 1e6);
            double gap = 0;
            for (int i = 0; i < n; i++) {
                String line = results.get(i);
                gap = Math.max(gap, (field(line, "firstNew") - field(line, "lastOld")) / 1e6);
            }
            return new double[] {join, gap};
        } finally {
            stopAll(members);
        }
    }

    private static Path writeConfig(Path dir, List<Integer> ports) throws java.io.IOException {
        StringBuilder yaml = new StringBuilder("group: viewchange\nmembers:\n");
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < ports.size(); i++) {
            yaml.append("  - {id: ").append(i).append(", host: 127.0.0.1, port: ").append(ports.get(i)).append("}\n");
            ids.append(i == 0 ? "" : ", ").append(i);
        }
        yaml.append("subgroups:\n  - name: all\n    shards:\n      - members: [").append(ids).append("]\n");
        return Files.writeString(dir.resolve("group.yaml"), yaml);
    }

    /** Starts member {@code id} as a process whose READY and RESULT lines land in the maps. */
    private static Process launch(Path dir, Path config, int id, Map<Integer, String> results, Map<Integer, Boolean> ready,
                                  String... extra) throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                ViewChangeMember.class.getName(), config.toString(), String.valueOf(id)));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("member-" + id + ".err").toFile()).start();
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
        return p;
    }

    private static void stopAll(List<Process> members) throws InterruptedException {
        for (Process p : members) {
            p.destroyForcibly();
        }
        for (Process p : members) {
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** n members multicasting; kill -9 of one: {kill to view installed everywhere, longest delivery gap}. */
    private static double[] runOnce(int n) throws Exception {
        Path dir = Files.createTempDirectory("derecho-viewchange");
        Path config = writeConfig(dir, Ports.freeTcpPorts(n));
        List<Process> members = new ArrayList<>();
        Map<Integer, String> results = new ConcurrentHashMap<>();
        Map<Integer, Boolean> ready = new ConcurrentHashMap<>();
        try {
            for (int i = 0; i < n; i++) {
                members.add(launch(dir, config, i, results, ready));
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
                install = Math.max(install, (field(line, "installed") - killedAt) / 1e6);
                gap = Math.max(gap, (field(line, "firstNew") - field(line, "lastOld")) / 1e6);
            }
            return new double[] {install, gap};
        } finally {
            stopAll(members);
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
