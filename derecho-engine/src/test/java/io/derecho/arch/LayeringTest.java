package io.derecho.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layer rules of the engine: dependencies point down the stack, and the protocol core (SST,
 * multicast) reads no clock, starts no thread, opens no socket and draws no unseeded randomness,
 * so the simulator can drive it.
 */
class LayeringTest {
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.derecho");

    @Test
    void dependenciesPointDownTheLayerStack() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("config").definedBy("io.derecho.config..")
                .layer("fabric").definedBy("io.derecho.fabric")
                .layer("tcp").definedBy("io.derecho.fabric.tcp..")
                .layer("sst").definedBy("io.derecho.sst..")
                .layer("multicast").definedBy("io.derecho.multicast..")
                .layer("layout").definedBy("io.derecho.layout..")
                .layer("membership").definedBy("io.derecho.membership..")
                .layer("sim").definedBy("io.derecho.sim..")
                .layer("runtime").definedBy("io.derecho.runtime..")
                .layer("codec").definedBy("io.derecho.codec..")
                .layer("object").definedBy("io.derecho.object..")
                .whereLayer("object").mayNotBeAccessedByAnyLayer()
                .whereLayer("codec").mayOnlyBeAccessedByLayers("object")
                .whereLayer("runtime").mayOnlyBeAccessedByLayers("object")
                .whereLayer("sim").mayNotBeAccessedByAnyLayer()
                .whereLayer("tcp").mayOnlyBeAccessedByLayers("runtime")
                .whereLayer("membership").mayOnlyBeAccessedByLayers("runtime", "object")
                .whereLayer("layout").mayOnlyBeAccessedByLayers("membership", "runtime", "object")
                .whereLayer("multicast").mayOnlyBeAccessedByLayers("layout", "membership", "runtime", "sim", "object")
                .whereLayer("sst").mayOnlyBeAccessedByLayers("multicast", "membership", "runtime", "sim")
                .check(ENGINE);
    }

    @Test
    void protocolCoreHasNoClockThreadsSocketsOrUnseededRandomness() {
        noClasses().that().resideInAnyPackage("io.derecho.sst..", "io.derecho.multicast..", "io.derecho.membership..",
                        "io.derecho.sim..")
                .should().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .orShould().callConstructor(java.util.Random.class)
                .orShould().callConstructor(Thread.class, Runnable.class)
                .orShould().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..", "io.netty..")
                .check(ENGINE);
    }
}
