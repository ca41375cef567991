package io.derecho.bench.group;

import io.derecho.bench.BenchConfig;
import io.derecho.bench.BenchSystem;
import io.derecho.bench.RunResult;
import io.derecho.bench.launch.MemberArgs;
import io.derecho.bench.launch.Ports;
import io.derecho.bench.launch.ProcessLauncher;
import java.util.ArrayList;
import java.util.List;

/**
 * What every group system of the benchmark shares: members need the 21-byte payload header, get
 * their heap and the user's {@code key=value} options, and learn every member's port; a subclass
 * says which member program to run, with which JVM options and extra arguments.
 */
public abstract class GroupBenchSystem implements BenchSystem {
    private final String name;
    protected final String heap;
    private final List<String> extraMemberArgs;

    protected GroupBenchSystem(String name, String heap, List<String> extraMemberArgs) {
        this.name = name;
        this.heap = heap;
        this.extraMemberArgs = List.copyOf(extraMemberArgs);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public String unsupported(BenchConfig cfg) {
        return cfg.sizeBytes() < Payload.HEADER ? "message size must be >= " + Payload.HEADER + " bytes (header)" : null;
    }

    /** The member program's main class. */
    protected abstract String memberMainClass();

    /** JVM options of every member (besides the heap, which is in {@link #heap}). */
    protected abstract List<String> memberJvmArgs();

    /** System-specific member arguments, once per run (all ranks get the same). */
    protected void addMemberArgs(MemberArgs.Builder b) {
    }

    /** If non-null, rank 0 starts alone first and the others once it printed this event. */
    protected String startFirstEvent() {
        return null;
    }

    @Override
    public final RunResult run(BenchConfig cfg, ProcessLauncher launcher) throws Exception {
        String why = unsupported(cfg);
        if (why != null) {
            return RunResult.failed(name, cfg, why);
        }
        List<Integer> ports = Ports.freeTcpPorts(cfg.nodes());
        List<String> jvm = new ArrayList<>(memberJvmArgs());
        return GroupRun.run(new GroupRun.Spec(name, cfg, memberMainClass(), jvm, (rank, b) -> {
            b.putInts("ports", ports);
            addMemberArgs(b);
            b.putKeyValues(extraMemberArgs);
        }, startFirstEvent()), launcher);
    }
}
