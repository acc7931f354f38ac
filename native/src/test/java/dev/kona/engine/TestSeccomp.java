package dev.kona.engine;

import dev.kona.engine.plan.SeccompCompiler;
import dev.kona.linux.seccomp.SeccompProfileCompiler;
import dev.kona.linux.seccomp.SeccompProgram;
import dev.kona.linux.syscall.LinuxSyscalls;

/** The real profile compiler (libseccomp through FFM) behind the planner's interface, as the daemon wires it. */
final class TestSeccomp {
  private TestSeccomp() {}

  static SeccompCompiler compiler() {
    SeccompProfileCompiler compiler = new SeccompProfileCompiler(LinuxSyscalls.get());
    return profile -> {
      SeccompProgram program = compiler.compile(profile);
      return new SeccompCompiler.Filter(program.bpf(), program.flags());
    };
  }
}
