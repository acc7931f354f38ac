package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.Capability;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.ContainerStats;
import dev.kona.cri.api.v1.ContainerStatsRequest;
import dev.kona.cri.api.v1.ContainerStatus;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ExecSyncResponse;
import dev.kona.cri.api.v1.IDMapping;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.Int64Value;
import dev.kona.cri.api.v1.LinuxContainerConfig;
import dev.kona.cri.api.v1.LinuxContainerResources;
import dev.kona.cri.api.v1.LinuxContainerSecurityContext;
import dev.kona.cri.api.v1.LinuxPodSandboxConfig;
import dev.kona.cri.api.v1.LinuxSandboxSecurityContext;
import dev.kona.cri.api.v1.Mount;
import dev.kona.cri.api.v1.NamespaceMode;
import dev.kona.cri.api.v1.NamespaceOption;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxStatusRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.RuntimeHandler;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StatusRequest;
import dev.kona.cri.api.v1.UserNamespace;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pods with their own user namespace (hostUsers: false, userns_options mode POD) through a real
 * daemon: the pod's root is an unprivileged id on the host, image files and idmapped volumes keep
 * working without a chown, a hostile root cannot reach what the host kept for itself, and exec,
 * stats, OOM kills and a daemon restart work for such pods; malformed requests are refused.
 */
class UserNamespaceTest extends OnePodSuite {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  /** The host ids of the pod's ids 0..65535: far from any real user of this host. */
  static final long HOST_BASE = 2_000_000;
  static final long LENGTH = 65536;

  UserNamespaceTest() {
    super(registry, registry::image, "userns-suite");
  }

  static IDMapping mapping(long containerId, long hostId, long length) {
    return IDMapping.newBuilder().setContainerId((int) containerId).setHostId((int) hostId).setLength((int) length).build();
  }

  static UserNamespace.Builder podUserns() {
    return UserNamespace.newBuilder().setMode(NamespaceMode.POD)
        .addUids(mapping(0, HOST_BASE, LENGTH)).addGids(mapping(0, HOST_BASE, LENGTH));
  }

