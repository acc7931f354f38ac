package dev.kona.linux.syscall;

import static dev.kona.linux.syscall.LibcHandles.SYSCALL4;
import static dev.kona.linux.syscall.LibcHandles.SYSCALL5;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Idmapped bind mounts (Linux 5.12; overlayfs takes them as layers from 5.19, tmpfs supports them
 * from 6.3): a detached clone of a directory ({@code open_tree(OPEN_TREE_CLONE)}) gets
 * {@code MOUNT_ATTR_IDMAP} with a user namespace and is attached with {@code move_mount}. Files
 * then show through it with the ids of that namespace's mapping (the host's root as the
 * namespace's root), without a chown of anything on disk.
 */
public final class IdmappedMounts {
  private static final long SYS_OPEN_TREE = 428;
  private static final long SYS_MOVE_MOUNT = 429;
  private static final long SYS_MOUNT_SETATTR = 442;
  private static final long AT_FDCWD = -100;
  private static final long AT_EMPTY_PATH = 0x1000;
  private static final long OPEN_TREE_CLONE = 1;
  private static final long OPEN_TREE_CLOEXEC = 02000000;
  private static final long MOVE_MOUNT_F_EMPTY_PATH = 0x4;
  private static final long MOUNT_ATTR_IDMAP = 0x100000;
  private static final long MOUNT_ATTR_SIZE_VER0 = 32;

  private IdmappedMounts() {}

  /**
   * Mounts {@code source} (a directory or file, not recursively) on {@code target}, idmapped with
   * the user namespace open at {@code usernsFd}. Nothing stays mounted when it fails.
   */
  public static void bind(Syscalls sys, String source, int usernsFd, String target) {
    try (Arena a = Arena.ofConfined(); OwnedFd tree = openTree(sys, a, source)) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment attr = a.allocate(MOUNT_ATTR_SIZE_VER0, 8);
      attr.set(ValueLayout.JAVA_LONG, 0, MOUNT_ATTR_IDMAP); // attr_set
      attr.set(ValueLayout.JAVA_LONG, 24, usernsFd);       // userns_fd
      long rc = (long) SYSCALL5.invokeExact(st, SYS_MOUNT_SETATTR, (long) tree.get(), a.allocateFrom("").address(),
          AT_EMPTY_PATH, attr.address(), MOUNT_ATTR_SIZE_VER0);
      LinuxSyscalls.check(rc, st, "mount_setattr(MOUNT_ATTR_IDMAP)", source);
      rc = (long) SYSCALL5.invokeExact(st, SYS_MOVE_MOUNT, (long) tree.get(), a.allocateFrom("").address(), AT_FDCWD,
          a.allocateFrom(target).address(), MOVE_MOUNT_F_EMPTY_PATH);
      LinuxSyscalls.check(rc, st, "move_mount", source + " to " + target);
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }

  private static OwnedFd openTree(Syscalls sys, Arena a, String source) throws Throwable {
    MemorySegment st = Libc.newCallState(a);
    long fd = (long) SYSCALL4.invokeExact(st, SYS_OPEN_TREE, AT_FDCWD, a.allocateFrom(source).address(),
        OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC, 0L);
    LinuxSyscalls.check(fd, st, "open_tree(OPEN_TREE_CLONE)", source);
    return new OwnedFd((int) fd, sys);
  }
}
