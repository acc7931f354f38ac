package dev.kona.server.wiring;

import dev.kona.engine.ManagedCgroups;
import dev.kona.engine.NativeEngine;
import dev.kona.engine.RunRoot;
import dev.kona.engine.ShimBinary;
import dev.kona.engine.plan.ContainerPlanner;
import dev.kona.engine.plan.HostFacts;
import dev.kona.engine.plan.SeccompCompiler;
import dev.kona.linux.cgroup.CgroupDriver;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.linux.seccomp.SeccompProfileCompiler;
import dev.kona.linux.seccomp.SeccompProgram;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.server.config.KonaConfig;

/** Builds the container engines from the config: Kona's native engine is the default. */
public final class Engines {

  /** The CRI's longest log line before it is split into partial entries, as containerd's default. */
  static final int MAX_LOG_LINE = 16 * 1024;

  private Engines() {}

  public static NativeEngine nativeEngine(KonaConfig config, HostFacts host) {
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
    return new NativeEngine(root, ShimBinary.install(root.bin()), new ContainerPlanner(host, seccomp),
        new ManagedCgroups(CgroupManager.detect(), driver), MAX_LOG_LINE);
  }
}
