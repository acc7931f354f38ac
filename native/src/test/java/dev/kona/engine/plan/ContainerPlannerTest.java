package dev.kona.engine.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.oci.spec.Linux;
import dev.kona.oci.spec.LinuxNamespace;
import dev.kona.oci.spec.Process;
import dev.kona.oci.spec.Root;
import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.SpecMount;
import dev.kona.oci.spec.User;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spec to plan translation: pure logic over records, no kernel. */
class ContainerPlannerTest {
  static final HostFacts HOST = new HostFacts(-1L, List.of("cpu", "memory", "name=systemd"), false);
  final ContainerPlanner planner = new ContainerPlanner(HOST, null);

  static Spec spec(List<LinuxNamespace> namespaces, Map<String, String> sysctl, List<SpecMount> mounts) {
    Linux linux = new Linux(null, null, sysctl, null, null, namespaces, null, null, null, null, null, null);
    return new Spec(Spec.VERSION, Process.of(User.of(0, 0), List.of("true"), List.of("A=1"), "/"),
        new Root("rootfs", false), "h", null, mounts, null, null, linux);
  }

  LaunchPlan plan(Spec spec) {
    return planner.plan(spec, Path.of("/b"), new ContainerPlanner.Placement(List.of(), null, null, false, false, 0));
  }

  @Test
  void sysctl_netNeedsOwnNetworkNamespace() {
    Spec hostNet = spec(List.of(LinuxNamespace.create("mount")), Map.of("net.ipv4.ip_forward", "1"), List.of());
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> plan(hostNet));
    assertTrue(e.getMessage().contains("linux.sysctl net.ipv4.ip_forward: needs the container's own net namespace"),
        e.getMessage());
    Spec podNet = spec(List.of(LinuxNamespace.join("network", "/run/ns/net")), Map.of("net.ipv4.ip_forward", "1"), List.of());
    assertEquals(Map.of("net.ipv4.ip_forward", "1"), plan(podNet).sysctls());
  }

  @Test
  void sysctl_hostWideIsRefused() {
    Spec spec = spec(List.of(LinuxNamespace.create("ipc")), Map.of("vm.swappiness", "1"), List.of());
    assertThrows(InvalidArgumentException.class, () -> plan(spec));
  }

  @Test
  void namespaces_mountAlwaysNewUserRefused() {
    LaunchPlan p = plan(spec(List.of(LinuxNamespace.create("pid")), Map.of(), List.of()));
    assertEquals(List.of(NamespaceEntry.create("pid"), NamespaceEntry.create("mnt")), p.namespaces());
    assertThrows(InvalidArgumentException.class, () -> plan(spec(List.of(LinuxNamespace.create("user")), Map.of(), List.of())));
  }

  @Test
  void mounts_bindOptionsCgroupAndRelativeSource() {
    LaunchPlan p = plan(spec(List.of(), Map.of(), List.of(
        SpecMount.of("/etc/hosts", "bind", "hosts", List.of("rbind", "ro", "rprivate")),
        SpecMount.of("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "ro")))));
    List<MountOp> mounts = p.filesystem().mounts();
    assertEquals(new MountOp("/b/hosts", "/etc/hosts", "", 4096 | 16384 | 1, (1 << 18) | 16384, ""), mounts.get(0));
    assertEquals(new MountOp("tmpfs", "/sys/fs/cgroup", "tmpfs", 2, 0, "mode=755"), mounts.get(1));
    assertEquals(new MountOp("cgroup", "/sys/fs/cgroup/systemd", "cgroup", 3, 0, "name=systemd"), mounts.get(4));
    assertEquals(new MountOp("", "/sys/fs/cgroup", "", 2 | 32 | 1, 0, "mode=755"), mounts.get(5));
    assertEquals(Path.of("/b/rootfs"), p.filesystem().rootfs());
  }

  @Test
  void devices_neverPlannedOnAHostBind() {
    LaunchPlan own = plan(spec(List.of(), Map.of(), List.of(
        SpecMount.of("/dev", "tmpfs", "tmpfs", List.of("mode=755")),
        SpecMount.of("/dev/null", "bind", "/srv/null", List.of("rbind")))));
    List<String> made = own.filesystem().devices().stream().map(DeviceNode::path).toList();
    assertEquals(List.of("/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"), made,
        "a node where a file is bind-mounted is left to the bind");
    assertTrue(!own.filesystem().consoleOnHostBind());

    LaunchPlan hostDev = plan(spec(List.of(), Map.of(), List.of(
        SpecMount.of("/dev", "tmpfs", "tmpfs", List.of("mode=755")),
        SpecMount.of("/dev/", "bind", "/srv/dev", List.of("rbind")))));
    assertEquals(List.of(), hostDev.filesystem().devices());
    assertEquals(List.of(), hostDev.filesystem().symlinks());
    assertTrue(hostDev.filesystem().consoleOnHostBind());

    // A tmpfs of the container's own over a host bind: its nodes are made in the tmpfs.
    LaunchPlan tmpfsOnTop = plan(spec(List.of(), Map.of(), List.of(
        SpecMount.of("/dev", "bind", "/srv/dev", List.of("rbind")),
        SpecMount.of("/dev", "tmpfs", "tmpfs", List.of("mode=755")))));
    assertEquals(6, tmpfsOnTop.filesystem().devices().size());
  }

  @Test
  void exec_environmentEntriesReplaceByName() {
    assertEquals(List.of("PATH=/x", "A=2", "B=3"),
        ExecPlanner.mergeEnv(List.of("PATH=/x", "A=1"), List.of("A=2", "B=3")));
  }

  @Test
  void hooks_areRefusedRatherThanSkipped() {
    Spec base = spec(List.of(), Map.of(), List.of());
    Spec withHook = new Spec(base.ociVersion(), base.process(), base.root(), base.hostname(), null, base.mounts(),
        new dev.kona.oci.spec.Hooks(List.of(new dev.kona.oci.spec.Hook("/bin/true", null, null, null)), null, null, null, null, null),
        null, base.linux());
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> plan(withHook));
    assertTrue(e.getMessage().contains("hooks: OCI hooks are not run by the native engine"), e.getMessage());
  }
}
