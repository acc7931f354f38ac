package dev.kona.linux.syscall;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs on the real kernel as root (the project's tests require root and never skip). */
class LinuxSyscallsTest {
  private final Syscalls sys = LinuxSyscalls.get();

  @TempDir Path dir;

  @Test
  void mount_tmpfs_thenUmount() throws IOException {
    Path target = Files.createDirectory(dir.resolve("mnt"));
    sys.mount("kona-test", target.toString(), "tmpfs", MountFlags.MS_NOSUID, "size=1m");
    try {
      assertEquals(StatFs.TMPFS_MAGIC, sys.statfs(target.toString()).type());
      assertTrue(Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + target + " "));
    } finally {
      sys.umount2(target.toString(), 0);
    }
    assertNotEquals(StatFs.TMPFS_MAGIC, sys.statfs(target.toString()).type());
  }

  @Test
  void mount_missingTarget_namesCallPathAndErrno() {
    String missing = dir.resolve("nope").toString();
    NativeCallException e = assertThrows(NativeCallException.class,
        () -> sys.mount("kona-test", missing, "tmpfs", 0, null));
    assertTrue(e.is(Errno.ENOENT));
    assertTrue(e.getMessage().startsWith("mount kona-test on " + missing + " type tmpfs"), e.getMessage());
  }

  @Test
  void umount2_notAMountPoint_isEinval() {
    NativeCallException e =
        assertThrows(NativeCallException.class, () -> sys.umount2(dir.toString(), 0));
    assertTrue(e.is(Errno.EINVAL), e.getMessage());
  }

  @Test
  void statfs_proc() {
    assertEquals(StatFs.PROC_SUPER_MAGIC, sys.statfs("/proc").type());
  }

  @Test
  void open_closesExactlyOnce() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    OwnedFd fd = sys.open(file.toString(), OpenFlags.O_RDONLY, 0);
    Path link = Path.of("/proc/self/fd/" + fd.get());
    assertEquals(file, Files.readSymbolicLink(link));
    fd.close();
    fd.close();
    assertFalse(fd.isOpen());
    assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertThrows(IllegalStateException.class, fd::get);
  }

  @Test
  void openat2_inRoot_resolvesAbsoluteSymlinksUnderTheRoot_andNoSymlinksRefusesThem() throws IOException {
    Path root = Files.createDirectory(dir.resolve("root"));
    Files.createDirectory(root.resolve("etc"));
    Files.writeString(root.resolve("etc/hostname"), "inside");
    Files.createSymbolicLink(root.resolve("a"), Path.of("/etc"));
    Files.createSymbolicLink(root.resolve("up"), Path.of("../../../../../.."));
    try (OwnedFd rootFd = sys.open(root.toString(), OpenFlags.O_PATH | OpenFlags.O_DIRECTORY, 0)) {
      try (OwnedFd in = sys.openat2(rootFd, "a/hostname", OpenFlags.O_RDONLY, OpenFlags.RESOLVE_IN_ROOT);
          OwnedFd climbed = sys.openat2(rootFd, "up/etc/hostname", OpenFlags.O_RDONLY, OpenFlags.RESOLVE_IN_ROOT)) {
        assertEquals(root.resolve("etc/hostname"), Files.readSymbolicLink(Path.of("/proc/self/fd/" + in.get())));
        assertEquals(root.resolve("etc/hostname"), Files.readSymbolicLink(Path.of("/proc/self/fd/" + climbed.get())));
      }
      NativeCallException loop = assertThrows(NativeCallException.class,
          () -> sys.openat2(rootFd, "a/hostname", OpenFlags.O_PATH, OpenFlags.RESOLVE_BENEATH | OpenFlags.RESOLVE_NO_SYMLINKS));
      assertTrue(loop.is(Errno.ELOOP), loop.getMessage());
      NativeCallException beneath = assertThrows(NativeCallException.class,
          () -> sys.openat2(rootFd, "../root/etc/hostname", OpenFlags.O_PATH, OpenFlags.RESOLVE_BENEATH));
      assertTrue(beneath.is(Errno.EXDEV), beneath.getMessage());
    }
  }

  @Test
  void open_missing_isEnoent() {
    NativeCallException e = assertThrows(NativeCallException.class,
        () -> sys.open(dir.resolve("missing").toString(), OpenFlags.O_RDONLY, 0));
    assertEquals(dev.kona.common.error.ErrorKind.NOT_FOUND, e.kind());
  }

  @Test
  void getpidAndGettid_matchProc() throws IOException {
    assertEquals(ProcessHandle.current().pid(), sys.getpid());
    String threadSelf = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
    assertEquals(sys.getpid() + "/task/" + sys.gettid(), threadSelf);
  }

  @Test
  void kill_noSuchProcess_isEsrch() {
    NativeCallException e =
        assertThrows(NativeCallException.class, () -> sys.kill(Integer.MAX_VALUE, 0));
    assertTrue(e.is(Errno.ESRCH));
  }

  @Test
  void pidfd_signalAndPollExit() throws Exception {
    Process child = new ProcessBuilder("sleep", "60").start();
    try (OwnedFd pidfd = sys.pidfdOpen((int) child.pid())) {
      assertFalse(sys.pollReadable(pidfd, 0), "running process is not readable");
      assertNull(sys.waitPidfd(pidfd, false), "WNOHANG on a running child reports nothing");
      sys.pidfdSendSignal(pidfd, Signal.SIGKILL.number());
      assertTrue(sys.pollReadable(pidfd, 10_000), "pidfd readable after exit");
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
      assertEquals(128 + 9, child.exitValue());
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void prctl_getNoNewPrivs_matchesProcStatus() throws IOException {
    int PR_GET_NO_NEW_PRIVS = 39;
    String status = Files.readString(Path.of("/proc/thread-self/status"));
    String expected = status.lines().filter(l -> l.startsWith("NoNewPrivs:")).findFirst()
        .orElseThrow().split("\\s+")[1];
    assertEquals(Integer.parseInt(expected), sys.prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
  }

  @Test
  void mknodAndMkfifo_createNodes() throws Exception {
    Path fifo = dir.resolve("fifo");
    Path nul = dir.resolve("null");
    sys.mkfifo(fifo.toString(), 0600);
    sys.mknod(nul.toString(), 0020000 | 0666, Syscalls.makedev(1, 3));
    assertEquals("fifo", stat("%F", fifo));
    assertEquals("character special file 1:3", stat("%F %Hr:%Lr", nul));
    assertThrows(NativeCallException.class, () -> sys.mkfifo(fifo.toString(), 0600));
  }

  @Test
  void eventfd_writeThenRead() {
    try (OwnedFd efd = sys.eventfd(0, 0)) {
      byte[] three = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(3).array();
      assertEquals(8, sys.write(efd, three));
      sys.write(efd, three);
      byte[] out = new byte[8];
      assertEquals(8, sys.read(efd, out));
      assertEquals(6, ByteBuffer.wrap(out).order(ByteOrder.nativeOrder()).getLong());
    }
  }

  @Test
  void memfd_isAnonymousFile() throws IOException {
    try (OwnedFd fd = sys.memfdCreate("kona-test", 0)) {
      sys.write(fd, "bpf".getBytes(StandardCharsets.UTF_8));
      String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd.get())).toString();
      assertTrue(link.startsWith("/memfd:kona-test"), link);
      assertEquals(3, Files.size(Path.of("/proc/self/fd/" + fd.get())));
    }
  }

  @Test
  void xattrs_setGetList() throws IOException {
    Path file = Files.writeString(dir.resolve("x"), "");
    String p = file.toString();
    assertNull(sys.lgetxattr(p, "user.kona.absent"));
    sys.lsetxattr(p, "user.kona.test", "value".getBytes(StandardCharsets.UTF_8), 0);
    assertArrayEquals("value".getBytes(StandardCharsets.UTF_8), sys.lgetxattr(p, "user.kona.test"));
    assertTrue(sys.llistxattr(p).contains("user.kona.test"), sys.llistxattr(p).toString());
  }

  @Test
  void unshareOnDedicatedThread_leavesCallerInItsNamespace() throws IOException {
    Path uts = Path.of("/proc/thread-self/ns/uts");
    String before = Files.readSymbolicLink(uts).toString();
    String inside = DedicatedThread.call("kona-test-unshare", () -> {
      sys.unshare(CloneFlags.CLONE_NEWUTS);
      return Files.readSymbolicLink(uts).toString();
    });
    assertNotEquals(before, inside);
    assertEquals(before, Files.readSymbolicLink(uts).toString());
  }

  @Test
  void setns_returnsToHostNetwork() throws IOException {
    Path net = Path.of("/proc/thread-self/ns/net");
    String host = Files.readSymbolicLink(net).toString();
    try (OwnedFd hostNs = sys.open("/proc/thread-self/ns/net", OpenFlags.O_RDONLY, 0)) {
      String[] seen = DedicatedThread.call("kona-test-setns", () -> {
        sys.unshare(CloneFlags.CLONE_NEWNET);
        String fresh = Files.readSymbolicLink(net).toString();
        sys.setns(hostNs.get(), CloneFlags.CLONE_NEWNET);
        return new String[] {fresh, Files.readSymbolicLink(net).toString()};
      });
      assertNotEquals(host, seen[0]);
      assertEquals(host, seen[1]);
    }
  }

  @Test
  void dedicatedThread_propagatesFailure() {
    NativeCallException e = assertThrows(NativeCallException.class,
        () -> DedicatedThread.run("kona-test-fail", () -> sys.setns(-1, 0)));
    assertTrue(e.is(Errno.EBADF));
  }

  @Test
  void connectUnix_seqpacket_toMissingOrOverlongPath() {
    try (OwnedFd s = sys.socket(Syscalls.AF_UNIX, Syscalls.SOCK_SEQPACKET, 0)) {
      NativeCallException missing = assertThrows(NativeCallException.class,
          () -> sys.connectUnix(s, dir.resolve("no-socket").toString()));
      assertTrue(missing.is(Errno.ENOENT), missing.getMessage());
      NativeCallException tooLong = assertThrows(NativeCallException.class,
          () -> sys.connectUnix(s, "/" + "x".repeat(120)));
      assertTrue(tooLong.is(Errno.ENAMETOOLONG));
    }
  }

  @Test
  void connectUnix_toListeningSocket() throws Exception {
    Path path = dir.resolve("s.sock");
    try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      server.bind(java.net.UnixDomainSocketAddress.of(path));
      try (OwnedFd s = sys.socket(Syscalls.AF_UNIX, Syscalls.SOCK_STREAM, 0);
          var accepted = connectAndAccept(s, path, server)) {
        sys.write(s, "ping".getBytes(StandardCharsets.UTF_8));
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4);
        while (buf.hasRemaining()) {
          accepted.read(buf);
        }
        assertEquals("ping", new String(buf.array(), StandardCharsets.UTF_8));
        sys.shutdown(s, Syscalls.SHUT_WR);
        assertEquals(-1, accepted.read(java.nio.ByteBuffer.allocate(1)), "EOF after SHUT_WR");
      }
    }
  }

  private java.nio.channels.SocketChannel connectAndAccept(OwnedFd s, Path path,
      java.nio.channels.ServerSocketChannel server) throws IOException {
    sys.connectUnix(s, path.toString());
    return server.accept();
  }

  private static String stat(String format, Path path) throws Exception {
    Process p = new ProcessBuilder("stat", "-c", format, path.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor());
    return out;
  }
}
