package dev.kona.linux.syscall;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A fake {@link Syscalls} for pure-logic tests: records every call in order, succeeds unless told
 * otherwise, and fails calls that match an injected rule with the given errno (as the kernel would,
 * through {@link NativeCallException}). It touches nothing on the machine. Thread-safe.
 */
public final class RecordingSyscalls implements Syscalls {

  /** One recorded call: its name and arguments in order. */
  public record Call(String name, List<Object> args) {
    public Object arg(int i) {
      return args.get(i);
    }

    @Override
    public String toString() {
      return name + args;
    }
  }

  private record Rule(Predicate<Call> matcher, Errno errno, int[] remaining) {}

  private final List<Call> calls = new ArrayList<>();
  private final List<Rule> rules = new ArrayList<>();
  private final Set<Integer> openFds = new TreeSet<>();
  private final Map<String, Map<String, byte[]>> xattrs = new HashMap<>();
  private final Map<Integer, ChildExit> exits = new HashMap<>();
  private int nextFd = 100;

  /** Fails the next {@code times} calls named {@code name} with {@code errno}. */
  public synchronized RecordingSyscalls failNext(String name, Errno errno, int times) {
    rules.add(new Rule(c -> c.name().equals(name), errno, new int[] {times}));
    return this;
  }

  /** Fails every call matching {@code matcher} with {@code errno}, until {@link #clearFailures}. */
  public synchronized RecordingSyscalls failAlways(Predicate<Call> matcher, Errno errno) {
    rules.add(new Rule(matcher, errno, new int[] {Integer.MAX_VALUE}));
    return this;
  }

  public synchronized void clearFailures() {
    rules.clear();
  }

  /** Makes {@link #waitPidfd} report {@code exit} for the pidfd opened on {@code exit.pid()}. */
  public synchronized void exitProcess(ChildExit exit) {
    exits.put(exit.pid(), exit);
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized List<Call> calls(String name) {
    return calls.stream().filter(c -> c.name().equals(name)).toList();
  }

  /** Descriptors opened through this fake and not closed: a leak check for the code under test. */
  public synchronized Set<Integer> openFds() {
    return Set.copyOf(openFds);
  }

  private synchronized void record(String name, Object... args) {
    Call call = new Call(name, Arrays.asList(args));
    calls.add(call);
    for (Rule rule : rules) {
      if (rule.remaining()[0] > 0 && rule.matcher().test(call)) {
        rule.remaining()[0]--;
        throw NativeCallException.of(name, args.length == 0 ? null : args[0], rule.errno().number());
      }
    }
  }

  private synchronized OwnedFd newFd() {
    int fd = nextFd++;
    openFds.add(fd);
    return new OwnedFd(fd, this);
  }

  @Override
  public void mount(String source, String target, String fsType, long flags, String data) {
    record("mount", source, target, fsType, flags, data);
  }

  @Override
  public void umount2(String target, int flags) {
    record("umount2", target, flags);
  }

  @Override
  public void chdir(String path) {
    record("chdir", path);
  }

  @Override
  public void unshare(int cloneFlags) {
    record("unshare", cloneFlags);
  }

  @Override
  public void setns(int fd, int nsType) {
    record("setns", fd, nsType);
  }

  @Override
  public int getpid() {
    record("getpid");
    return 4242;
  }

  @Override
  public int gettid() {
    record("gettid");
    return 4243;
  }

  @Override
  public void kill(int pid, int signal) {
    record("kill", pid, signal);
  }

  private final Map<Integer, Integer> pidfdPids = new LinkedHashMap<>();

  @Override
  public OwnedFd pidfdOpen(int pid) {
    record("pidfd_open", pid);
    OwnedFd fd = newFd();
    synchronized (this) {
      pidfdPids.put(fd.get(), pid);
    }
    return fd;
  }

  @Override
  public void pidfdSendSignal(OwnedFd pidfd, int signal) {
    record("pidfd_send_signal", pidfd.get(), signal);
  }

  @Override
  public synchronized ChildExit waitPidfd(OwnedFd pidfd, boolean block) {
    record("waitid", pidfd.get(), block);
    Integer pid = pidfdPids.get(pidfd.get());
    return pid == null ? null : exits.get(pid);
  }

  @Override
  public synchronized boolean pollReadable(OwnedFd fd, int timeoutMillis) {
    record("poll", fd.get(), timeoutMillis);
    Integer pid = pidfdPids.get(fd.get());
    return pid != null && exits.containsKey(pid);
  }

  @Override
  public int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
    record("prctl", option, arg2, arg3, arg4, arg5);
    return 0;
  }

