package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerStatus;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ExecSyncResponse;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.IDMapping;
import dev.kona.cri.api.v1.Int64Value;
import dev.kona.cri.api.v1.LinuxContainerConfig;
import dev.kona.cri.api.v1.LinuxContainerSecurityContext;
import dev.kona.cri.api.v1.LinuxContainerUser;
import dev.kona.cri.api.v1.LinuxPodSandboxConfig;
import dev.kona.cri.api.v1.LinuxSandboxSecurityContext;
import dev.kona.cri.api.v1.Mount;
import dev.kona.cri.api.v1.MountPropagation;
import dev.kona.cri.api.v1.NamespaceMode;
import dev.kona.cri.api.v1.NamespaceOption;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.UserNamespace;
import dev.kona.cri.api.v1.RuntimeHandler;
import dev.kona.cri.api.v1.Signal;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StatusRequest;
import dev.kona.cri.api.v1.StatusResponse;
import dev.kona.cri.api.v1.StopContainerRequest;
import dev.kona.cri.api.v1.SupplementalGroupsPolicy;
import dev.kona.image.testing.LayerBuilder;
import dev.kona.image.testing.TestImages;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pod identity rules a current kubelet relies on, through a real daemon: recursive read-only
 * mounts, SupplementalGroupsPolicy with the identity the process really has, the stop signal, and
 * procMount Unmasked refused without a user namespace.
 */
class PodIdentityTest extends OnePodSuite {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();
  static String image;

