package dev.kona.linux.syscall;

import java.util.List;

/**
 * The Linux calls the daemon makes itself, one method per call, so code above can run against
 * {@link LinuxSyscalls} (the kernel, through FFM) or {@link RecordingSyscalls} (a fake that records
 * calls and injects errors). Every method throws {@link NativeCallException} naming the call, its
 * subject (path, fd or pid) and errno; calls that can be interrupted are retried on EINTR.
 *
 * <p>Namespace calls ({@link #unshare}, {@link #setns}) change the calling thread only: make them on
 * a {@link DedicatedThread}, never on a pooled or virtual thread.
 */
public interface Syscalls {

  // mounts
  void mount(String source, String target, String fsType, long flags, String data);

  void umount2(String target, int flags);

  /**
   * {@code chdir(2)}. The working directory is the whole process's unless the thread has called
   * {@code unshare(CLONE_FS)}: only on a {@link DedicatedThread} that did.
   */
  void chdir(String path);

  // namespaces (calling thread only)
  void unshare(int cloneFlags);

  void setns(int fd, int nsType);

  // processes
  int getpid();

  int gettid();

  void kill(int pid, int signal);

  /** {@code pidfd_open(2)}: a descriptor for {@code pid} that cannot be fooled by pid reuse. */
  OwnedFd pidfdOpen(int pid);

  void pidfdSendSignal(OwnedFd pidfd, int signal);

  /**
   * {@code waitid(P_PIDFD, pidfd, WEXITED | (block ? 0 : WNOHANG))}: the exit of a child, or null
   * when not blocking and it is still running.
   */
  ChildExit waitPidfd(OwnedFd pidfd, boolean block);

  /** {@code poll(2)} for readability; a pidfd becomes readable when its process exits. */
  boolean pollReadable(OwnedFd fd, int timeoutMillis);

  /** {@code prctl(2)} with up to four arguments; returns the call's result. */
  int prctl(int option, long arg2, long arg3, long arg4, long arg5);

  // files
  OwnedFd open(String path, int flags, int mode);

  void close(int fd);

  /**
   * {@code openat2(2)}: opens {@code path} relative to {@code dir} with {@code flags} (O_CLOEXEC is
   * always added) and the {@code RESOLVE_*} bits of {@link OpenFlags}, e.g. {@link
   * OpenFlags#RESOLVE_IN_ROOT} to resolve every component and symlink as if {@code dir} were
   * {@code /}. Retried on EINTR and on the EAGAIN the kernel returns when a rename raced the walk.
   */
  OwnedFd openat2(OwnedFd dir, String path, int flags, long resolve);

  int read(OwnedFd fd, byte[] buffer);

  int write(OwnedFd fd, byte[] buffer);

  void mknod(String path, int mode, long device);

  void mkfifo(String path, int mode);

  StatFs statfs(String path);

  OwnedFd eventfd(int initialValue, int flags);

  OwnedFd memfdCreate(String name, int flags);

  // extended attributes, never following symlinks
  void lsetxattr(String path, String name, byte[] value, int flags);

  /** The value, or null when the attribute is absent (ENODATA). */
  byte[] lgetxattr(String path, String name);

  List<String> llistxattr(String path);

  // sockets the JDK cannot make (AF_UNIX SOCK_SEQPACKET)
  OwnedFd socket(int domain, int type, int protocol);

  void connectUnix(OwnedFd socket, String path);

  /** {@code shutdown(2)}: {@link #SHUT_WR} to send EOF, {@link #SHUT_RDWR} to wake a blocked reader. */
  void shutdown(OwnedFd socket, int how);

  /** socket + bind + listen on an AF_UNIX path. */
  OwnedFd listenUnix(String path, int type);

  OwnedFd accept(OwnedFd listener);

  /** The descriptor passed (SCM_RIGHTS) in the next message on {@code socket}. */
  OwnedFd receiveFd(OwnedFd socket);

  /** {@code TIOCSWINSZ} on a terminal. */
  void setWindowSize(OwnedFd terminal, int rows, int columns);

  int AF_UNIX = 1;
  int SOCK_STREAM = 1;
  int SOCK_SEQPACKET = 5;
  int SHUT_WR = 1;
  int SHUT_RDWR = 2;

  // the calling thread's UTS and network namespaces
  void sethostname(String hostname);

  /** {@code SIOCGIFFLAGS}: the {@code IFF_*} flags of {@code ifname} in this thread's netns. */
  int getInterfaceFlags(String ifname);

  void setInterfaceFlags(String ifname, int flags);

  int IFF_UP = 0x1;
  int IFF_LOOPBACK = 0x8;
  int IFF_RUNNING = 0x40;

  /** makedev(3) for glibc's dev_t encoding. */
  static long makedev(long major, long minor) {
    return ((major & 0xfffL) << 8)
        | ((major & ~0xfffL) << 32)
        | (minor & 0xffL)
        | ((minor & ~0xffL) << 12);
  }
}
