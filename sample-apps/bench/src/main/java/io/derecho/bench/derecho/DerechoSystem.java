package io.derecho.bench.derecho;

import io.derecho.bench.BenchConfig;
import io.derecho.bench.BenchSystem;
import io.derecho.bench.RunResult;
import io.derecho.bench.group.GroupRun;
import io.derecho.bench.group.Payload;
import io.derecho.bench.launch.Ports;
import io.derecho.bench.launch.ProcessLauncher;
import java.util.ArrayList;
import java.util.List;

/** Derecho's ordered (or unordered) multicast, members as separate processes on loopback. */
public final class DerechoSystem implements BenchSystem {
    public static final String NAME = "derecho";

    private final String heap;
    private final List<String> extraMemberArgs;

    public DerechoSystem() {
        this("1g", List.of());
    }

    /** @param extraMemberArgs {@code key=value} member arguments such as {@code dr.window=512} */
    public DerechoSystem(String heap, List<String> extraMemberArgs) {
        this.heap = heap;
        this.extraMemberArgs = List.copyOf(extraMemberArgs);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unsupported(BenchConfig cfg) {
        return cfg.sizeBytes() < Payload.HEADER ? "message size must be >= " + Payload.HEADER + " bytes (header)" : null;
    }

    @Override
    public RunResult run(BenchConfig cfg, ProcessLauncher launcher) throws Exception {
        String why = unsupported(cfg);
        if (why != null) {
            return RunResult.failed(NAME, cfg, why);
        }
        List<Integer> ports = Ports.freeTcpPorts(cfg.nodes());
        List<String> jvm = new ArrayList<>(List.of("-Xms256m", "-Xmx" + heap, "-XX:+UseParallelGC",
                "-XX:+ExitOnOutOfMemoryError", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "--enable-native-access=ALL-UNNAMED"));
        // Extra member JVM options, e.g. -Dderecho.bench.memberJvmArgs=-XX:StartFlightRecording=filename=m.jfr
        String extra = System.getProperty("derecho.bench.memberJvmArgs", "");
        if (!extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        return GroupRun.run(new GroupRun.Spec(NAME, cfg, DerechoMember.class.getName(), jvm, (rank, b) -> {
            b.putInts("ports", ports);
            b.putKeyValues(extraMemberArgs);
        }, null), launcher);
    }
}