  static PodSandboxConfig usernsPod(String name, UserNamespace.Builder userns) {
    return PodSandboxTest.config(name).toBuilder()
        .setLinux(LinuxPodSandboxConfig.newBuilder().putSysctls("net.ipv4.ip_unprivileged_port_start", "80")
            .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.POD)
                    .setPid(NamespaceMode.POD).setIpc(NamespaceMode.POD).setUsernsOptions(userns))))
        .build();
  }

  private String runPod(PodSandboxConfig config) {
    return kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()).getPodSandboxId();
  }

  private String create(String podId, PodSandboxConfig podConfig, String name, UnaryOperator<ContainerConfig.Builder> change) {
    ContainerConfig.Builder config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .addAllCommand(List.of("sleep", "1000"));
    return kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(podId)
        .setConfig(change.apply(config)).setSandboxConfig(podConfig).build()).getContainerId();
  }

  private String run(String podId, PodSandboxConfig podConfig, String name, UnaryOperator<ContainerConfig.Builder> change) {
    String id = create(podId, podConfig, name, change);
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    return id;
  }

  private ExecSyncResponse exec(String id, String script) {
    return kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addAllCmd(List.of("sh", "-c", script)).setTimeout(30).build());
  }

  private String out(String id, String script) {
    ExecSyncResponse r = exec(id, script);
    assertEquals(0, r.getExitCode(), script + ": " + r.getStderr().toStringUtf8() + r.getStdout().toStringUtf8());
    return r.getStdout().toStringUtf8();
  }

  private static long uid(Path p) throws Exception {
    return ((Number) Files.getAttribute(p, "unix:uid")).longValue();
  }

  private static long gid(Path p) throws Exception {
    return ((Number) Files.getAttribute(p, "unix:gid")).longValue();
  }

  /**
   * A host directory the pod's root may write to (mode 0777, owned by the host's root). The test
   * root above it stays 0700: the helper opens bind sources before it joins the user namespace.
   */
  private Path volume(String name) throws Exception {
    Path dir = Files.createDirectories(root.resolve(name));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    return dir;
  }

  @Test
  void podRoot_isAnUnprivilegedHostId_imageFilesAndIdmappedVolumesWorkWithoutChown() throws Exception {
    Path plain = volume("plain");
    Path idmapped = volume("idmapped");
    Files.writeString(idmapped.resolve("host-root-file"), "x");
    Files.writeString(plain.resolve("host-root-file"), "x");
    PodSandboxConfig podConfig = usernsPod("userns-ids", podUserns());
    String podId = runPod(podConfig);
    String id = run(podId, podConfig, "ids", c -> c
        .addMounts(Mount.newBuilder().setContainerPath("/plain").setHostPath(plain.toString()))
        .addMounts(Mount.newBuilder().setContainerPath("/idmapped").setHostPath(idmapped.toString())
            .addUidMappings(mapping(0, HOST_BASE, LENGTH)).addGidMappings(mapping(0, HOST_BASE, LENGTH))));

    assertEquals("0\n", out(id, "id -u"), "root inside");
    assertEquals("0 " + HOST_BASE + " " + LENGTH, out(id, "cat /proc/self/uid_map").trim().replaceAll("\\s+", " "));
    // A file made by the pod's root on a plain host volume belongs to the mapped id on the host.
    out(id, "busybox touch /plain/by-root");
    assertEquals(HOST_BASE, uid(plain.resolve("by-root")));
    assertEquals(HOST_BASE, gid(plain.resolve("by-root")));
    // Through the idmapped volume the host's root files are the pod root's, and back.
    assertEquals("0\n", out(id, "busybox stat -c %u /idmapped/host-root-file"));
    out(id, "busybox touch /idmapped/by-root");
    assertEquals(0, uid(idmapped.resolve("by-root")), "written through the idmapped mount as the host's root");
    // The image's files (owned by the host's root in the store) are the pod root's, and writable.
    assertEquals("0\n", out(id, "busybox stat -c %u /bin/busybox"));
    out(id, "echo hello > /etc/written-by-root && cat /etc/written-by-root");
    assertEquals("65534\n", out(id, "busybox stat -c %u /plain/host-root-file"), "the host's root is nobody here");

    // runAsUser, runAsGroup and supplementalGroups apply inside the namespace.
    String app = run(podId, podConfig, "app", c -> c
        .addMounts(Mount.newBuilder().setContainerPath("/plain").setHostPath(plain.toString()))
        .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.newBuilder()
            .setRunAsUser(Int64Value.newBuilder().setValue(1000)).setRunAsGroup(Int64Value.newBuilder().setValue(2000))
            .addSupplementalGroups(3000))));
    assertEquals("1000 2000\n", out(app, "echo $(id -u) $(id -g)"));
    assertTrue(out(app, "id -G").contains("3000"), "supplementary group inside");
    out(app, "busybox touch /plain/by-app");
    assertEquals(HOST_BASE + 1000, uid(plain.resolve("by-app")));
    assertEquals(HOST_BASE + 2000, gid(plain.resolve("by-app")));

    // A container with its own PID namespace: made inside the user namespace, so /proc mounts.
    String ownPid = run(podId, podConfig, "own-pid", c -> c.setLinux(LinuxContainerConfig.newBuilder()
        .setSecurityContext(LinuxContainerSecurityContext.newBuilder()
            .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER)))));
    assertEquals("1\n", out(ownPid, "busybox stat -c %s /proc/1/cmdline >/dev/null && echo $(busybox cat /proc/1/stat | busybox cut -d' ' -f1)"));
    assertEquals(out(id, "busybox readlink /proc/self/ns/user"), out(ownPid, "busybox readlink /proc/self/ns/user"));

    var status = kona.runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(podId).build())
        .getStatus().getLinux().getNamespaces().getOptions().getUsernsOptions();
    assertEquals(NamespaceMode.POD, status.getMode());
    assertEquals(HOST_BASE, Integer.toUnsignedLong(status.getUids(0).getHostId()));
  }

  @Test
  void hostileRoot_cannotReadHostRootFiles_loadModules_orMountWhatTheHostDidNotAllow() throws Exception {
    Path plain = volume("hostile");
    Path secret = plain.resolve("secret");
    Files.writeString(secret, "host only\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Path module = plain.resolve("evil.ko");
    Files.writeString(module, "not a module");
    PodSandboxConfig podConfig = usernsPod("userns-hostile", podUserns());
    String podId = runPod(podConfig);
    String id = run(podId, podConfig, "hostile", c -> c
        .addMounts(Mount.newBuilder().setContainerPath("/host").setHostPath(plain.toString()))
        .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.newBuilder()
            .setCapabilities(Capability.newBuilder().addAllAddCapabilities(List.of("SYS_ADMIN", "SYS_MODULE", "DAC_OVERRIDE"))))));

    ExecSyncResponse read = exec(id, "cat /host/secret");
    assertNotEquals(0, read.getExitCode(), "read the host's root-only file: " + read.getStdout().toStringUtf8());
    assertTrue(read.getStderr().toStringUtf8().contains("Permission denied"), read.getStderr().toStringUtf8());

    ExecSyncResponse insmod = exec(id, "busybox insmod /host/evil.ko");
    assertNotEquals(0, insmod.getExitCode());
    // Refused for privilege (CAP_SYS_MODULE of the host's namespace), before the module's format is
    // read; a kernel built without modules (this host's) refuses every caller.
    String expected = Files.exists(Path.of("/proc/modules")) ? "Operation not permitted" : "not support";
    assertTrue(insmod.getStderr().toStringUtf8().contains(expected), insmod.getStderr().toStringUtf8());

    // With CAP_SYS_ADMIN of its own namespace it may mount what a user namespace may (a tmpfs),
    // never a filesystem the host did not allow, nor make a host volume writable again.
    out(id, "busybox mkdir -p /mnt/t /mnt/d && busybox mount -t tmpfs none /mnt/t");
    ExecSyncResponse debugfs = exec(id, "busybox mount -t debugfs none /mnt/d");
    assertNotEquals(0, debugfs.getExitCode(), "mounted debugfs: " + debugfs.getStdout().toStringUtf8());
    ExecSyncResponse sysfsRw = exec(id, "busybox mount -o remount,rw /sys");
    assertNotEquals(0, sysfsRw.getExitCode(), "remounted /sys read-write");
  }

  @Test
  void execStatsOomAndDaemonRestart_workForAUserNamespacePod() throws Exception {
    PodSandboxConfig podConfig = usernsPod("userns-life", podUserns());
    String podId = runPod(podConfig);
    String sleeper = run(podId, podConfig, "sleeper", c -> c);
    String hog = run(podId, podConfig, "hog", c -> c.clearCommand()
        .addAllCommand(List.of("sh", "-c", "x=a; while :; do x=$x$x; done"))
        .setLinux(LinuxContainerConfig.newBuilder()
            .setResources(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(16L << 20))));

    ContainerStatus oom = kona.awaitExit(hog, Duration.ofSeconds(30));
    assertEquals("OOMKilled", oom.getReason(), oom.toString());
    assertEquals(137, oom.getExitCode());

    assertEquals("0\n", out(sleeper, "id -u"));
    ContainerStats stats = kona.runtime().containerStats(ContainerStatsRequest.newBuilder().setContainerId(sleeper).build())
        .getStats();
    assertTrue(stats.getMemory().getWorkingSetBytes().getValue() > 0, stats.toString());

    kona.kill();
    kona = KonaDaemon.start(root, "--config=" + root.resolve("kona.toml"));
    assertEquals(ContainerState.CONTAINER_RUNNING, kona.containerStatus(sleeper).getState());
    assertEquals("0 " + HOST_BASE + " " + LENGTH, out(sleeper, "cat /proc/self/uid_map").trim().replaceAll("\\s+", " "),
        "exec after a restart joins the pod's user namespace");
    // A new container after the restart finds the pod's pinned user namespace again.
    String late = run(podId, podConfig, "late", c -> c);
    assertEquals(out(sleeper, "busybox readlink /proc/self/ns/user"), out(late, "busybox readlink /proc/self/ns/user"));
    assertEquals(NamespaceMode.POD, kona.runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder()
        .setPodSandboxId(podId).build()).getStatus().getLinux().getNamespaces().getOptions().getUsernsOptions().getMode());
  }

  /**
   * The kubelet sends every container an oom_score_adj (1000 BestEffort, 2..999 Burstable, -997
   * Guaranteed). Inside the pod's user namespace /proc/self/oom_score_adj cannot even be opened, and
   * lowering the value needs CAP_SYS_RESOURCE in the host's namespace: it is written before the pod's
   * is joined, for the container's process and for an exec into it, as the host sees it.
   */
  @Test
  void oomScoreAdj_isWrittenBeforeJoining_forAContainerAndAnExecInAUserNamespacePod() throws Exception {
    PodSandboxConfig podConfig = usernsPod("userns-oom", podUserns());
    String podId = runPod(podConfig);
    String bestEffort = run(podId, podConfig, "best-effort", c -> c.setLinux(LinuxContainerConfig.newBuilder()
        .setResources(LinuxContainerResources.newBuilder().setOomScoreAdj(1000))));
    assertEquals("1000", Files.readString(Path.of("/proc/" + kona.containerPid(bestEffort) + "/oom_score_adj")).strip(),
        "the container's process, read on the host");
    assertEquals("1000\n", out(bestEffort, "cat /proc/self/oom_score_adj"), "an exec into it");

    String guaranteed = run(podId, podConfig, "guaranteed", c -> c.setLinux(LinuxContainerConfig.newBuilder()
        .setResources(LinuxContainerResources.newBuilder().setOomScoreAdj(-997))));
    // Lowering needs CAP_SYS_RESOURCE, which some hosts (a container as this test's machine) do not give
    // even to root; there the value stays what any process of the host could have, as runc leaves it.
    boolean hostMayLower = (Long.parseUnsignedLong(Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow().split("\\s+")[1], 16) & (1L << 24)) != 0;
    String expected = hostMayLower ? "-997" : "0";
    assertEquals(expected, Files.readString(Path.of("/proc/" + kona.containerPid(guaranteed) + "/oom_score_adj")).strip(),
        "a Guaranteed container, read on the host (host has CAP_SYS_RESOURCE: " + hostMayLower + ")");
    assertEquals(expected + "\n", out(guaranteed, "cat /proc/self/oom_score_adj"), "an exec into it");
  }

  /**
   * An image volume (KEP-4639) in a user-namespace pod: its layers are idmapped like the rootfs's,
   * so the image's root-owned files belong to the pod's root, and it stays read-only.
   */
  @Test
  void imageVolume_inAUserNamespacePod_isIdmappedLikeTheRootfs() throws Exception {
    String data = registry.push("userns-volume-data", ImageMountTest.dataImage());
    kona.images().pullImage(dev.kona.cri.api.v1.PullImageRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage(data)).build());
    PodSandboxConfig podConfig = usernsPod("userns-imgvol", podUserns());
    String podId = runPod(podConfig);
    String reader = run(podId, podConfig, "reader", c -> c.addMounts(dev.kona.cri.api.v1.Mount.newBuilder()
        .setContainerPath("/data").setReadonly(true).setImage(ImageSpec.newBuilder().setImage(data))));
    assertEquals("from layer 2\n", out(reader, "cat /data/content/a"));
    assertEquals("0 0\n", out(reader, "stat -c '%u %g' /data/content/a"),
        "the image's root-owned file belongs to the pod's root, not to nobody");
    assertEquals("0 0\n", out(reader, "stat -c '%u %g' /data/content"));
    assertTrue(exec(reader, "touch /data/content/new").getExitCode() != 0, "read-only");
  }

  @Test
  void procMountUnmasked_isAllowedInAUserNamespacePod_andLeavesProcUnmasked() {
    PodSandboxConfig podConfig = usernsPod("userns-proc", podUserns());
    String podId = runPod(podConfig);
    String unmasked = run(podId, podConfig, "unmasked", c -> c.putLabels("io.kubernetes.container.name", "unmasked"));
    assertEquals("0\n", exec(unmasked, "grep -c ' /proc/keys ' /proc/mounts").getStdout().toStringUtf8(), "not masked");
    String masked = run(podId, podConfig, "default", c -> c.putLabels("io.kubernetes.container.name", "default")
        .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.newBuilder()
            .addAllMaskedPaths(PodIdentityTest.KUBELET_MASKED).addAllReadonlyPaths(PodIdentityTest.KUBELET_READONLY))));
    assertEquals("1\n", exec(masked, "grep -c ' /proc/keys ' /proc/mounts").getStdout().toStringUtf8(), "masked");
  }

  private StatusRuntimeException refusedPod(UserNamespace.Builder userns) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> runPod(usernsPod("userns-refused", userns)));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
    return e;
  }

  @Test
  void refusals_nameTheField_andStatusReportsUserNamespaces() throws Exception {
    for (NamespaceMode mode : List.of(NamespaceMode.CONTAINER, NamespaceMode.TARGET)) {
      assertTrue(refusedPod(podUserns().setMode(mode)).getStatus().getDescription().contains("userns_options.mode"));
    }
    assertTrue(refusedPod(podUserns().addUids(mapping(65536, HOST_BASE + LENGTH, LENGTH)))
        .getStatus().getDescription().contains("userns_options.uids: expected exactly one mapping"));
    assertTrue(refusedPod(UserNamespace.newBuilder().setMode(NamespaceMode.POD)
        .addUids(mapping(0, HOST_BASE, LENGTH)).addGids(mapping(1, HOST_BASE, LENGTH)))
        .getStatus().getDescription().contains("userns_options.gids[0].container_id"));
    assertTrue(refusedPod(UserNamespace.newBuilder().setMode(NamespaceMode.POD).addGids(mapping(0, HOST_BASE, LENGTH)))
        .getStatus().getDescription().contains("userns_options.uids"));

    // An idmapped mount maps with the pod's namespace: other mappings, or no namespace, are refused.
    Path dir = volume("refused");
    PodSandboxConfig podConfig = usernsPod("userns-mounts", podUserns());
    String podId = runPod(podConfig);
    StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () -> create(podId, podConfig, "other",
        c -> c.addMounts(Mount.newBuilder().setContainerPath("/d").setHostPath(dir.toString())
            .addUidMappings(mapping(0, 5_000_000, LENGTH)).addGidMappings(mapping(0, 5_000_000, LENGTH)))));
    assertEquals(Status.Code.INVALID_ARGUMENT, other.getStatus().getCode());
    assertTrue(other.getStatus().getDescription().contains("config.mounts[0].uidMappings"), other.getStatus().getDescription());
    StatusRuntimeException noUserns = assertThrows(StatusRuntimeException.class, () -> create(pod,
        PodSandboxTest.config("userns-suite"), "no-userns",
        c -> c.addMounts(Mount.newBuilder().setContainerPath("/d").setHostPath(dir.toString())
            .addUidMappings(mapping(0, HOST_BASE, LENGTH)).addGidMappings(mapping(0, HOST_BASE, LENGTH)))));
    assertEquals(Status.Code.INVALID_ARGUMENT, noUserns.getStatus().getCode());
    assertTrue(noUserns.getStatus().getDescription().contains("config.mounts[0].uidMappings"),
        noUserns.getStatus().getDescription());

    RuntimeHandler handler = kona.runtime().status(StatusRequest.getDefaultInstance()).getRuntimeHandlersList().stream()
        .filter(h -> h.getName().isEmpty()).findFirst().orElseThrow();
    assertTrue(handler.getFeatures().getUserNamespaces(), "this host (Linux 6.18, ext4) can idmap overlay layers");
  }
}
