package dev.kona.linux.seccomp;

import dev.kona.linux.syscall.DedicatedThread;
import dev.kona.linux.syscall.Syscalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.Callable;

/**
 * Loads a compiled program the way the helper does, but onto one throwaway JVM thread: a
 * filter installed without TSYNC binds only the calling thread (and its future children), and
 * the kernel checks the BPF on load. Only for profiles that never kill: a KILL action would
 * take the test JVM down.
 */
final class ThreadSeccomp {
  private static final int PR_SET_NO_NEW_PRIVS = 38;
  private static final int PR_SET_SECCOMP = 22;
  private static final int SECCOMP_MODE_FILTER = 2;

  private ThreadSeccomp() {}

  static <T> T callUnder(Syscalls sys, SeccompProgram program, Callable<T> task) {
    return DedicatedThread.call("kona-test-seccomp", () -> {
      try (Arena a = Arena.ofConfined()) {
        byte[] bpf = program.bpf();
        MemorySegment filter = a.allocate(bpf.length, 8);
        MemorySegment.copy(bpf, 0, filter, ValueLayout.JAVA_BYTE, 0, bpf.length);
        MemorySegment fprog = a.allocate(16, 8); // struct sock_fprog { u16 len; sock_filter *filter; }
        fprog.set(ValueLayout.JAVA_SHORT, 0, (short) program.instructions());
        fprog.set(ValueLayout.ADDRESS, 8, filter);
        sys.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        sys.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fprog.address(), 0, 0);
      }
      return task.call();
    });
  }
}
