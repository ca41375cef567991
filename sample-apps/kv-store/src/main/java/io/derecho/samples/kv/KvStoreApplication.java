package io.derecho.samples.kv;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The key-value service. {@code java -jar kv-store.jar [--derecho.node-id=N ...]} runs one node;
 * {@code demo} runs a local cluster of them and shows it at work; {@code workload} drives a running
 * cluster over HTTP; {@code bench} measures the REST API and the bean proxy's cost.
 */
@SpringBootApplication
public class KvStoreApplication {

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 && !args[0].startsWith("-") ? args[0] : "node";
        String[] rest = command.equals("node") ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "node" -> SpringApplication.run(KvStoreApplication.class, rest);
            case "demo" -> System.exit(ClusterDemo.run(rest));
            case "workload" -> System.exit(Workload.main(rest));
            case "bench" -> System.exit(KvBench.main(rest));
            default -> {
                System.err.println("unknown command '" + command + "': use node (default), demo, workload or bench");
                System.exit(2);
            }
        }
    }
}