  @Override
  public OwnedFd open(String path, int flags, int mode) {
    record("open", path, flags, mode);
    return newFd();
  }

  @Override
  public OwnedFd openat2(OwnedFd dir, String path, int flags, long resolve) {
    record("openat2", path, dir.get(), flags, resolve);
    return newFd();
  }

  @Override
  public synchronized void close(int fd) {
    record("close", fd);
    if (!openFds.remove(fd)) {
      throw NativeCallException.of("close", "fd " + fd, Errno.EBADF.number());
    }
  }

  @Override
  public int read(OwnedFd fd, byte[] buffer) {
    record("read", fd.get(), buffer.length);
    return 0;
  }

  @Override
  public int write(OwnedFd fd, byte[] buffer) {
    record("write", fd.get(), buffer.length);
    return buffer.length;
  }

  @Override
  public void mknod(String path, int mode, long device) {
    record("mknod", path, mode, device);
  }

  @Override
  public void mkfifo(String path, int mode) {
    record("mkfifo", path, mode);
  }

  @Override
  public StatFs statfs(String path) {
    record("statfs", path);
    return new StatFs(StatFs.TMPFS_MAGIC, 4096, 0, 0, 0);
  }

  @Override
  public OwnedFd eventfd(int initialValue, int flags) {
    record("eventfd", initialValue, flags);
    return newFd();
  }

  @Override
  public OwnedFd memfdCreate(String name, int flags) {
    record("memfd_create", name, flags);
    return newFd();
  }

  @Override
  public synchronized void lsetxattr(String path, String name, byte[] value, int flags) {
    record("lsetxattr", path, name, value.length, flags);
    xattrs.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(name, value.clone());
  }

  @Override
  public synchronized byte[] lgetxattr(String path, String name) {
    record("lgetxattr", path, name);
    byte[] value = xattrs.getOrDefault(path, Map.of()).get(name);
    return value == null ? null : value.clone();
  }

  @Override
  public synchronized List<String> llistxattr(String path) {
    record("llistxattr", path);
    return List.copyOf(xattrs.getOrDefault(path, Map.of()).keySet());
  }

  private final Map<String, Integer> interfaceFlags = new HashMap<>(Map.of("lo", IFF_LOOPBACK));

  @Override
  public void sethostname(String hostname) {
    record("sethostname", hostname);
  }

  @Override
  public synchronized int getInterfaceFlags(String ifname) {
    record("getInterfaceFlags", ifname);
    Integer flags = interfaceFlags.get(ifname);
    if (flags == null) {
      throw NativeCallException.of("ioctl", ifname, Errno.ENODEV.number());
    }
    return flags;
  }

  @Override
  public synchronized void setInterfaceFlags(String ifname, int flags) {
    record("setInterfaceFlags", ifname, flags);
    interfaceFlags.put(ifname, flags);
  }

  @Override
  public OwnedFd socket(int domain, int type, int protocol) {
    record("socket", domain, type, protocol);
    return newFd();
  }

  @Override
  public void connectUnix(OwnedFd socket, String path) {
    record("connect", socket.get(), path);
  }

  @Override
  public void shutdown(OwnedFd socket, int how) {
    record("shutdown", socket.get(), how);
  }

  @Override
  public OwnedFd listenUnix(String path, int type) {
    record("listen", path, type);
    return newFd();
  }

  @Override
  public OwnedFd accept(OwnedFd listener) {
    record("accept", listener.get());
    return newFd();
  }

  @Override
  public OwnedFd receiveFd(OwnedFd socket) {
    record("recvmsg", socket.get());
    return newFd();
  }

  @Override
  public void setWindowSize(OwnedFd terminal, int rows, int columns) {
    record("setWindowSize", terminal.get(), rows, columns);
  }
}
