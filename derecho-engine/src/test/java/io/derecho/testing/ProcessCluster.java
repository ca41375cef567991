package io.derecho.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts member processes ({@code java -cp <test class path> mainClass args}) and cleans every one
 * of them up, by pid, on {@link #close()}. Each member's output goes to a log file in the run
 * directory, which is left under {@code target/} for a failing test to be diagnosed.
 */
public final class ProcessCluster implements AutoCloseable {
    private final Path dir;
    private final Map<Integer, Process> processes = new TreeMap<>();

    public ProcessCluster(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public Path dir() {
        return dir;
    }

    public static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Picks {@code n} currently free loopback ports. */
    public static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
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

    public Process start(int id, String mainClass, String heap, String... args) throws IOException {
        return start(id, List.of(), mainClass, heap, args);
    }

    /**
     * As {@link #start(int, String, String, String...)}, with {@code java} run by a command prefix
     * that execs it (such as {@code ip netns exec <ns>}), so the process's pid is still the JVM's.
     */
    public Process start(int id, List<String> prefix, String mainClass, String heap, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(javaBinary(), "-Xmx" + heap, "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED",
                "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", testClassPath(), mainClass));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("member-" + id + ".log").toFile()).start();
        processes.put(id, p);
        return p;
    }

    public Process process(int id) {
        return processes.get(id);
    }

    /** Kills member {@code id} with SIGKILL and waits for it to be gone. */
    public void kill(int id) throws InterruptedException {
        Process p = processes.get(id);
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Sends a signal by name ({@code STOP}, {@code CONT}, ...) to member {@code id}, with the
     * {@code kill} command since Java has no API for signals other than TERM and KILL.
     */
    public void signal(int id, String signal) throws IOException, InterruptedException {
        Process p = processes.get(id);
        if (p == null) {
            throw new IllegalArgumentException("no member " + id + " was started");
        }
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
            throw new IOException("kill -" + signal + " " + p.pid() + " did not finish in 10 s");
        }
        if (kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + p.pid() + " failed: " + new String(kill.getInputStream().readAllBytes()));
        }
    }

    public String log(int id) {
        try {
            return Files.readString(dir.resolve("member-" + id + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        for (Process p : processes.values()) {
            p.destroy();
        }
        for (Process p : processes.values()) {
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
    }
}
