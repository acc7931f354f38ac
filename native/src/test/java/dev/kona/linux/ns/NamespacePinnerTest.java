package dev.kona.linux.ns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.AlreadyExistsException;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.linux.mount.MountInfo;
import dev.kona.linux.mount.MountTable;
import dev.kona.linux.syscall.Errno;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.syscall.RecordingSyscalls;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.linux.testing.KernelTempDir;
import dev.kona.linux.testing.NoLeaks;
import dev.kona.oci.spec.LinuxNamespace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeaks.class)
class NamespacePinnerTest {
  private static final Set<NamespaceType> POD =
      Set.of(NamespaceType.NET, NamespaceType.IPC, NamespaceType.UTS);

  private final Syscalls sys = LinuxSyscalls.get();
  private final NamespacePinner pinner = new NamespacePinner(sys);

  @TempDir(factory = KernelTempDir.class)
  Path run;

  @Test
  void pin_createsNewNamespacesPinnedByFiles_thenUnpinLeavesNothing() throws Exception {
    Path podDir = run.resolve("pod-1");
    PinnedNamespaces ns = pinner.pin(podDir, POD, "web-0");
    try {
      for (NamespaceType t : POD) {
        Path pin = ns.path(t);
        assertEquals(podDir.resolve(t.procName()), pin);
        assertNotEquals(Namespaces.hostInode(t), Namespaces.inode(pin), t + " differs from host");
        MountInfo m = MountTable.at(pin.toString());
        assertEquals("nsfs", m.fsType(), t + " pinned by an nsfs bind mount");
      }
      assertEquals(Namespaces.hostInode(NamespaceType.NET),
          Namespaces.inode(Path.of("/proc/thread-self/ns/net")), "test thread never moved");
      assertEquals(List.of(
          LinuxNamespace.join("network", podDir.resolve("net").toString()),
          LinuxNamespace.join("ipc", podDir.resolve("ipc").toString()),
          LinuxNamespace.join("uts", podDir.resolve("uts").toString())), ns.joinEntries());
    } finally {
      pinner.unpin(ns);
    }
    assertEquals(List.of(), MountTable.under(podDir.toString()));
    for (NamespaceType t : POD) {
      assertFalse(Files.exists(podDir.resolve(t.procName())));
    }
    pinner.unpin(ns); // idempotent
  }

  @Test
  void pin_network_hasOnlyLoopbackAndItIsUp() throws Exception {
    PinnedNamespaces ns = pinner.pin(run.resolve("pod-net"), Set.of(NamespaceType.NET), null);
    try {
      Path net = ns.path(NamespaceType.NET);
      int flags = Namespaces.callIn(sys, net, NamespaceType.NET, () -> sys.getInterfaceFlags("lo"));
      assertTrue((flags & Syscalls.IFF_UP) != 0, "lo up, flags 0x" + Integer.toHexString(flags));
      // The same seen from outside Java, as `ip netns exec` would.
      String links = run("nsenter", "--net=" + net, "ip", "-o", "link", "show");
      assertEquals(1, links.lines().count(), links);
      assertTrue(links.contains("lo:") && links.contains("UP"), links);
    } finally {
      pinner.unpin(ns);
    }
  }

  @Test
  void pin_uts_setsHostnameInsideOnly() throws Exception {
    String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    PinnedNamespaces ns = pinner.pin(run.resolve("pod-uts"), Set.of(NamespaceType.UTS), "kona-pod-a");
    try {
      assertEquals("kona-pod-a", run("nsenter", "--uts=" + ns.path(NamespaceType.UTS), "hostname").trim());
      assertEquals(host, Files.readString(Path.of("/proc/sys/kernel/hostname")).trim());
    } finally {
      pinner.unpin(ns);
    }
  }

  @Test
  void pin_twiceInSameDir_isAlreadyExistsAndKeepsFirst() {
    Path podDir = run.resolve("pod-dup");
    PinnedNamespaces first = pinner.pin(podDir, Set.of(NamespaceType.IPC), null);
    try {
      assertThrows(AlreadyExistsException.class,
          () -> pinner.pin(podDir, Set.of(NamespaceType.IPC), null));
      assertEquals("nsfs", MountTable.at(first.path(NamespaceType.IPC).toString()).fsType());
    } finally {
      pinner.unpin(first);
    }
  }

  @Test
  void pin_pidNamespace_isRefused() {
    assertThrows(FailedPreconditionException.class,
        () -> pinner.pin(run.resolve("p"), Set.of(NamespaceType.PID), null));
  }

  @Test
  void pin_mountFailsPartWay_undoesEarlierPins() throws Exception {
    RecordingSyscalls fake = new RecordingSyscalls();
    fake.failAlways(c -> c.name().equals("mount") && c.arg(1).toString().endsWith("/uts"), Errno.EPERM);
    Path podDir = run.resolve("pod-fail");

    assertThrows(FailedPreconditionException.class,
        () -> new NamespacePinner(fake).pin(podDir, POD, "h"));

    try (var files = Files.list(podDir)) {
      assertEquals(List.of(), files.toList(), "no pin files left");
    }
    // Pins are made in enum order (net, ipc, uts); the uts file existed when its mount failed.
    assertEquals(List.of(podDir.resolve("net").toString(), podDir.resolve("ipc").toString(),
        podDir.resolve("uts").toString()),
        fake.calls("umount2").stream().map(c -> c.arg(0)).toList(), fake.calls().toString());
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    return out;
  }
}
