package io.derecho.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A private network for member processes, made of Linux network namespaces: one namespace per
 * member, each with {@code lo} and an {@code eth0} holding {@code 10.213.<run>.<i+1>/24}, all
 * wired by veth pairs to a bridge in one more namespace. Nothing is added to the caller's own
 * namespace: addresses, links and firewall rules all live in the namespaces made here, and
 * {@link #close()} deletes those namespaces, which takes everything in them away.
 *
 * <p>{@link #partition} cuts two sides apart with iptables DROP rules inside the members'
 * namespaces, in both directions, so TCP connections stay open but carry nothing: to the members
 * it looks like silence, not like a failure.
 *
 * <p>Needs root and the {@code ip} (iproute2) and {@code iptables} commands; {@link #unavailableReason()}
 * says why not when they are missing or namespaces are forbidden (a container without
 * {@code CAP_SYS_ADMIN}, say).
 */
public final class NamespaceNetwork implements AutoCloseable {
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final long COMMAND_TIMEOUT_SECONDS = 20;

    private final String name;
    private final int subnet;
    private final int members;
    private final List<String> namespaces = new ArrayList<>();

    private NamespaceNetwork(int members) {
        long pid = ProcessHandle.current().pid();
        int run = RUNS.incrementAndGet();
        this.name = "drch" + pid + "r" + run;
        this.subnet = (int) ((pid * 31 + run) % 250) + 1;
        this.members = members;
    }

    /**
     * Why this machine cannot run namespace tests (not root, a command missing, {@code ip netns add}
     * or iptables refused, with the command's own error), or null when it can.
     */
    public static String unavailableReason() {
        try {
            String uid = run(List.of("id", "-u"), null).trim();
            if (!uid.equals("0")) {
                return "not root (uid " + uid + ")";
            }
        } catch (IOException | InterruptedException e) {
            return "cannot tell the user id: " + e.getMessage();
        }
        for (String command : List.of("ip", "iptables", "iptables-restore")) {
            if (onPath(command) == null) {
                return "no '" + command + "' command on PATH";
            }
        }
        String probe = "drch" + ProcessHandle.current().pid() + "probe" + RUNS.incrementAndGet();
        try {
            run(List.of("ip", "netns", "add", probe), null);
        } catch (IOException | InterruptedException e) {
            return "'ip netns add' failed: " + e.getMessage();
        }
        try {
            run(List.of("ip", "netns", "exec", probe, "iptables", "-S"), null);
            return null;
        } catch (IOException | InterruptedException e) {
            return "iptables does not work in a network namespace: " + e.getMessage();
        } finally {
            try {
                run(List.of("ip", "netns", "delete", probe), null);
            } catch (IOException | InterruptedException e) {
                // reported by the test's own namespaces if it persists
            }
        }
    }

    /** Creates the namespaces, the bridge and the links; undoes what it made if a step fails. */
    public static NamespaceNetwork create(int members) throws IOException, InterruptedException {
        NamespaceNetwork net = new NamespaceNetwork(members);
        try {
            net.build();
            return net;
        } catch (IOException | InterruptedException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    private void build() throws IOException, InterruptedException {
        String bridge = name + "br";
        addNamespace(bridge);
        ip("-n", bridge, "link", "set", "lo", "up");
        ip("-n", bridge, "link", "add", "br0", "type", "bridge");
        ip("-n", bridge, "link", "set", "br0", "up");
        for (int i = 0; i < members; i++) {
            String ns = namespace(i);
            addNamespace(ns);
            ip("-n", ns, "link", "set", "lo", "up");
            // Made directly inside the two namespaces: the caller's namespace never sees these links.
            ip("link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", "p" + i, "netns", bridge);
            ip("-n", bridge, "link", "set", "p" + i, "master", "br0");
            ip("-n", bridge, "link", "set", "p" + i, "up");
            ip("-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
        }
    }

    private void addNamespace(String ns) throws IOException, InterruptedException {
        ip("netns", "add", ns);
        namespaces.add(ns);
    }

    /** Member {@code i}'s address, reachable only from the other members' namespaces. */
    public String address(int i) {
        return "10.213." + subnet + "." + (i + 1);
    }

    public String namespace(int i) {
        return name + "m" + i;
    }

    /** The command prefix that runs a program inside member {@code i}'s namespace (it execs, keeping the pid). */
    public List<String> exec(int i) {
        return List.of("ip", "netns", "exec", namespace(i));
    }

    /** Drops every packet between the members of {@code a} and those of {@code b}, both ways, at both ends. */
    public void partition(List<Integer> a, List<Integer> b) throws IOException, InterruptedException {
        dropFrom(a, b);
        dropFrom(b, a);
    }

    private void dropFrom(List<Integer> side, List<Integer> others) throws IOException, InterruptedException {
        for (int m : side) {
            StringBuilder rules = new StringBuilder("*filter\n");
            for (int o : others) {
                rules.append("-A INPUT -s ").append(address(o)).append(" -j DROP\n");
                rules.append("-A OUTPUT -d ").append(address(o)).append(" -j DROP\n");
            }
            rules.append("COMMIT\n");
            // One iptables-restore per namespace: its rules take effect together.
            run(List.of("ip", "netns", "exec", namespace(m), "iptables-restore", "--noflush"), rules.toString());
        }
    }

    /** Deletes every namespace made here (links, addresses and rules go with them). Processes must be gone first. */
    @Override
    public void close() throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        List<String> reversed = new ArrayList<>(namespaces);
        Collections.reverse(reversed);
        for (String ns : reversed) {
            try {
                ip("netns", "delete", ns);
                namespaces.remove(ns);
            } catch (IOException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IOException("could not delete network namespaces: " + failures);
        }
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        run(cmd, null);
    }

    /** Runs a command to completion (bounded), returning its output; fails with the output when it fails. */
    private static String run(List<String> cmd, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException(String.join(" ", cmd) + ": no answer in " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out.trim());
            }
            return out;
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static Path onPath(String command) {
        String path = System.getenv("PATH");
        for (String d : (path == null ? "" : path).split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
                return Path.of(d, command);
            }
        }
        return null;
    }
}
