package dev.kona.server.wiring;

import dev.kona.engine.CgroupPlacement;
import dev.kona.engine.ContainerEngine;
import dev.kona.engine.ManagedCgroups;
import dev.kona.engine.NativeEngine;
import dev.kona.engine.RunRoot;
import dev.kona.engine.ShimBinary;
import dev.kona.engine.SystemdCgroups;
import dev.kona.engine.plan.ContainerPlanner;
import dev.kona.engine.plan.HostFacts;
import dev.kona.engine.plan.SeccompCompiler;
import dev.kona.linux.cgroup.CgroupDriver;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.linux.seccomp.SeccompProfileCompiler;
import dev.kona.linux.seccomp.SeccompProgram;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.systemd.SystemdManager;
import dev.kona.oci.runc.OciRuntime;
import dev.kona.oci.runc.OciRuntimeEngine;
import dev.kona.oci.runc.RunscEngine;
import dev.kona.runtime.RuntimeHandlers;
import dev.kona.server.config.ConfigException;
import dev.kona.server.config.KonaConfig;
import dev.kona.server.config.RuntimeSection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the container engines from the config: Kona's native engine is the default handler; each
 * {@code [runtime.handlers.<name>]} adds runc, crun or runsc (gVisor) under conmon, with its state in
 * {@code <run_root>/handlers/<name>}.
 */
public final class Engines {

  /** The CRI's longest log line before it is split into partial entries, as containerd's default. */
  static final int MAX_LOG_LINE = 16 * 1024;

  private Engines() {}

  /**
   * Kona's engine. {@code systemd} is the connection for the systemd cgroup driver (containers in
   * transient scopes, {@link SystemdCgroups}); null for cgroupfs.
   */
  public static NativeEngine nativeEngine(KonaConfig config, HostFacts host, SystemdManager systemd) {
    RunRoot root = new RunRoot(config.runRootPath().resolve("engine"));
    SeccompProfileCompiler compiler = new SeccompProfileCompiler(LinuxSyscalls.get());
    SeccompCompiler seccomp = profile -> {
      SeccompProgram program = compiler.compile(profile);
      return new SeccompCompiler.Filter(program.bpf(), program.flags());
    };
    CgroupDriver driver = switch (config.cgroupDriver()) {
      case CGROUPFS -> CgroupDriver.CGROUPFS;
      case SYSTEMD -> CgroupDriver.SYSTEMD;
    };
    Path shim = ShimBinary.install(root.bin());
    CgroupPlacement cgroups = systemd != null && driver == CgroupDriver.SYSTEMD
        ? new SystemdCgroups(systemd, CgroupManager.detect(), shim)
        : new ManagedCgroups(CgroupManager.detect(), driver);
    return new NativeEngine(root, shim, new ContainerPlanner(host, seccomp), cgroups, MAX_LOG_LINE);
  }

  /**
   * The default handler on {@code nativeEngine} plus every configured one. A handler whose runtime
   * or conmon is not there is a config error now, rather than a failed pod later.
   */
  public static RuntimeHandlers handlers(KonaConfig config, ContainerEngine nativeEngine) throws ConfigException {
    return handlers(config, nativeEngine, OciRuntimeEngine.CONMON);
  }

  static RuntimeHandlers handlers(KonaConfig config, ContainerEngine nativeEngine, Path conmon) throws ConfigException {
    List<RuntimeHandlers.Handler> handlers = new ArrayList<>();
    // runc's terminal execs run under kona-shim's subreaper: Kona's engine's copy of it.
    Path shim = nativeEngine instanceof NativeEngine n ? n.shim() : null;
    for (Map.Entry<String, RuntimeSection.Handler> entry : config.runtime().handlers().entrySet()) {
      String name = entry.getKey();
      RuntimeSection.Handler handler = entry.getValue();
      String key = "runtime.handlers." + name;
      Path binary = handler.binaryPath();
      if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
        throw new ConfigException("key \"" + key + ".binary\": " + handler.engine() + " is not installed at " + binary
            + "; install it or set the path");
      }
      if (!Files.isRegularFile(conmon) || !Files.isExecutable(conmon)) {
        throw new ConfigException("key \"" + key + "\": " + handler.engine() + " runs under conmon, which is not installed at "
            + conmon + " (Debian package conmon)");
      }
      Path dir = config.runRootPath().resolve("handlers").resolve(name);
      if (handler.engine().equals(RuntimeSection.Handler.RUNSC)) {
        // gVisor has no features subcommand, and makes neither rro mounts nor user namespaces.
        handlers.add(new RuntimeHandlers.Handler(name, new RunscEngine(ociRuntime(config, handler, dir),
            dir.resolve("containers"), LinuxSyscalls.get(), conmon), RuntimeHandlers.Features.NONE));
        continue;
      }
      handlers.add(new RuntimeHandlers.Handler(name,
          new OciRuntimeEngine(ociRuntime(config, handler, dir), dir.resolve("containers"), LinuxSyscalls.get(), conmon,
              shim),
          HandlerFeatures.ociRuntime(name, binary)));
    }
    RuntimeHandlers.Features nativeFeatures = nativeEngine instanceof NativeEngine n
        ? HandlerFeatures.nativeEngine(n.shim(), config.stateRootPath().resolve("userns-probe"))
        : HandlerFeatures.nativeEngine();
    return new RuntimeHandlers(nativeEngine, nativeFeatures, handlers);
  }

  /**
   * The handler's command line. runsc gets gVisor's platform and network mode. With the systemd
   * driver runc, crun and runsc get {@code --systemd-cgroup},
   * under which they read the spec's {@code slice:prefix:name} cgroupsPath and make the scope over D-Bus.
   */
  static OciRuntime ociRuntime(KonaConfig config, RuntimeSection.Handler handler, Path dir) {
    Path root = handler.rootPath(dir);
    OciRuntime runtime = switch (handler.engine()) {
      case RuntimeSection.Handler.RUNC -> new OciRuntime("runc", handler.binaryPath(), root, List.of());
      case RuntimeSection.Handler.RUNSC -> new OciRuntime("runsc", handler.binaryPath(), root,
          List.of("--platform=" + handler.platformOrDefault(), "--network=" + handler.networkOrDefault()));
      default -> OciRuntime.crunForHost(handler.binaryPath(), root, dir.resolve("bin"));
    };
    if (config.cgroupDriver() != dev.kona.runtime.CgroupDriver.SYSTEMD) {
      return runtime;
    }
    List<String> args = new ArrayList<>(runtime.globalArgs());
    args.add("--systemd-cgroup");
    return new OciRuntime(runtime.name(), runtime.binary(), runtime.root(), args);
  }
}
