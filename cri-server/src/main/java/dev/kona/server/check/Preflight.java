package dev.kona.server.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kona.linux.mount.MountTable;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.linux.systemd.SystemdManager;
import dev.kona.oci.runc.OciRuntimeEngine;
import dev.kona.server.config.KonaConfig;
import dev.kona.server.config.RuntimeSection;
import dev.kona.server.wiring.HandlerFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code kona check}: whether this host can run Kona with this config, one line per thing looked
 * at. The probes are the daemon's own (cgroup layout, mount_setattr, the systemd connection, the
 * CNI config source and plugin search, the runtime handlers' features), so the check and the
 * daemon cannot disagree. Exit code 0 (all ok), 1 (warnings), 2 (a blocker).
 */
public final class Preflight {

  public static final int EXIT_OK = 0;
  public static final int EXIT_WARN = 1;
  public static final int EXIT_FAIL = 2;

  private final KonaConfig config;
  private final Syscalls sys;

  public Preflight(KonaConfig config, Syscalls sys) {
    this.config = config;
    this.sys = sys;
  }

  public List<CheckResult> run() {
    KernelChecks kernel = new KernelChecks(Path.of("/proc"), sys);
    CgroupChecks cgroups = new CgroupChecks(MountTable.read(), Path.of("/run/systemd/system"), SystemdManager::connect);
    NodeChecks node = new NodeChecks(sys);
    List<CheckResult> results = new ArrayList<>();
    add(results, "kernel", kernel::kernel);
    results.addAll(cgroups.all());
    add(results, "cgroup_driver", () -> cgroups.driver(config.cgroupDriver()));
    add(results, "overlayfs", kernel::overlayfs);
    add(results, "idmapped_mounts", kernel::idmappedMounts);
    add(results, "recursive_read_only", kernel::recursiveReadOnly);
    add(results, "seccomp", kernel::seccomp);
    add(results, "pidfd", kernel::pidfd);
    for (Map.Entry<String, RuntimeSection.Handler> h : config.runtime().handlers().entrySet()) {
      add(results, "runtime_handler", () -> handler(h.getKey(), h.getValue()));
    }
    add(results, "cni", () -> node.cni(config.cni()));
    add(results, "storage", () -> node.storage(config.stateRootPath()));
    config.containersRootPath().ifPresent(c -> add(results, "containers_storage", () -> node.containersStorage(c)));
    add(results, "socket", () -> node.socket(config.socketPath()));
    return results;
  }

  private interface Probe {
    CheckResult run() throws Exception;
  }

  /** A probe that throws is a failure of that line, not of the whole check. */
  private static void add(List<CheckResult> results, String name, Probe probe) {
    try {
      results.add(probe.run());
    } catch (Exception e) {
      results.add(CheckResult.fail(name, "could not check: " + e));
    }
  }

  /** As the daemon's start: a handler whose runtime or conmon is missing makes it exit with code 2. */
  static CheckResult handler(String name, RuntimeSection.Handler handler) {
    String line = "runtime.handlers." + name + " (" + handler.engine() + "): ";
    Path binary = handler.binaryPath();
    if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
      return CheckResult.fail("runtime_handler", line + handler.engine() + " is not installed at " + binary);
    }
    if (!Files.isRegularFile(OciRuntimeEngine.CONMON) || !Files.isExecutable(OciRuntimeEngine.CONMON)) {
      return CheckResult.fail("runtime_handler", line + "conmon is not installed at " + OciRuntimeEngine.CONMON
          + " (Debian package conmon)");
    }
    boolean rro = HandlerFeatures.ociRuntime(name, binary).recursiveReadOnlyMounts();
    return CheckResult.ok("runtime_handler", line + binary + " under " + OciRuntimeEngine.CONMON
        + (rro ? "; recursive read-only mounts" : "; no recursive read-only mounts (no rro in its features)"));
  }

  public static CheckResult.Status worst(List<CheckResult> results) {
    return results.stream().map(CheckResult::status).max(Comparator.naturalOrder()).orElse(CheckResult.Status.OK);
  }

  public static int exitCode(List<CheckResult> results) {
    return switch (worst(results)) {
      case OK -> EXIT_OK;
      case WARN -> EXIT_WARN;
      case FAIL -> EXIT_FAIL;
    };
  }

  /** One line each: status, name, message. */
  public static String text(List<CheckResult> results) {
    StringBuilder out = new StringBuilder();
    int width = results.stream().mapToInt(r -> r.name().length()).max().orElse(0);
    for (CheckResult r : results) {
      out.append(String.format("%-4s  %-" + width + "s  %s%n", r.status().word(), r.name(), r.message()));
    }
    return out.toString();
  }

  /** {@code {"status": "warn", "exit_code": 1, "checks": [{"name", "status", "message"}, …]}}. */
  public static String json(List<CheckResult> results) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("status", worst(results).word());
    root.put("exit_code", exitCode(results));
    ArrayNode checks = root.putArray("checks");
    for (CheckResult r : results) {
      checks.addObject().put("name", r.name()).put("status", r.status().word()).put("message", r.message());
    }
    return root.toPrettyString() + "\n";
  }
}