  /** The kubelet's default masked and read-only paths (pkg/securitycontext/util.go), for procMount Default. */
  static final List<String> KUBELET_MASKED = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
      "/sys/firmware", "/sys/devices/virtual/powercap");
  static final List<String> KUBELET_READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
      "/proc/sysrq-trigger");

  /** busybox where user app (1000:1000) is also in group extra (50000), as critest's predefined-group image; STOPSIGNAL SIGUSR1. */
  @BeforeAll
  static void pushImage() throws Exception {
    LayerBuilder users = new LayerBuilder()
        .dir("etc", 0755)
        .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home:/bin/sh\n", 0644)
        .file("etc/group", "root:x:0:\napp:x:1000:\nextra:x:50000:app\n", 0644);
    image = registry.push("busybox-identity", TestImages.builder().layer(TestImages.busyboxBase()).layer(users)
        .stopSignal("SIGUSR1").label("identity").build());
  }

  PodIdentityTest() {
    super(registry, () -> image, "identity");
  }

  private String create(String name, UnaryOperator<ContainerConfig.Builder> change, PodSandboxConfig sandbox) {
    ContainerConfig.Builder config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(image))
        .addAllCommand(List.of("sleep", "1000"));
    return kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(pod)
        .setConfig(change.apply(config)).setSandboxConfig(sandbox).build()).getContainerId();
  }

  private String run(String name, UnaryOperator<ContainerConfig.Builder> change) {
    return run(name, change, PodSandboxTest.config("identity"));
  }

  private String run(String name, UnaryOperator<ContainerConfig.Builder> change, PodSandboxConfig sandbox) {
    String id = create(name, change, sandbox);
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    return id;
  }

  private ExecSyncResponse exec(String id, String script) {
    return kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addAllCmd(List.of("sh", "-c", script)).setTimeout(10).build());
  }

  private static StatusRuntimeException refused(Runnable call) {
    return assertThrows(StatusRuntimeException.class, call::run);
  }

  // ---- recursive read-only mounts

  @Test
  void recursiveReadOnly_aSubmountOfTheSourceStaysReadOnly() throws Exception {
    Path source = Files.createDirectories(root.resolve("rro-source/sub"));
    sh("mount -t tmpfs -o size=1m kona-rro-test " + source);
    try {
      String id = run("rro", c -> c
          .addMounts(Mount.newBuilder().setContainerPath("/data").setHostPath(source.getParent().toString())
              .setReadonly(true).setRecursiveReadOnly(true))
          .addMounts(Mount.newBuilder().setContainerPath("/plain").setHostPath(source.getParent().toString())
              .setReadonly(true)));
      ExecSyncResponse rro = exec(id, "touch /data/sub/x");
      assertTrue(rro.getExitCode() != 0 && rro.getStderr().toStringUtf8().contains("Read-only file system"),
          "the submount is read-only under a recursive read-only mount: " + rro.getStderr().toStringUtf8());
      ExecSyncResponse top = exec(id, "touch /data/y");
      assertTrue(top.getExitCode() != 0, "the mount itself is read-only");
      // Control: a plain read-only bind leaves the submount writable (what rro is for).
      ExecSyncResponse plain = exec(id, "touch /plain/sub/z && echo ok");
      assertEquals("ok\n", plain.getStdout().toStringUtf8(), plain.getStderr().toStringUtf8());

      ContainerStatus status = kona.containerStatus(id);
      assertTrue(status.getMountsList().stream().anyMatch(m -> m.getContainerPath().equals("/data") && m.getRecursiveReadOnly()),
          status.getMountsList().toString());
      kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(id).setTimeout(0).build());
    } finally {
      kona.removeAllPods();
      sh("umount " + source);
    }
  }

  @Test
  void recursiveReadOnly_needsReadonlyAndPrivatePropagation_andStatusReportsIt() throws Exception {
    String host = Files.createDirectories(root.resolve("rro-refused")).toString();
    StatusRuntimeException writable = refused(() -> create("rw", c -> c.addMounts(Mount.newBuilder()
        .setContainerPath("/data").setHostPath(host).setRecursiveReadOnly(true)), PodSandboxTest.config("identity")));
    assertEquals(Status.Code.INVALID_ARGUMENT, writable.getStatus().getCode());
    assertTrue(writable.getStatus().getDescription().contains("config.mounts[0].recursive_read_only"),
        writable.getStatus().getDescription());
    StatusRuntimeException slave = refused(() -> create("slave", c -> c.addMounts(Mount.newBuilder()
        .setContainerPath("/data").setHostPath(host).setReadonly(true).setRecursiveReadOnly(true)
        .setPropagation(MountPropagation.PROPAGATION_HOST_TO_CONTAINER)), PodSandboxTest.config("identity")));
    assertEquals(Status.Code.INVALID_ARGUMENT, slave.getStatus().getCode());
    assertTrue(slave.getStatus().getDescription().contains("propagation"), slave.getStatus().getDescription());

    StatusResponse status = kona.runtime().status(StatusRequest.getDefaultInstance());
    RuntimeHandler kona = status.getRuntimeHandlersList().stream().filter(h -> h.getName().isEmpty()).findFirst().orElseThrow();
    assertTrue(kona.getFeatures().getRecursiveReadOnlyMounts(), "this host's kernel (>= 5.12) has mount_setattr");
    assertTrue(status.getFeatures().getSupplementalGroupsPolicy(), "supplemental_groups_policy is honoured");
  }

  // ---- supplemental groups policy

  private static List<Long> sorted(String idOutput) {
    return Arrays.stream(idOutput.trim().split("\\s+")).map(Long::parseLong).sorted().toList();
  }

  private String runAs1000(String name, SupplementalGroupsPolicy policy, PodSandboxConfig sandbox) {
    return run(name, c -> c.setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(
        LinuxContainerSecurityContext.newBuilder().setRunAsUser(Int64Value.newBuilder().setValue(1000))
            .addSupplementalGroups(1234).setSupplementalGroupsPolicy(policy))), sandbox);
  }

  @Test
  void supplementalGroups_mergeAddsTheImageGroups_strictDoesNot_andStatusReportsTheProcess() throws Exception {
    String merge = runAs1000("merge", SupplementalGroupsPolicy.Merge, PodSandboxTest.config("identity"));
    String strict = runAs1000("strict", SupplementalGroupsPolicy.Strict, PodSandboxTest.config("identity"));
    PodSandboxConfig strictPod = PodSandboxTest.config("identity").toBuilder().setLinux(LinuxPodSandboxConfig.newBuilder()
        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
            .setSupplementalGroupsPolicy(SupplementalGroupsPolicy.Strict))).build();
    String podStrict = runAs1000("pod-strict", SupplementalGroupsPolicy.Merge, strictPod);

    assertEquals(List.of(1000L, 1234L, 50000L), sorted(exec(merge, "id -G").getStdout().toStringUtf8()));
    assertEquals(List.of(1000L, 1234L), sorted(exec(strict, "id -G").getStdout().toStringUtf8()));
    assertEquals(List.of(1000L, 1234L), sorted(exec(podStrict, "id -G").getStdout().toStringUtf8()));

    LinuxContainerUser user = kona.containerStatus(merge).getUser().getLinux();
    assertEquals(1000, user.getUid());
    assertEquals(1000, user.getGid());
    assertEquals(List.of(1000L, 1234L, 50000L), user.getSupplementalGroupsList().stream().sorted().toList());
    LinuxContainerUser strictUser = kona.containerStatus(strict).getUser().getLinux();
    assertEquals(List.of(1000L, 1234L), strictUser.getSupplementalGroupsList().stream().sorted().toList());

    // What the process really has: a setgid(2) by the container's root shows in ContainerStatus.
    String root0 = run("root", c -> c.clearCommand().addAllCommand(List.of("sh", "-c", "sleep 1000")));
    LinuxContainerUser rootUser = kona.containerStatus(root0).getUser().getLinux();
    assertEquals(0, rootUser.getUid());
    assertEquals(0, rootUser.getGid());
    assertTrue(rootUser.getSupplementalGroupsList().contains(0L), rootUser.toString());
  }

  // ---- stop signal

  private static final String TRAPS =
      "trap 'exit 11' USR1; trap 'exit 12' USR2; trap '' TERM; while true; do sleep 0.1; done";

  @Test
  void stopSignal_theConfigsFirst_elseTheImages_andStatusReportsIt() throws Exception {
    String fromConfig = run("config-signal", c -> c.clearCommand().addAllCommand(List.of("sh", "-c", TRAPS))
        .setStopSignal(Signal.SIGNAL_SIGUSR2));
    String fromImage = run("image-signal", c -> c.clearCommand().addAllCommand(List.of("sh", "-c", TRAPS)));
    Thread.sleep(500); // the traps are set
    assertEquals(Signal.SIGNAL_SIGUSR2, kona.containerStatus(fromConfig).getStopSignal());
    assertEquals(Signal.SIGNAL_SIGUSR1, kona.containerStatus(fromImage).getStopSignal());

    kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(fromConfig).setTimeout(30).build());
    kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(fromImage).setTimeout(30).build());
    assertEquals(12, kona.containerStatus(fromConfig).getExitCode(), "SIGUSR2 from the config ended it");
    assertEquals(11, kona.containerStatus(fromImage).getExitCode(), "SIGUSR1 from the image ended it");
  }

  // ---- procMount

  @Test
  void procMountUnmasked_fromTheKubelet_isRefusedWithoutAUserNamespace() {
    StatusRuntimeException unmasked = refused(() -> create("unmasked",
        c -> c.putLabels("io.kubernetes.container.name", "unmasked"), PodSandboxTest.config("identity")));
    assertEquals(Status.Code.INVALID_ARGUMENT, unmasked.getStatus().getCode());
    assertTrue(unmasked.getStatus().getDescription().contains("masked_paths"), unmasked.getStatus().getDescription());

    // procMount Default: the kubelet sends its default lists, and the container runs masked.
    String masked = run("default", c -> c.putLabels("io.kubernetes.container.name", "default")
        .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.newBuilder()
            .addAllMaskedPaths(KUBELET_MASKED).addAllReadonlyPaths(KUBELET_READONLY))));
    assertEquals("1\n", exec(masked, "grep -c ' /proc/keys ' /proc/mounts").getStdout().toStringUtf8(), "masked");
    // crictl and critest send no lists and mean the runtime's defaults.
    String crictl = run("crictl", c -> c);
    assertEquals("1\n", exec(crictl, "grep -c ' /proc/keys ' /proc/mounts").getStdout().toStringUtf8(), "masked");
  }

  @Test
  void userNamespacePerContainer_isRefused_nodeModeRuns() {
    for (NamespaceMode mode : List.of(NamespaceMode.CONTAINER, NamespaceMode.TARGET)) {
      PodSandboxConfig config = PodSandboxTest.config("userns-" + mode.name().toLowerCase()).toBuilder()
          .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
              .setNamespaceOptions(NamespaceOption.newBuilder().setUsernsOptions(UserNamespace.newBuilder().setMode(mode)
                  .addUids(IDMapping.newBuilder().setHostId(100000).setContainerId(0).setLength(65536))
                  .addGids(IDMapping.newBuilder().setHostId(100000).setContainerId(0).setLength(65536))))))
          .build();
      StatusRuntimeException e = refused(() -> kona.runtime().runPodSandbox(
          RunPodSandboxRequest.newBuilder().setConfig(config).build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), mode.name());
      assertTrue(e.getStatus().getDescription().contains("userns_options"), e.getStatus().getDescription());
    }
    PodSandboxConfig node = PodSandboxTest.config("userns-node").toBuilder()
        .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
            .setNamespaceOptions(NamespaceOption.newBuilder().setUsernsOptions(
                UserNamespace.newBuilder().setMode(NamespaceMode.NODE))))).build();
    kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(node).build());
  }

  private static void sh(String command) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", command).inheritIO().start();
    assertEquals(0, p.waitFor(), command);
  }
}
