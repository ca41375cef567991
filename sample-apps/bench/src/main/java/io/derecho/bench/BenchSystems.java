package io.derecho.bench;

import io.derecho.bench.jgroups.JGroupsSystem;
import io.derecho.bench.tcp.TcpPumpSystem;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry of systems the driver can run, by name. */
public final class BenchSystems {

  public static final String DERECHO = "derecho";

  // ======================================================================================
  // DERECHO SYSTEM REGISTRATION
  //
  // The Derecho system is registered here under the name "derecho". It is looked up by class
  // name so that this module builds before the class exists: create
  //     io.derecho.bench.derecho.DerechoSystem implements BenchSystem
  // with one of these public constructors (tried in this order):
  //     (BenchSystems.Options)                 all driver options
  //     (String heap, List<String> memberArgs) member -Xmx and the --derecho-opt KEY=VALUE list
  //     ()
  // and it is picked up automatically. Until then "derecho" is skipped with a note. To register
  // it directly instead, replace the body of loadDerecho() with `new DerechoSystem(...)`.
  // ======================================================================================
  public static final String DERECHO_SYSTEM_CLASS = "io.derecho.bench.derecho.DerechoSystem";

  /**
   * Options shared by systems.
   *
   * @param memberHeap -Xmx of group member JVMs, e.g. {@code 1g}
   * @param jgroupsArgs extra JGroups member arguments ({@code key=value})
   * @param derechoArgs extra Derecho member arguments ({@code key=value})
   * @param tcpSocketBuffer TCP pump socket buffer size (0 = OS default)
   */
  public record Options(
      String memberHeap, List<String> jgroupsArgs, List<String> derechoArgs, int tcpSocketBuffer) {
    public Options {
      jgroupsArgs = List.copyOf(jgroupsArgs);
      derechoArgs = List.copyOf(derechoArgs);
    }

    public static Options defaults() {
      return new Options("1g", List.of(), List.of(), 0);
    }
  }

  private BenchSystems() {}

  /** All available systems, in display order (derecho first when present). */
  public static Map<String, BenchSystem> registry(Options o) {
    Map<String, BenchSystem> m = new LinkedHashMap<>();
    loadDerecho(o).ifPresent(d -> m.put(DERECHO, d));
    m.put(JGroupsSystem.NAME, new JGroupsSystem(o.memberHeap(), o.jgroupsArgs()));
    m.put(TcpPumpSystem.NAME, new TcpPumpSystem(o.tcpSocketBuffer()));
    return m;
  }

  /** The Derecho system if its class is on the classpath. */
  public static Optional<BenchSystem> loadDerecho(Options o) {
    Class<?> c;
    try {
      c = Class.forName(DERECHO_SYSTEM_CLASS);
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
    try {
      try {
        return Optional.of((BenchSystem) c.getConstructor(Options.class).newInstance(o));
      } catch (NoSuchMethodException e) {
        // next
      }
      try {
        return Optional.of((BenchSystem) c.getConstructor(String.class, List.class)
            .newInstance(o.memberHeap(), o.derechoArgs()));
      } catch (NoSuchMethodException e) {
        // next
      }
      return Optional.of((BenchSystem) c.getConstructor().newInstance());
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
        | InvocationTargetException | ClassCastException e) {
      throw new IllegalStateException("cannot instantiate " + DERECHO_SYSTEM_CLASS, e);
    }
  }
}
