package dev.kona.engine.plan;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.oci.spec.Linux;
import dev.kona.oci.spec.Process;
import dev.kona.oci.spec.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An exec's {@link LaunchPlan}: every namespace of the running container (through
 * /proc/&lt;pid&gt;/ns), its cgroups, user, environment, working directory, rlimits and security settings,
 * with the exec's own arguments, extra environment and terminal. With a terminal, {@code TERM=xterm}
 * unless the container's or the exec's environment sets TERM.
 */
public final class ExecPlanner {
  static final String TERM = "TERM=xterm";

  private final ContainerPlanner container;

  public ExecPlanner(ContainerPlanner container) {
    this.container = container;
  }

  public LaunchPlan plan(Spec spec, int containerPid, List<Path> cgroupProcs, List<String> args, List<String> env,
      boolean tty, boolean stdin) {
    try {
      Process process = spec.process();
      Linux linux = spec.linux();
      List<NamespaceEntry> namespaces = new ArrayList<>();
      List<String> types = new ArrayList<>(List.of("cgroup", "ipc", "uts", "net", "pid", "mnt"));
      if (linux != null && linux.namespace(dev.kona.oci.spec.LinuxNamespace.USER) != null) {
        types.add("user"); // the helper joins it first, then the others, which it owns
      }
      for (String type : types) {
        namespaces.add(NamespaceEntry.join(type, Path.of("/proc", Integer.toString(containerPid), "ns", type)));
      }
      List<String> allEnv = execEnv(process.env(), env, tty);
      return new LaunchPlan(namespaces, cgroupProcs, null, null, java.util.Map.of(),
          ContainerPlanner.rlimits(process.rlimits()), process.oomScoreAdj(),
          container.security(process, linux == null ? new Linux(null, null, null, null, null, null, null, null, null, null, null, null) : linux),
          ContainerPlanner.identity(process.user()),
          new LaunchPlan.ProcessSpec(args, allEnv, process.cwd()),
          new LaunchPlan.Stdio(tty, stdin, stdin, null, 0), null, false);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("plan exec in container pid " + containerPid + ": " + e.getMessage(), e);
    }
  }

  /**
   * An exec's environment on any engine: the container's, the exec's entries replacing those of the
   * same name, and with a terminal {@code TERM=xterm} unless either sets TERM (as containerd and
   * CRI-O give a terminal exec).
   */
  public static List<String> execEnv(List<String> container, List<String> exec, boolean tty) {
    List<String> all = mergeEnv(container, exec);
    if (tty && all.stream().noneMatch(e -> name(e).equals("TERM"))) {
      all.add(TERM);
    }
    return all;
  }

  /** The container's environment with the exec's entries replacing those of the same name. */
  static List<String> mergeEnv(List<String> base, List<String> extra) {
    java.util.LinkedHashMap<String, String> byName = new java.util.LinkedHashMap<>();
    for (String entry : base) {
      byName.put(name(entry), entry);
    }
    for (String entry : extra) {
      byName.put(name(entry), entry);
    }
    return new ArrayList<>(byName.values());
  }

  private static String name(String entry) {
    int eq = entry.indexOf('=');
    return eq < 0 ? entry : entry.substring(0, eq);
  }
}
