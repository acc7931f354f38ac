package dev.kona.linux.syscall;

import static dev.kona.linux.syscall.LibcHandles.CONNECT;
import static dev.kona.linux.syscall.LibcHandles.SHUTDOWN;
import static dev.kona.linux.syscall.LibcHandles.SOCKET;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** The socket calls of {@link LinuxSyscalls}: the kinds the JDK cannot make (SOCK_SEQPACKET). */
final class SocketCalls {
  private static final int AF_UNIX = 1;
  private static final int SUN_PATH_MAX = 108;
  private static final int EINTR = Errno.EINTR.number();
  // Shutting down a socket the peer already closed is not an error here.
  private static final int ENOTCONN = Errno.ENOTCONN.number();

  private SocketCalls() {}

  static int socket(int domain, int type, int protocol) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int fd = (int) SOCKET.invokeExact(st, domain, type | OpenFlags.O_CLOEXEC, protocol);
      LinuxSyscalls.check(fd, st, "socket", "domain " + domain + " type " + type);
      return fd;
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }

  static void connectUnix(int fd, String path) {
    byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
    if (bytes.length >= SUN_PATH_MAX) {
      throw NativeCallException.of("connect", path, Errno.ENAMETOOLONG.number());
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment addr = a.allocate(2 + SUN_PATH_MAX, 2); // struct sockaddr_un, zeroed
      addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
      MemorySegment.copy(bytes, 0, addr, ValueLayout.JAVA_BYTE, 2, bytes.length);
      int rc;
      do {
        rc = (int) CONNECT.invokeExact(st, fd, addr, 2 + bytes.length + 1);
      } while (rc < 0 && Libc.errno(st) == EINTR);
      LinuxSyscalls.check(rc, st, "connect", path);
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }

  static void shutdown(int fd, int how) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int rc = (int) SHUTDOWN.invokeExact(st, fd, how);
      if (rc < 0 && Libc.errno(st) != ENOTCONN) {
        LinuxSyscalls.check(rc, st, "shutdown", "fd " + fd);
      }
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }
}
