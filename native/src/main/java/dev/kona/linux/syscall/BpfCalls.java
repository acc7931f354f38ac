package dev.kona.linux.syscall;

import static dev.kona.linux.syscall.LibcHandles.SYSCALL4;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The bpf(2) commands a cgroup v2 device controller needs, as runc's {@code devices/ebpf_linux.go}
 * uses them: load a {@code BPF_PROG_TYPE_CGROUP_DEVICE} program, attach it to a cgroup
 * (multi-attach, so a parent's program still runs too; optionally replacing one program in
 * place), list the programs attached to a cgroup, open one by id and detach it.
 */
public final class BpfCalls {
  private static final long SYS_BPF = switch (System.getProperty("os.arch")) {
    case "amd64", "x86_64" -> 321;
    case "aarch64" -> 280;
    default -> -1;
  };
  private static final long BPF_PROG_LOAD = 5;
  private static final long BPF_PROG_ATTACH = 8;
  private static final long BPF_PROG_DETACH = 9;
  private static final long BPF_PROG_GET_FD_BY_ID = 13;
  private static final long BPF_PROG_QUERY = 16;
  private static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
  private static final int BPF_CGROUP_DEVICE = 6;
  private static final int BPF_F_ALLOW_MULTI = 2;
  private static final int BPF_F_REPLACE = 4;
  private static final int MAX_QUERY = 64;
  private static final long ATTR_SIZE = 128;
  private static final int LOG_SIZE = 64 * 1024;

  private BpfCalls() {}

  /**
   * Loads a cgroup device program (8 bytes per instruction, host order); the kernel verifier's log
   * is in the exception when it refuses the program.
   */
  public static int loadCgroupDeviceProgram(byte[] instructions) {
    if (SYS_BPF < 0) {
      throw NativeCallException.of("bpf", "BPF_PROG_LOAD on " + System.getProperty("os.arch"), Errno.ENOSYS.number());
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment insns = a.allocateFrom(ValueLayout.JAVA_BYTE, instructions);
      MemorySegment license = a.allocateFrom("Apache");
      MemorySegment log = a.allocate(LOG_SIZE);
      MemorySegment attr = a.allocate(ATTR_SIZE, 8);
      attr.set(ValueLayout.JAVA_INT, 0, BPF_PROG_TYPE_CGROUP_DEVICE);
      attr.set(ValueLayout.JAVA_INT, 4, instructions.length / 8);
      attr.set(ValueLayout.JAVA_LONG, 8, insns.address());
      attr.set(ValueLayout.JAVA_LONG, 16, license.address());
      attr.set(ValueLayout.JAVA_INT, 24, 1); // log_level
      attr.set(ValueLayout.JAVA_INT, 28, LOG_SIZE);
      attr.set(ValueLayout.JAVA_LONG, 32, log.address());
      long fd = (long) SYSCALL4.invokeExact(st, SYS_BPF, BPF_PROG_LOAD, attr.address(), ATTR_SIZE, 0L);
      if (fd < 0) {
        String verifier = log.getString(0).strip();
        LinuxSyscalls.check(fd, st, "bpf", "BPF_PROG_LOAD of a cgroup device program"
            + (verifier.isEmpty() ? "" : " (verifier: " + verifier + ")"));
      }
      return (int) fd;
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }

  /** Attaches a loaded device program to the cgroup open at {@code cgroupFd}, alongside any others. */
  public static void attachCgroupDeviceProgram(int cgroupFd, int programFd, String cgroup) {
    attachment(BPF_PROG_ATTACH, cgroupFd, programFd, BPF_F_ALLOW_MULTI, 0, "BPF_PROG_ATTACH to " + cgroup);
  }

  /**
   * Attaches a loaded device program to the cgroup open at {@code cgroupFd} in place of the
   * attached program {@code oldProgramFd} ({@code BPF_F_REPLACE}, Linux 5.6+): there is no
   * instant with neither or both.
   */
  public static void replaceCgroupDeviceProgram(int cgroupFd, int programFd, int oldProgramFd, String cgroup) {
    attachment(BPF_PROG_ATTACH, cgroupFd, programFd, BPF_F_ALLOW_MULTI | BPF_F_REPLACE, oldProgramFd,
        "BPF_PROG_ATTACH (replace) to " + cgroup);
  }

  /** Detaches the device program open at {@code programFd} from the cgroup open at {@code cgroupFd}. */
  public static void detachCgroupDeviceProgram(int cgroupFd, int programFd, String cgroup) {
    attachment(BPF_PROG_DETACH, cgroupFd, programFd, 0, 0, "BPF_PROG_DETACH from " + cgroup);
  }

  /** BPF_PROG_ATTACH / BPF_PROG_DETACH of a BPF_CGROUP_DEVICE program: they share one attr layout. */
  private static void attachment(long command, int cgroupFd, int programFd, int flags, int replaceFd, String what) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment attr = a.allocate(ATTR_SIZE, 8);
      attr.set(ValueLayout.JAVA_INT, 0, cgroupFd);
      attr.set(ValueLayout.JAVA_INT, 4, programFd);
      attr.set(ValueLayout.JAVA_INT, 8, BPF_CGROUP_DEVICE);
      attr.set(ValueLayout.JAVA_INT, 12, flags);
      attr.set(ValueLayout.JAVA_INT, 16, replaceFd);
      long rc = (long) SYSCALL4.invokeExact(st, SYS_BPF, command, attr.address(), ATTR_SIZE, 0L);
      LinuxSyscalls.check(rc, st, "bpf", what);
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }

  /** The ids of the device programs attached to this cgroup itself (not those inherited from its parents). */
  public static int[] queryCgroupDevicePrograms(int cgroupFd, String cgroup) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment ids = a.allocate(ValueLayout.JAVA_INT, MAX_QUERY);
      MemorySegment attr = a.allocate(ATTR_SIZE, 8);
      attr.set(ValueLayout.JAVA_INT, 0, cgroupFd);
      attr.set(ValueLayout.JAVA_INT, 4, BPF_CGROUP_DEVICE);
      attr.set(ValueLayout.JAVA_LONG, 16, ids.address());
      attr.set(ValueLayout.JAVA_INT, 24, MAX_QUERY);
      long rc = (long) SYSCALL4.invokeExact(st, SYS_BPF, BPF_PROG_QUERY, attr.address(), ATTR_SIZE, 0L);
      LinuxSyscalls.check(rc, st, "bpf", "BPF_PROG_QUERY of " + cgroup);
      int count = Math.min(attr.get(ValueLayout.JAVA_INT, 24), MAX_QUERY);
      return ids.asSlice(0, count * 4L).toArray(ValueLayout.JAVA_INT);
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }

  /** A new fd for the loaded program {@code id}; NativeCallException with ENOENT once it is gone. */
  public static int programFdById(int id) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment attr = a.allocate(ATTR_SIZE, 8);
      attr.set(ValueLayout.JAVA_INT, 0, id);
      long fd = (long) SYSCALL4.invokeExact(st, SYS_BPF, BPF_PROG_GET_FD_BY_ID, attr.address(), ATTR_SIZE, 0L);
      LinuxSyscalls.check(fd, st, "bpf", "BPF_PROG_GET_FD_BY_ID " + id);
      return (int) fd;
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }
}
