package dev.kona.linux.syscall;

import static dev.kona.linux.syscall.LibcHandles.CLOSE;
import static dev.kona.linux.syscall.LibcHandles.IOCTL;
import static dev.kona.linux.syscall.LibcHandles.SOCKET;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Network interface flags through {@code SIOCGIFFLAGS}/{@code SIOCSIFFLAGS} on a throwaway
 * AF_INET socket. The socket belongs to the calling thread's network namespace, so on a thread
 * that has just unshared or joined one, these act on that namespace's interfaces. Simpler than
 * netlink for the one thing the daemon needs (bringing {@code lo} up), and needs no {@code ip}.
 */
final class InterfaceCalls {
  private static final int AF_INET = 2;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = OpenFlags.O_CLOEXEC;
  private static final long SIOCGIFFLAGS = 0x8913;
  private static final long SIOCSIFFLAGS = 0x8914;
  private static final int IFNAMSIZ = 16;
  private static final int IFREQ_SIZE = 40;

  private InterfaceCalls() {}

  static int getFlags(String ifname) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment ifreq = ifreq(a, ifname);
      ioctl(a, ifname, SIOCGIFFLAGS, ifreq);
      return Short.toUnsignedInt(ifreq.get(ValueLayout.JAVA_SHORT, IFNAMSIZ));
    }
  }

  static void setFlags(String ifname, int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment ifreq = ifreq(a, ifname);
      ifreq.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) flags);
      ioctl(a, ifname, SIOCSIFFLAGS, ifreq);
    }
  }

  private static MemorySegment ifreq(Arena a, String ifname) {
    byte[] name = ifname.getBytes(StandardCharsets.UTF_8);
    if (name.length >= IFNAMSIZ) {
      throw new IllegalArgumentException("interface name: expected < 16 bytes, got " + ifname);
    }
    MemorySegment ifreq = a.allocate(IFREQ_SIZE);
    MemorySegment.copy(name, 0, ifreq, ValueLayout.JAVA_BYTE, 0, name.length);
    return ifreq;
  }

  private static void ioctl(Arena a, String ifname, long request, MemorySegment ifreq) {
    MemorySegment st = Libc.newCallState(a);
    try {
      int fd = (int) SOCKET.invokeExact(st, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      LinuxSyscalls.check(fd, st, "socket", "AF_INET for " + ifname);
      try {
        int rc = (int) IOCTL.invokeExact(st, fd, request, ifreq);
        LinuxSyscalls.check(rc, st, "ioctl", ifname + " 0x" + Long.toHexString(request));
      } finally {
        int ignored = (int) CLOSE.invokeExact(st, fd);
      }
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }
}
