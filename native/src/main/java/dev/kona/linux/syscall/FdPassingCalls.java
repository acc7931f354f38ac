package dev.kona.linux.syscall;

import static dev.kona.linux.syscall.LibcHandles.ACCEPT4;
import static dev.kona.linux.syscall.LibcHandles.BIND;
import static dev.kona.linux.syscall.LibcHandles.IOCTL;
import static dev.kona.linux.syscall.LibcHandles.LISTEN;
import static dev.kona.linux.syscall.LibcHandles.RECVMSG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Listening AF_UNIX sockets and receiving a descriptor over one (SCM_RIGHTS): how an OCI runtime
 * hands over a terminal's master end ({@code --console-socket}). Plus the terminal size ioctl.
 * Struct offsets are those of the 64-bit Linux ABI.
 */
final class FdPassingCalls {
  private static final int AF_UNIX = 1;
  private static final int SUN_PATH_MAX = 108;
  private static final int SOL_SOCKET = 1;
  private static final int SCM_RIGHTS = 1;
  private static final long TIOCSWINSZ = 0x5414;
  private static final int MSGHDR_SIZE = 56;
  private static final int CMSG_SPACE_ONE_FD = 24;
  private static final int EINTR = Errno.EINTR.number();

  private FdPassingCalls() {}

  static void bindAndListen(int fd, String path) {
    byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
    if (bytes.length >= SUN_PATH_MAX) {
      throw NativeCallException.of("bind", path, Errno.ENAMETOOLONG.number());
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment addr = a.allocate(2 + SUN_PATH_MAX, 2);
      addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
      MemorySegment.copy(bytes, 0, addr, ValueLayout.JAVA_BYTE, 2, bytes.length);
      int rc = (int) BIND.invokeExact(st, fd, addr, 2 + bytes.length + 1);
      LinuxSyscalls.check(rc, st, "bind", path);
      rc = (int) LISTEN.invokeExact(st, fd, 1);
      LinuxSyscalls.check(rc, st, "listen", path);
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }

  static int accept(int fd) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int rc;
      do {
        rc = (int) ACCEPT4.invokeExact(st, fd, MemorySegment.NULL, MemorySegment.NULL, OpenFlags.O_CLOEXEC);
      } while (rc < 0 && Libc.errno(st) == EINTR);
      LinuxSyscalls.check(rc, st, "accept", "fd " + fd);
      return rc;
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }

  /** The one descriptor passed in the next message on {@code fd}, or -1 when none came. */
  static int receiveFd(int fd) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment data = a.allocate(4096);
      MemorySegment iov = a.allocate(16, 8); // struct iovec { void *base; size_t len; }
      iov.set(ValueLayout.ADDRESS, 0, data);
      iov.set(ValueLayout.JAVA_LONG, 8, data.byteSize());
      MemorySegment control = a.allocate(CMSG_SPACE_ONE_FD, 8);
      MemorySegment msg = a.allocate(MSGHDR_SIZE, 8); // struct msghdr, name unused
      msg.set(ValueLayout.ADDRESS, 16, iov);
      msg.set(ValueLayout.JAVA_LONG, 24, 1L);
      msg.set(ValueLayout.ADDRESS, 32, control);
      msg.set(ValueLayout.JAVA_LONG, 40, (long) CMSG_SPACE_ONE_FD);
      long rc;
      do {
        rc = (long) RECVMSG.invokeExact(st, fd, msg, OpenFlags.O_CLOEXEC); // MSG_CMSG_CLOEXEC has O_CLOEXEC's value
      } while (rc < 0 && Libc.errno(st) == EINTR);
      LinuxSyscalls.check(rc, st, "recvmsg", "fd " + fd);
      long controlLen = msg.get(ValueLayout.JAVA_LONG, 40);
      // struct cmsghdr { size_t len; int level; int type; } then the fds.
      if (controlLen < 20 || control.get(ValueLayout.JAVA_INT, 8) != SOL_SOCKET
          || control.get(ValueLayout.JAVA_INT, 12) != SCM_RIGHTS) {
        return -1;
      }
      return control.get(ValueLayout.JAVA_INT, 16);
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }

  static void setWindowSize(int fd, int rows, int columns) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment winsize = a.allocate(8, 2); // struct winsize { u16 rows, cols, xpixel, ypixel; }
      winsize.set(ValueLayout.JAVA_SHORT, 0, (short) rows);
      winsize.set(ValueLayout.JAVA_SHORT, 2, (short) columns);
      int rc = (int) IOCTL.invokeExact(st, fd, TIOCSWINSZ, winsize);
      LinuxSyscalls.check(rc, st, "ioctl TIOCSWINSZ", "fd " + fd);
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }
}
