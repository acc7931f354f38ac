package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.CDIDevice;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ExecSyncResponse;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.UpdateContainerResourcesRequest;
import dev.kona.cri.api.v1.LinuxContainerResources;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * CDI devices (KEP-4009) through a real daemon whose {@code cdi_spec_dirs} are two directories of
 * the test's own: a JSON and a YAML spec for harmless devices (a /dev/null-like node, /dev/fuse's
 * numbers, a bind-mounted file), named by CDI_devices and by {@code cdi.k8s.io/} annotations; the
 * container edits applied (nodes with their permissions and owners, device cgroup rules, env,
 * mounts, additional gids, a runc hook); an unknown device refused; a broken spec logged once.
 */
class CdiDevicesTest {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  @TempDir Path root;
  KonaDaemon kona;
  Path etc;
  Path run;

  @BeforeEach
  void start() throws Exception {
    etc = Files.createDirectories(root.resolve("cdi-etc"));
    run = Files.createDirectories(root.resolve("cdi-run"));
    Path devs = Files.createDirectories(root.resolve("devs"));
    mknod(devs.resolve("null0"), 1, 3);
    mknod(devs.resolve("fuse0"), 10, 229);
    Files.writeString(root.resolve("cdi-file"), "from the CDI spec\n");
    Files.writeString(etc.resolve("kona-devices.json"), """
        {
          "cdiVersion": "0.6.0",
          "kind": "kona.test/device",
          "containerEdits": {"env": ["KONA_CDI_SPEC=device"]},
          "devices": [
            {"name": "null0", "containerEdits": {"deviceNodes": [
              {"path": "/dev/kona-null0", "hostPath": "%s", "permissions": "r", "fileMode": 416, "uid": 1000, "gid": 2000}]}},
            {"name": "fuse0", "containerEdits": {"deviceNodes": [
              {"path": "/dev/kona-fuse0", "hostPath": "%s", "permissions": "rw"}]}},
            {"name": "fuse-ro", "containerEdits": {"deviceNodes": [
              {"path": "/dev/kona-fuse-ro", "hostPath": "%s", "permissions": "r"}]}},
            {"name": "hooked", "containerEdits": {"hooks": [
              {"hookName": "createRuntime", "path": "/bin/sh", "args": ["sh", "-c", "echo ran > %s"]}]}},
            {"name": "made", "containerEdits": {"deviceNodes": [
              {"path": "/dev/kona-made", "hostPath": "%s", "type": "c", "major": 10, "minor": 229, "permissions": "rw"}]}}
          ]
        }
        """.formatted(devs.resolve("null0"), devs.resolve("fuse0"), devs.resolve("fuse0"), root.resolve("hook-ran"),
            devs.resolve("absent")));
    Files.writeString(run.resolve("kona-file.yaml"), """
        cdiVersion: "0.5.0"
        kind: kona.test/file
        devices:
          - name: config
            containerEdits:
              env:
                - KONA_CDI_FILE=yes
              mounts:
                - hostPath: %s
                  containerPath: /etc/kona-cdi
                  options: [ro, rbind]
              additionalGids: [4242]
        """.formatted(root.resolve("cdi-file")));
    Files.writeString(etc.resolve("broken.json"), "{\"cdiVersion\": \"0.6.0\", \"kind\": ");
    Files.writeString(run.resolve("bad-version.yaml"), "cdiVersion: \"9.9.9\"\nkind: kona.test/bad\ndevices: [{name: x}]\n");

    KonaDaemon.writeLoopbackNetwork(root);
    kona = KonaDaemon.startWithConfig(root, registry.konaConfig() + "[runtime.handlers.runc]\nengine = \"runc\"\n",
        "--cdi_spec_dirs=" + etc + "," + run);
    kona.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .build());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      kona.removeAllPods();
      assertEquals(0, kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());
    } finally {
      kona.close();
    }
    assertEquals(List.of(), PodSandboxTest.mountsUnder(root), "mounts left under the test root");
  }

  private static void mknod(Path path, int major, int minor) throws Exception {
    Process p = new ProcessBuilder("mknod", "-m", "600", path.toString(), "c", Integer.toString(major), Integer.toString(minor))
        .redirectErrorStream(true).start();
    assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
  }

  private String pod(String handler) {
    return kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(PodSandboxTest.config("cdi"))
        .setRuntimeHandler(handler).build()).getPodSandboxId();
  }

  private String create(String pod, List<String> devices, Map<String, String> annotations) {
    ContainerConfig.Builder config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName("cdi-" + devices.size() + "-" + annotations.size()))
        .setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .addAllCommand(List.of("sleep", "1000"))
        .putAllAnnotations(annotations);
    devices.forEach(d -> config.addCDIDevices(CDIDevice.newBuilder().setName(d)));
    return kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(pod).setConfig(config)
        .setSandboxConfig(PodSandboxTest.config("cdi")).build()).getContainerId();
  }

  private String run(String pod, List<String> devices, Map<String, String> annotations) {
    String id = create(pod, devices, annotations);
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    return id;
  }

  private ExecSyncResponse exec(String id, String script) {
    return kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addAllCmd(List.of("sh", "-c", script)).setTimeout(20).build());
  }

  private String out(String id, String script) {
    ExecSyncResponse r = exec(id, script);
    assertEquals(0, r.getExitCode(), script + ": " + r.getStderr().toStringUtf8());
    return r.getStdout().toStringUtf8();
  }

  @Test
  void cdiDevices_fieldAndAnnotation_editsApplied_cgroupAllowsTheNodes() throws Exception {
    String id = run(pod(""), List.of("kona.test/device=null0", "kona.test/device=fuse0"),
        Map.of("cdi.k8s.io/kona-test", "kona.test/file=config"));

    assertEquals("1:3 440 1000:2000\n", out(id, "test -c /dev/kona-null0 && busybox stat -c '%t:%T %a %u:%g' /dev/kona-null0"),
        "the node with the spec's mode (less the write bits 'r' does not give) and owner");
    assertEquals("a:e5 600\n", out(id, "busybox stat -c '%t:%T %a' /dev/kona-fuse0"), "the host node's mode");
    assertEquals("read\n", out(id, "exec 3</dev/kona-null0 && echo read"));
    assertEquals("opened\n", out(id, "exec 3<>/dev/kona-fuse0 && echo opened"), "the device cgroup allows 10:229 rw");

    String env = out(id, "env");
    assertTrue(env.contains("KONA_CDI_SPEC=device\n") && env.contains("KONA_CDI_FILE=yes\n"), env);
    assertEquals("from the CDI spec\n", out(id, "cat /etc/kona-cdi"));
    assertNotEquals(0, exec(id, "echo x > /etc/kona-cdi").getExitCode(), "mounted ro");
    // What the container's process really has (ContainerStatus reads its /proc status).
    List<Long> groups = kona.containerStatus(id).getUser().getLinux().getSupplementalGroupsList();
    assertTrue(groups.contains(4242L), groups.toString());

    // A resize rewrites the cgroup: the CDI devices stay allowed.
    kona.runtime().updateContainerResources(UpdateContainerResourcesRequest.newBuilder().setContainerId(id)
        .setLinux(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(128L << 20)).build());
    assertEquals("opened\n", out(id, "exec 3<>/dev/kona-fuse0 && echo opened"));

    // Each broken file once in the log, however many containers were created since.
    create(pod(""), List.of(), Map.of("cdi.k8s.io/again", "kona.test/file=config"));
    String log = kona.log();
    assertEquals(1, count(log, "CDI spec " + etc.resolve("broken.json") + " ignored"), log);
    assertEquals(1, count(log, "CDI spec " + run.resolve("bad-version.yaml") + " ignored: cdiVersion"), log);
  }

  /** The CDI spec allows a node the host lacks: it is made from the spec's type and numbers. */
  @Test
  void cdiDeviceNode_hostNodeMissing_isMadeFromTheSpecsTypeAndNumbers() throws Exception {
    assertTrue(Files.notExists(root.resolve("devs/absent")));
    String id = run(pod(""), List.of("kona.test/device=made"), Map.of());
    assertEquals("a:e5 666\n", out(id, "test -c /dev/kona-made && busybox stat -c '%t:%T %a' /dev/kona-made"),
        "10:229 with mode 0666, as runc makes a node without a fileMode");
    assertEquals("opened\n", out(id, "exec 3<>/dev/kona-made && echo opened"), "the device cgroup allows 10:229 rw");
    assertTrue(Files.notExists(root.resolve("devs/absent")), "nothing made on the host");
  }

  @Test
  void unknownDevice_invalidArgumentNamingIt_hooksOnlyOnOciRuntimes() throws Exception {
    String pod = pod("");
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> create(pod, List.of("kona.test/device=null0", "kona.test/device=missing"), Map.of()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains(
        "config.CDI_devices[1]: unresolvable CDI device \"kona.test/device=missing\""), e.getStatus().getDescription());
    e = assertThrows(StatusRuntimeException.class,
        () -> create(pod, List.of(), Map.of("cdi.k8s.io/x", "kona.test/bad=x")));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("config.annotations[\"cdi.k8s.io/x\"]: unresolvable CDI device"
        + " \"kona.test/bad=x\""), e.getStatus().getDescription());

    e = assertThrows(StatusRuntimeException.class, () -> create(pod, List.of("kona.test/device=hooked"), Map.of()));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("OCI hooks"), e.getStatus().getDescription());
    assertEquals(0, kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());

    // Permissions "r": the device cgroup lets the node be opened for reading only (root in the
    // container may open /dev/fuse read-write otherwise, as the fuse0 case shows).
    String ro = run(pod, List.of("kona.test/device=fuse-ro"), Map.of());
    assertEquals("read\n", out(ro, "( exec 3</dev/kona-fuse-ro ) && echo read"));
    assertEquals("denied\n", out(ro, "( exec 3<>/dev/kona-fuse-ro ) 2>/dev/null && echo allowed || echo denied"));

    String id = run(pod("runc"), List.of("kona.test/device=hooked", "kona.test/device=fuse0"), Map.of());
    assertEquals("ran\n", Files.readString(root.resolve("hook-ran")), "runc ran the CDI spec's createRuntime hook");
    assertEquals("opened\n", out(id, "exec 3<>/dev/kona-fuse0 && echo opened"), "runc's device cgroup allows it too");
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
