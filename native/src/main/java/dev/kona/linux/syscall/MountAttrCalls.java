package dev.kona.linux.syscall;

import static dev.kona.linux.syscall.LibcHandles.SYSCALL5;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** What Kona needs to know of {@code mount_setattr(2)} (Linux 5.12): whether the kernel has it. */
public final class MountAttrCalls {
  private static final long SYS_MOUNT_SETATTR = switch (System.getProperty("os.arch")) {
    case "amd64", "x86_64", "aarch64" -> 442;
    default -> -1;
  };
  private static final long AT_EMPTY_PATH = 0x1000;
  private static final long MOUNT_ATTR_SIZE_VER0 = 32;

  private MountAttrCalls() {}

  /**
   * True when mount_setattr works here: called on no file descriptor with an empty attribute set,
   * a kernel that has it answers 0 (nothing to do) or EBADF after checking the arguments; ENOSYS
   * (an old kernel) or EPERM (a seccomp filter around Kona) mean recursive read-only mounts cannot
   * be made.
   */
  public static boolean available() {
    if (SYS_MOUNT_SETATTR < 0) {
      return false;
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment path = a.allocateFrom("");
      MemorySegment attr = a.allocate(MOUNT_ATTR_SIZE_VER0, 8); // zeroed: set nothing
      long rc = (long) SYSCALL5.invokeExact(st, SYS_MOUNT_SETATTR, -1L, path.address(), AT_EMPTY_PATH,
          attr.address(), MOUNT_ATTR_SIZE_VER0);
      return rc == 0 || Libc.errno(st) == Errno.EBADF.number();
    } catch (Throwable t) {
      return false;
    }
  }
}
