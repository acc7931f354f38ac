package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.cri.api.v1.Capability;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerStatus;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.Device;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ExecSyncResponse;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.Int64Value;
import dev.kona.cri.api.v1.LinuxContainerConfig;
import dev.kona.cri.api.v1.LinuxContainerResources;
import dev.kona.cri.api.v1.LinuxContainerSecurityContext;
import dev.kona.cri.api.v1.Mount;
import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopContainerRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a container may do to its node, through a real daemon: devices (the device cgroup, CRI
 * device permissions, a host directory mounted at /dev), its cgroup namespace and read-only
 * /sys/fs/cgroup, and ambient capabilities for a non-root user.
 */
class ContainerIsolationTest extends OnePodSuite {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  ContainerIsolationTest() {
    super(registry, registry::image, "isolation");
  }

  private String create(ContainerConfig.Builder config) {
    ContainerConfig c = config.setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .setLogPath(config.getMetadata().getName() + "/0.log").build();
    return kona.runtime().createContainer(CreateContainerRequest.newBuilder()
        .setPodSandboxId(pod).setConfig(c).setSandboxConfig(PodSandboxTest.config("isolation")).build()).getContainerId();
  }

  private static ContainerConfig.Builder named(String name, String... command) {
    return ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName(name))
        .addAllCommand(List.of(command));
  }

  private String started(ContainerConfig.Builder config) {
    String id = create(config);
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    return id;
  }

  private ExecSyncResponse exec(String id, String script) {
    return kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addAllCmd(List.of("sh", "-c", script)).setTimeout(10).build());
  }

  private String log(String name) throws IOException {
    return Files.readAllLines(root.resolve("logs/" + name + "/0.log")).stream()
        .map(l -> l.split(" ", 4)[3]).collect(Collectors.joining("\n"));
  }

  @Test
  void hostDirectoryMountedAtDev_isLeftByteForByteUnchanged() throws Exception {
    Path hostDev = Files.createDirectory(root.resolve("host-dev"));
    Files.writeString(hostDev.resolve("sentinel"), "do not touch\n");
    // A node whose mode and owner differ from what the engine would create for /dev/null.
    run("mknod", "-m", "0600", hostDev.resolve("null").toString(), "c", "1", "3");
    run("chown", "1234:1234", hostDev.resolve("null").toString());
    Map<String, String> before = snapshot(hostDev);

    String id = started(named("devmount", "sh", "-c", "cat /dev/sentinel; ls /dev")
        .addMounts(Mount.newBuilder().setContainerPath("/dev").setHostPath(hostDev.toString())));
    ContainerStatus done = kona.awaitExit(id, Duration.ofSeconds(10));
    assertEquals(0, done.getExitCode(), log("devmount"));
    assertTrue(log("devmount").startsWith("do not touch"), log("devmount"));
    kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(id).setTimeout(0).build());
    kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());

    assertEquals(before, snapshot(hostDev), "the mount source on the host changed");
  }

  @Test
  void devicePermissionR_isReadOnlyInTheCgroupAndTheNodeMode() throws Exception {
    // /dev/loop-control (10:237, 0600) is outside the default allow list; opening it does nothing by itself.
    String id = started(named("readonly-device", "sleep", "1000")
        .addDevices(Device.newBuilder().setContainerPath("/dev/probe").setHostPath("/dev/loop-control").setPermissions("r")));
    assertEquals("400\n", exec(id, "stat -c %a /dev/probe").getStdout().toStringUtf8(), "node mode without write bits");
    ExecSyncResponse read = exec(id, "exec 3</dev/probe");
    assertEquals(0, read.getExitCode(), "read open allowed: " + read.getStderr().toStringUtf8());
    ExecSyncResponse write = exec(id, "exec 3>>/dev/probe");
    assertNotEquals(0, write.getExitCode(), "write open must be refused");
    assertTrue(write.getStderr().toStringUtf8().contains("not permitted"), write.getStderr().toStringUtf8());
    String list = Files.readString(Path.of("/sys/fs/cgroup/devices/kona", id, "devices.list"));
    assertTrue(list.lines().anyMatch("c 10:237 r"::equals), list);
  }

  @Test
  void unprivilegedContainer_hasDefaultDenyDeviceCgroup_andCannotReadAHostBlockDevice() throws Exception {
    String id = started(named("no-devices", "sleep", "1000"));
    Set<String> allowed = new TreeSet<>(Files.readAllLines(Path.of("/sys/fs/cgroup/devices/kona", id, "devices.list")));
    assertEquals(new TreeSet<>(List.of("c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm",
        "c 1:9 rwm", "c 5:0 rwm", "c 5:2 rwm", "c 136:* rwm")), allowed,
        "runc's list: no 5:1, the console is a bind of the container's own pty");

    String disk = Files.readAllLines(Path.of("/proc/partitions")).stream().skip(2)
        .map(l -> l.trim().split("\\s+")).filter(f -> f.length == 4).map(f -> f[0] + " " + f[1])
        .findFirst().orElseThrow();
    ExecSyncResponse block = exec(id, "mknod /tmp/disk b " + disk + " && dd if=/tmp/disk of=/dev/null bs=512 count=1");
    assertNotEquals(0, block.getExitCode(), "read the host's disk " + disk);
    assertTrue(block.getStderr().toStringUtf8().contains("not permitted"), block.getStderr().toStringUtf8());
    ExecSyncResponse loop = exec(id, "mknod /tmp/loop-control c 10 237 && exec 3</tmp/loop-control");
    assertNotEquals(0, loop.getExitCode(), "opened the host's loop-control");
    assertTrue(loop.getStderr().toStringUtf8().contains("not permitted"), loop.getStderr().toStringUtf8());
    ExecSyncResponse console = exec(id, "mknod /tmp/console c 5 1 && exec 3>/tmp/console");
    assertNotEquals(0, console.getExitCode(), "opened the host's console");
    assertTrue(console.getStderr().toStringUtf8().contains("not permitted"), console.getStderr().toStringUtf8());
  }

  @Test
  void devicePermissions_otherThanRwm_areRefusedNamingTheField() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> create(named("bad-device", "true")
        .addDevices(Device.newBuilder().setContainerPath("/dev/probe").setHostPath("/dev/null").setPermissions("rx"))));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("config.devices: permissions of /dev/probe"), e.getMessage());
  }

  @Test
  void container_hasItsOwnCgroupNamespace_andReadOnlySysFsCgroup() throws Exception {
    String id = started(named("cgroupns", "sleep", "1000")
        .setLinux(LinuxContainerConfig.newBuilder().setResources(
            LinuxContainerResources.newBuilder().setMemoryLimitInBytes(48L << 20))));
    String cgroups = exec(id, "cat /proc/self/cgroup").getStdout().toStringUtf8();
    assertTrue(cgroups.lines().count() > 1 && cgroups.lines().allMatch(l -> l.endsWith(":/")), cgroups);
    ExecSyncResponse limit = exec(id, "cat /sys/fs/cgroup/memory/memory.limit_in_bytes");
    assertEquals(String.valueOf(48L << 20) + "\n", limit.getStdout().toStringUtf8(), limit.getStderr().toStringUtf8());
    ExecSyncResponse write = exec(id, "echo 100000000 > /sys/fs/cgroup/memory/memory.limit_in_bytes");
    assertNotEquals(0, write.getExitCode());
    assertTrue(write.getStderr().toStringUtf8().contains("Read-only file system"), write.getStderr().toStringUtf8());
    ExecSyncResponse own = exec(id, "cat /sys/fs/cgroup/devices/devices.list");
    assertTrue(own.getStdout().toStringUtf8().contains("c 136:* rwm"), own.getStdout().toStringUtf8());
    assertEquals(String.valueOf(48L << 20),
        Files.readString(Path.of("/sys/fs/cgroup/memory/kona", id, "memory.limit_in_bytes")).trim(), "the limit held");
  }

  @Test
  void ambientCapabilities_keptByANonRootUserAcrossExec() throws Exception {
    String id = started(named("ambient", "sh", "-c", "grep ^Cap /proc/self/status")
        .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.newBuilder()
            .setRunAsUser(Int64Value.newBuilder().setValue(1000))
            .setCapabilities(Capability.newBuilder().addAddAmbientCapabilities("NET_BIND_SERVICE")))));
    ContainerStatus done = kona.awaitExit(id, Duration.ofSeconds(10));
    String status = log("ambient");
    assertEquals(0, done.getExitCode(), status);
    String netBindService = "0000000000000400";
    assertTrue(status.contains("CapAmb:\t" + netBindService), status);
    assertTrue(status.contains("CapEff:\t" + netBindService), status);
    assertTrue(status.contains("CapPrm:\t" + netBindService), status);
    assertTrue(status.contains("CapInh:\t" + netBindService), status);
  }

  /** Every entry under {@code dir} (and dir itself): type, inode, mode, owner, device, times, content. */
  private static Map<String, String> snapshot(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        Map<String, Object> a = Files.readAttributes(p, "unix:ino,mode,uid,gid,rdev,size,lastModifiedTime,ctime",
            LinkOption.NOFOLLOW_LINKS);
        String content = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
            ? HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))) : "";
        out.put(dir.relativize(p).toString(), new TreeMap<>(a) + " " + content);
      }
    }
    return out;
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertEquals(0, p.waitFor(), String.join(" ", command));
  }
}
