package io.derecho.bench.derecho;

import io.derecho.bench.group.GroupBenchSystem;
import java.util.ArrayList;
import java.util.List;

/** Derecho's ordered (or unordered) multicast, members as separate processes on loopback. */
public final class DerechoSystem extends GroupBenchSystem {
    public static final String NAME = "derecho";

    public DerechoSystem() {
        this("1g", List.of());
    }

    /** @param extraMemberArgs {@code key=value} member arguments such as {@code dr.window=512} */
    public DerechoSystem(String heap, List<String> extraMemberArgs) {
        super(NAME, heap, extraMemberArgs);
    }

    @Override
    protected String memberMainClass() {
        return DerechoMember.class.getName();
    }

    @Override
    protected List<String> memberJvmArgs() {
        List<String> jvm = new ArrayList<>(List.of("-Xms256m", "-Xmx" + heap, "-XX:+UseParallelGC",
                "-XX:+ExitOnOutOfMemoryError", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "--enable-native-access=ALL-UNNAMED"));
        // Extra member JVM options, e.g. -Dderecho.bench.memberJvmArgs=-XX:StartFlightRecording=filename=m.jfr
        String extra = System.getProperty("derecho.bench.memberJvmArgs", "");
        if (!extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        return jvm;
    }
}
