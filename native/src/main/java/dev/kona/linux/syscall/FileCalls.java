package dev.kona.linux.syscall;

import static dev.kona.linux.syscall.LibcHandles.MKFIFO;
import static dev.kona.linux.syscall.LibcHandles.MKNOD;
import static dev.kona.linux.syscall.LibcHandles.STATFS;
import static dev.kona.linux.syscall.LibcHandles.SYS_OPENAT2;
import static dev.kona.linux.syscall.LibcHandles.SYSCALL4;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The file-node and filesystem calls of {@link LinuxSyscalls}. */
final class FileCalls {
  private static final int STATFS_SIZE = 120;
  private static final long OPEN_HOW_SIZE = 24;

  private FileCalls() {}

  static OwnedFd openat2(Syscalls owner, OwnedFd dir, String path, int flags, long resolve) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment how = a.allocate(OPEN_HOW_SIZE, 8); // struct open_how {u64 flags, mode, resolve}
      how.set(ValueLayout.JAVA_LONG, 0, (flags | OpenFlags.O_CLOEXEC) & 0xffffffffL);
      how.set(ValueLayout.JAVA_LONG, 16, resolve);
      MemorySegment name = a.allocateFrom(path);
      long rc;
      int errno;
      do {
        rc = (long) SYSCALL4.invokeExact(st, SYS_OPENAT2, (long) dir.get(), name.address(), how.address(), OPEN_HOW_SIZE);
        errno = rc < 0 ? Libc.errno(st) : 0;
      } while (errno == Errno.EINTR.number() || errno == Errno.EAGAIN.number());
      LinuxSyscalls.check(rc, st, "openat2", path + " under " + dir);
      return new OwnedFd((int) rc, owner);
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }

  static void mknod(String path, int mode, long device) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int rc = (int) MKNOD.invokeExact(st, a.allocateFrom(path), mode, device);
      LinuxSyscalls.check(rc, st, "mknod", path);
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }

  static void mkfifo(String path, int mode) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int rc = (int) MKFIFO.invokeExact(st, a.allocateFrom(path), mode);
      LinuxSyscalls.check(rc, st, "mkfifo", path);
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }

  static StatFs statfs(String path) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment buf = a.allocate(STATFS_SIZE, 8);
      int rc = (int) STATFS.invokeExact(st, a.allocateFrom(path), buf);
      LinuxSyscalls.check(rc, st, "statfs", path);
      // 64-bit struct statfs: f_type 0, f_bsize 8, f_blocks 16, f_bfree 24, f_bavail 32,
      // f_files 40, f_ffree 48, f_flags 80.
      return new StatFs(buf.get(ValueLayout.JAVA_LONG, 0), buf.get(ValueLayout.JAVA_LONG, 8),
          buf.get(ValueLayout.JAVA_LONG, 16), buf.get(ValueLayout.JAVA_LONG, 24),
          buf.get(ValueLayout.JAVA_LONG, 80), buf.get(ValueLayout.JAVA_LONG, 32),
          buf.get(ValueLayout.JAVA_LONG, 40), buf.get(ValueLayout.JAVA_LONG, 48));
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }
}
