package dev.kona.linux.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.linux.syscall.Errno;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.oci.spec.Seccomp;
import dev.kona.oci.spec.SeccompArg;
import dev.kona.oci.spec.SeccompSyscall;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeccompProfileCompilerTest {
  private static final List<String> X86 = List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
  private final Syscalls sys = LinuxSyscalls.get();
  private final SeccompProfileCompiler compiler = new SeccompProfileCompiler(sys);

  /** The errno a call failed with on the filtered thread, or 0 when it succeeded. */
  private static int errnoOf(Runnable call) {
    try {
      call.run();
      return 0;
    } catch (NativeCallException e) {
      return e.errno();
    }
  }

  @Test
  void runtimeDefault_compilesAndLoads_deniesPrivilegedCalls() {
    Seccomp profile = RuntimeDefaultProfile.forCapabilities(Set.of("CAP_CHOWN", "CAP_KILL"));
    SeccompProgram program = compiler.compile(profile);
    assertTrue(program.instructions() > 100, "instructions: " + program.instructions());

    int[] seen = ThreadSeccomp.callUnder(sys, program, () -> new int[] {
        errnoOf(() -> sys.setns(-1, 0)),
        errnoOf(() -> sys.unshare(dev.kona.linux.syscall.CloneFlags.CLONE_NEWUTS)),
        errnoOf(() -> sys.kill(sys.getpid(), 0)),
        errnoOf(() -> sys.kill(Integer.MAX_VALUE, 0))});

    assertEquals(Errno.EPERM.number(), seen[0], "setns is filtered (unfiltered: EBADF)");
    assertEquals(Errno.EPERM.number(), seen[1], "unshare needs CAP_SYS_ADMIN");
    assertEquals(0, seen[2], "kill is allowed");
    assertEquals(Errno.ESRCH.number(), seen[3], "allowed calls reach the kernel");
    assertEquals(Errno.EBADF.number(), errnoOf(() -> sys.setns(-1, 0)), "the test thread is unfiltered");
  }

  @Test
  void runtimeDefault_withSysAdmin_allowsSetns() {
    SeccompProgram program = compiler.compile(RuntimeDefaultProfile.forCapabilities(Set.of("CAP_SYS_ADMIN")));
    int errno = ThreadSeccomp.callUnder(sys, program, () -> errnoOf(() -> sys.setns(-1, 0)));
    assertEquals(Errno.EBADF.number(), errno);
  }

  @Test
  void argumentRules_andErrnoRet() {
    Seccomp profile = new Seccomp("SCMP_ACT_ALLOW", null, X86, List.of(), null, null, List.of(
        // Same index twice means OR: signal 0 or signal 10.
        new SeccompSyscall(List.of("kill"), "SCMP_ACT_ERRNO", 13, List.of(
            new SeccompArg(1, 0, 0, "SCMP_CMP_EQ"), new SeccompArg(1, 10, 0, "SCMP_CMP_EQ"))),
        new SeccompSyscall(List.of("mkdirat", "no_such_syscall_in_any_kernel"), "SCMP_ACT_ERRNO",
            null, List.of())));

    SeccompProgram program = compiler.compile(profile);
    int[] seen = ThreadSeccomp.callUnder(sys, program, () -> new int[] {
        errnoOf(() -> sys.kill(Integer.MAX_VALUE, 0)),
        errnoOf(() -> sys.kill(Integer.MAX_VALUE, 10)),
        errnoOf(() -> sys.kill(Integer.MAX_VALUE, 15))});

    assertEquals(Errno.EACCES.number(), seen[0]);
    assertEquals(Errno.EACCES.number(), seen[1]);
    assertEquals(Errno.ESRCH.number(), seen[2], "other signals pass the filter");
  }

  @Test
  void flags_areCarriedSeparately() {
    Seccomp profile = new Seccomp("SCMP_ACT_ALLOW", null, List.of(),
        List.of("SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_LOG"), null, null, List.of());
    assertEquals(SeccompProgram.FLAG_SPEC_ALLOW | SeccompProgram.FLAG_LOG, compiler.compile(profile).flags());
  }

  private InvalidArgumentException invalid(Seccomp profile) {
    return assertThrows(InvalidArgumentException.class, () -> compiler.compile(profile));
  }

  private static Seccomp oneRule(SeccompSyscall rule) {
    return new Seccomp("SCMP_ACT_ERRNO", null, X86, List.of(), null, null, List.of(rule));
  }

  @Test
  void invalidProfiles_nameTheProblem() {
    assertEquals("seccomp defaultAction: unknown action SCMP_ACT_FROB",
        invalid(new Seccomp("SCMP_ACT_FROB", null, X86, List.of(), null, null, List.of())).getMessage());
    assertEquals("seccomp syscalls[0].action: unknown action SCMP_ACT_MAYBE",
        invalid(oneRule(SeccompSyscall.of("SCMP_ACT_MAYBE", List.of("read")))).getMessage());
    assertEquals("seccomp syscalls[0].names: malformed syscall name \"open at\"",
        invalid(oneRule(SeccompSyscall.of("SCMP_ACT_ALLOW", List.of("open at")))).getMessage());
    assertEquals("seccomp syscalls[0].args: index must be 0..5, got 6",
        invalid(oneRule(new SeccompSyscall(List.of("read"), "SCMP_ACT_ALLOW", null,
            List.of(new SeccompArg(6, 0, 0, "SCMP_CMP_EQ"))))).getMessage());
    assertEquals("seccomp syscalls[0].args: unknown operator SCMP_CMP_ABOUT",
        invalid(oneRule(new SeccompSyscall(List.of("read"), "SCMP_ACT_ALLOW", null,
            List.of(new SeccompArg(0, 0, 0, "SCMP_CMP_ABOUT"))))).getMessage());
    assertEquals("seccomp architectures: unknown architecture SCMP_ARCH_VAX",
        invalid(new Seccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_VAX"), List.of(), null, null,
            List.of())).getMessage());
    assertTrue(invalid(oneRule(SeccompSyscall.of("SCMP_ACT_NOTIFY", List.of("read"))))
        .getMessage().contains("SCMP_ACT_NOTIFY"));
    assertTrue(invalid(new Seccomp("SCMP_ACT_ALLOW", null, X86, List.of("SECCOMP_FILTER_FLAG_X"),
        null, null, List.of())).getMessage().contains("SECCOMP_FILTER_FLAG_X"));
  }

  @Test
  void compile_releasesNativeState_repeatedly() {
    Seccomp profile = RuntimeDefaultProfile.forCapabilities(Set.of());
    long start = System.nanoTime();
    int n = 50;
    for (int i = 0; i < n; i++) {
      compiler.compileUncached(profile);
    }
    System.out.printf("seccomp RuntimeDefault compile: %.2f ms each over %d%n",
        (System.nanoTime() - start) / 1e6 / n, n);
    SeccompProgram first = compiler.compile(profile);
    start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      assertEquals(first, compiler.compile(profile));
    }
    System.out.printf("seccomp RuntimeDefault cached: %.3f ms each%n", (System.nanoTime() - start) / 1e6 / n);
    try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
      assertTrue(fds.count() < 200, "memfds are closed");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
