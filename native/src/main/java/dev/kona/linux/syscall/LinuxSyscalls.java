package dev.kona.linux.syscall;

import static dev.kona.linux.syscall.LibcHandles.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@link Syscalls} on the running kernel, through FFM downcalls into glibc. */
public final class LinuxSyscalls implements Syscalls {
  private static final LinuxSyscalls INSTANCE = new LinuxSyscalls();
  private static final int EINTR = Errno.EINTR.number();
  private static final int P_PIDFD = 3;
  private static final int WEXITED = 4;
  private static final int WNOHANG = 1;
  private static final int SIGINFO_SIZE = 128;

  private LinuxSyscalls() {}

  public static LinuxSyscalls get() {
    return INSTANCE;
  }

  @Override
  public void mount(String source, String target, String fsType, long flags, String data) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int rc = (int) MOUNT.invokeExact(st, str(a, source), str(a, target), str(a, fsType), flags,
          str(a, data));
      check(rc, st, "mount", source + " on " + target
          + (fsType == null ? "" : " type " + fsType) + " flags 0x" + Long.toHexString(flags));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public void chdir(String path) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int rc = (int) CHDIR.invokeExact(st, a.allocateFrom(path));
      check(rc, st, "chdir", path);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public void umount2(String target, int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int rc = (int) UMOUNT2.invokeExact(st, a.allocateFrom(target), flags);
      check(rc, st, "umount2", target);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public void unshare(int cloneFlags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int rc = (int) UNSHARE.invokeExact(st, cloneFlags);
      check(rc, st, "unshare", "flags 0x" + Integer.toHexString(cloneFlags));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public void setns(int fd, int nsType) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int rc = (int) SETNS.invokeExact(st, fd, nsType);
      check(rc, st, "setns", "fd " + fd);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public int getpid() {
    try {
      return (int) GETPID.invokeExact();
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public int gettid() {
    try {
      return (int) GETTID.invokeExact();
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public void kill(int pid, int signal) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int rc = (int) KILL.invokeExact(st, pid, signal);
      check(rc, st, "kill", "pid " + pid + " signal " + signal);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public OwnedFd pidfdOpen(int pid) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      long rc = (long) SYSCALL4.invokeExact(st, SYS_PIDFD_OPEN, (long) pid, 0L, 0L, 0L);
      check(rc, st, "pidfd_open", "pid " + pid);
      return new OwnedFd((int) rc, this);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public void pidfdSendSignal(OwnedFd pidfd, int signal) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      long rc = (long) SYSCALL4.invokeExact(st, SYS_PIDFD_SEND_SIGNAL, (long) pidfd.get(),
          (long) signal, 0L, 0L);
      check(rc, st, "pidfd_send_signal", pidfd + " signal " + signal);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public ChildExit waitPidfd(OwnedFd pidfd, boolean block) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment info = a.allocate(SIGINFO_SIZE); // zeroed: si_pid stays 0 under WNOHANG
      int options = WEXITED | (block ? 0 : WNOHANG);
      int rc;
      do {
        rc = (int) WAITID.invokeExact(st, P_PIDFD, pidfd.get(), info, options);
      } while (rc < 0 && Libc.errno(st) == EINTR);
      check(rc, st, "waitid", pidfd);
      // siginfo_t on 64-bit: si_code at 8, si_pid at 16, si_status at 24.
      int pid = info.get(ValueLayout.JAVA_INT, 16);
      if (pid == 0) {
        return null;
      }
      return new ChildExit(pid, info.get(ValueLayout.JAVA_INT, 8), info.get(ValueLayout.JAVA_INT, 24));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public boolean pollReadable(OwnedFd fd, int timeoutMillis) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment pollfd = a.allocate(8);
      pollfd.set(ValueLayout.JAVA_INT, 0, fd.get());
      pollfd.set(ValueLayout.JAVA_SHORT, 4, (short) 1); // POLLIN
      int rc;
      do {
        rc = (int) POLL.invokeExact(st, pollfd, 1L, timeoutMillis);
      } while (rc < 0 && Libc.errno(st) == EINTR);
      check(rc, st, "poll", fd);
      return rc > 0;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int rc = (int) PRCTL.invokeExact(st, option, arg2, arg3, arg4, arg5);
      check(rc, st, "prctl", "option " + option);
      return rc;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public OwnedFd openat2(OwnedFd dir, String path, int flags, long resolve) {
    return FileCalls.openat2(this, dir, path, flags, resolve);
  }

  @Override
  public OwnedFd open(String path, int flags, int mode) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment p = a.allocateFrom(path);
      int rc;
      do {
        rc = (int) OPEN.invokeExact(st, p, flags | OpenFlags.O_CLOEXEC, mode);
      } while (rc < 0 && Libc.errno(st) == EINTR);
      check(rc, st, "open", path);
      return new OwnedFd(rc, this);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public void close(int fd) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int rc = (int) CLOSE.invokeExact(st, fd);
      // On Linux the fd is gone even when close reports EINTR: never retry.
      if (rc < 0 && Libc.errno(st) != EINTR) {
        throw NativeCallException.of("close", "fd " + fd, Libc.errno(st));
      }
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public int read(OwnedFd fd, byte[] buffer) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment buf = a.allocate(buffer.length);
      long rc;
      do {
        rc = (long) READ.invokeExact(st, fd.get(), buf, (long) buffer.length);
      } while (rc < 0 && Libc.errno(st) == EINTR);
      check(rc, st, "read", fd);
      MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, buffer, 0, (int) rc);
      return (int) rc;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public int write(OwnedFd fd, byte[] buffer) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment buf = a.allocateFrom(ValueLayout.JAVA_BYTE, buffer);
      long rc;
      do {
        rc = (long) WRITE.invokeExact(st, fd.get(), buf, (long) buffer.length);
      } while (rc < 0 && Libc.errno(st) == EINTR);
      check(rc, st, "write", fd);
      return (int) rc;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public void mknod(String path, int mode, long device) {
    FileCalls.mknod(path, mode, device);
  }

  @Override
  public void mkfifo(String path, int mode) {
    FileCalls.mkfifo(path, mode);
  }

  @Override
  public StatFs statfs(String path) {
    return FileCalls.statfs(path);
  }

  @Override
  public OwnedFd eventfd(int initialValue, int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int rc = (int) EVENTFD.invokeExact(st, initialValue, flags | OpenFlags.EFD_CLOEXEC);
      check(rc, st, "eventfd", null);
      return new OwnedFd(rc, this);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public OwnedFd memfdCreate(String name, int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      int rc = (int) MEMFD_CREATE.invokeExact(st, a.allocateFrom(name), flags | OpenFlags.MFD_CLOEXEC);
      check(rc, st, "memfd_create", name);
      return new OwnedFd(rc, this);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public void lsetxattr(String path, String name, byte[] value, int flags) {
    XattrCalls.lsetxattr(path, name, value, flags);
  }

  @Override
  public byte[] lgetxattr(String path, String name) {
    return XattrCalls.lgetxattr(path, name);
  }

  @Override
  public List<String> llistxattr(String path) {
    return XattrCalls.llistxattr(path);
  }

  @Override
  public OwnedFd socket(int domain, int type, int protocol) {
    return new OwnedFd(SocketCalls.socket(domain, type, protocol), this);
  }

  @Override
  public void connectUnix(OwnedFd socket, String path) {
    SocketCalls.connectUnix(socket.get(), path);
  }

  @Override
  public void shutdown(OwnedFd socket, int how) {
    SocketCalls.shutdown(socket.get(), how);
  }

  @Override
  public OwnedFd listenUnix(String path, int type) {
    OwnedFd fd = socket(AF_UNIX, type, 0);
    try {
      FdPassingCalls.bindAndListen(fd.get(), path);
      return fd;
    } catch (RuntimeException e) {
      fd.close();
      throw e;
    }
  }

  @Override
  public OwnedFd accept(OwnedFd listener) {
    return new OwnedFd(FdPassingCalls.accept(listener.get()), this);
  }

  @Override
  public OwnedFd receiveFd(OwnedFd socket) {
    int fd = FdPassingCalls.receiveFd(socket.get());
    if (fd < 0) {
      throw NativeCallException.of("recvmsg", socket + ": no descriptor in message", Errno.EINVAL.number());
    }
    return new OwnedFd(fd, this);
  }

  @Override
  public void setWindowSize(OwnedFd terminal, int rows, int columns) {
    FdPassingCalls.setWindowSize(terminal.get(), rows, columns);
  }

  @Override
  public void sethostname(String hostname) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      byte[] bytes = hostname.getBytes(StandardCharsets.UTF_8);
      int rc = (int) SETHOSTNAME.invokeExact(st, a.allocateFrom(ValueLayout.JAVA_BYTE, bytes),
          (long) bytes.length);
      check(rc, st, "sethostname", hostname);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  @Override
  public int getInterfaceFlags(String ifname) {
    return InterfaceCalls.getFlags(ifname);
  }

  @Override
  public void setInterfaceFlags(String ifname, int flags) {
    InterfaceCalls.setFlags(ifname, flags);
  }

  private static MemorySegment str(Arena a, String s) {
    return s == null ? MemorySegment.NULL : a.allocateFrom(s);
  }

  static void check(long rc, MemorySegment state, String call, Object subject) {
    if (rc < 0) {
      throw NativeCallException.of(call, subject, Libc.errno(state));
    }
  }

  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException("downcall failed", t);
  }
}
