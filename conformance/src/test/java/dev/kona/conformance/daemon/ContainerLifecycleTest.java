package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.conformance.fixture.NodeCgroups;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.ContainerStatus;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ExecSyncResponse;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.LinuxContainerConfig;
import dev.kona.cri.api.v1.LinuxContainerResources;
import dev.kona.cri.api.v1.UpdateContainerResourcesRequest;
import dev.kona.cri.api.v1.PortForwardRequest;
import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopContainerRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Containers through a real daemon, the kubelet's way: pull from a real registry, run a pod, create
 * and start containers, read their logs and exit codes, stop and remove everything.
 */
class ContainerLifecycleTest extends OnePodSuite {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  ContainerLifecycleTest() {
    super(registry, registry::image, "app");
  }

  private String create(String name, String... command) {
    ContainerConfig config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .addAllCommand(List.of(command))
        .setLogPath(name + "/0.log")
        .build();
    return kona.runtime().createContainer(CreateContainerRequest.newBuilder()
        .setPodSandboxId(pod).setConfig(config)
        .setSandboxConfig(PodSandboxTest.config("app")).build()).getContainerId();
  }

  private ContainerStatus status(String id) {
    return kona.containerStatus(id);
  }

  private ContainerStatus awaitExit(String id) throws InterruptedException {
    return kona.awaitExit(id, Duration.ofSeconds(10));
  }


  @Test
  void createStart_runsToCompletion_withLogAndExitCode() throws Exception {
    String id = create("hello", "sh", "-c", "echo hello from kona; exit 3");
    ContainerStatus created = status(id);
    assertEquals(ContainerState.CONTAINER_CREATED, created.getState());
    assertTrue(created.getCreatedAt() > 0);
    assertTrue(created.getImageRef().startsWith("sha256:"), created.getImageRef());

    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    ContainerStatus done = awaitExit(id);
    assertEquals(3, done.getExitCode());
    assertEquals("Error", done.getReason());
    assertTrue(done.getFinishedAt() >= done.getStartedAt() && done.getStartedAt() > 0);

    String log = Files.readString(root.resolve("logs/hello/0.log"));
    assertTrue(log.matches("\\d{4}-\\d\\d-\\d\\dT\\S+ stdout F hello from kona\\n"), log);

    StatusRuntimeException again = assertThrows(StatusRuntimeException.class,
        () -> kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, again.getStatus().getCode());
  }

  @Test
  void stop_signalsFirst_thenKillsAfterTheTimeout_andRemoveCleansUp() throws Exception {
    String graceful = create("graceful", "sh", "-c", "trap 'exit 7' TERM; while true; do sleep 0.1; done");
    // Ignores SIGTERM, so only SIGKILL ends it.
    String stubborn = create("stubborn", "sh", "-c", "trap '' TERM; while true; do sleep 0.1; done");
    for (String id : List.of(graceful, stubborn)) {
      kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
      assertEquals(ContainerState.CONTAINER_RUNNING, status(id).getState());
    }
    Thread.sleep(300); // let the shell install its trap

    long t0 = System.nanoTime();
    kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(graceful).setTimeout(10).build());
    double gracefulMs = (System.nanoTime() - t0) / 1e6;
    assertEquals(7, status(graceful).getExitCode(), "the trap ran");
    assertTrue(gracefulMs < 5_000, "returned when the process exited, not at the timeout: " + gracefulMs);

    t0 = System.nanoTime();
    kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(stubborn).setTimeout(1).build());
    double stubbornMs = (System.nanoTime() - t0) / 1e6;
    ContainerStatus killed = status(stubborn);
    assertEquals(ContainerState.CONTAINER_EXITED, killed.getState());
    assertEquals(137, killed.getExitCode(), "SIGKILL after the timeout");
    assertTrue(stubbornMs >= 1_000, "waited the timeout first: " + stubbornMs);
    System.out.printf("StopContainer: graceful %.0f ms, forced after 1 s %.0f ms%n", gracefulMs, stubbornMs);

    kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(stubborn).setTimeout(1).build());
    kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(stubborn).build());
    kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(stubborn).build());
    assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> status(stubborn)).getStatus().getCode());
    assertFalse(Files.exists(root.resolve("state/containers").resolve(stubborn)), "bundle removed");
  }

  @Test
  void execSync_outputExitCodeAndTimeout() throws Exception {
    String id = create("probe", "sleep", "1000");
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());

    ExecSyncResponse ok = kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addAllCmd(List.of("sh", "-c", "echo out; echo err >&2; exit 4")).setTimeout(10).build());
    assertEquals("out\n", ok.getStdout().toStringUtf8());
    assertEquals("err\n", ok.getStderr().toStringUtf8());
    assertEquals(4, ok.getExitCode());

    StatusRuntimeException timeout = assertThrows(StatusRuntimeException.class, () ->
        kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
            .addAllCmd(List.of("sleep", "30")).setTimeout(1).build()));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, timeout.getStatus().getCode());
    ExecSyncResponse procs = kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addAllCmd(List.of("sh", "-c", "for d in /proc/[0-9]*; do cat $d/cmdline; echo; done")).setTimeout(10).build());
    assertFalse(procs.getStdout().toStringUtf8().contains("sleep30"), "the timed-out exec was killed: " + procs.getStdout().toStringUtf8());

    String url = kona.runtime().exec(ExecRequest.newBuilder().setContainerId(id).addCmd("sh").setStdout(true).build()).getUrl();
    assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/exec/\\S+"), url);
    String forward = kona.runtime().portForward(PortForwardRequest.newBuilder().setPodSandboxId(pod).addPort(80).build()).getUrl();
    assertTrue(forward.matches("http://127\\.0\\.0\\.1:\\d+/portforward/\\S+"), forward);
    StatusRuntimeException noStreams = assertThrows(StatusRuntimeException.class, () ->
        kona.runtime().exec(ExecRequest.newBuilder().setContainerId(id).addCmd("sh").build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, noStreams.getStatus().getCode());
  }

  @Test
  void daemonKilled_containersKeepRunning_andExitsMeanwhileAreRecorded() throws Exception {
    String runner = create("runner", "sleep", "1000");
    String quitter = create("quitter", "sh", "-c", "sleep 2; exit 5");
    for (String id : List.of(runner, quitter)) {
      kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    }
    kona.kill();
    Thread.sleep(3_000); // quitter exits while no daemon runs

    kona = KonaDaemon.start(root, "--config=" + root.resolve("kona.toml"));
    assertEquals(ContainerState.CONTAINER_RUNNING, status(runner).getState());
    ContainerStatus quit = status(quitter);
    assertEquals(ContainerState.CONTAINER_EXITED, quit.getState());
    assertEquals(5, quit.getExitCode());
    assertTrue(quit.getFinishedAt() > quit.getStartedAt(), "finish time recorded by the monitor");
    ExecSyncResponse alive = kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(runner)
        .addAllCmd(List.of("echo", "still here")).setTimeout(10).build());
    assertEquals("still here\n", alive.getStdout().toStringUtf8());
  }

  @Test
  void updateContainerResources_rewritesTheCgroupLimits() throws Exception {
    String id = create("resized", "sleep", "1000");
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    kona.runtime().updateContainerResources(UpdateContainerResourcesRequest.newBuilder().setContainerId(id)
        .setLinux(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(96L << 20).setCpuShares(512)
            .setCpuQuota(50_000).setCpuPeriod(100_000))
        .build());
    // What is in force in the container process's own cgroup, wherever the driver put it.
    long pid = kona.containerPid(id);
    Path memory = NodeCgroups.cgroupOf(pid, "memory");
    Path cpu = NodeCgroups.cgroupOf(pid, "cpu");
    if (NodeCgroups.unified()) {
      assertEquals(String.valueOf(96L << 20), Files.readString(memory.resolve("memory.max")).trim());
      assertEquals("59", Files.readString(cpu.resolve("cpu.weight")).trim(), "512 shares, as runc converts them");
      assertEquals("50000 100000", Files.readString(cpu.resolve("cpu.max")).trim());
    } else {
      assertEquals(String.valueOf(96L << 20), Files.readString(memory.resolve("memory.limit_in_bytes")).trim());
      assertEquals("512", Files.readString(cpu.resolve("cpu.shares")).trim());
      assertEquals("50000", Files.readString(cpu.resolve("cpu.cfs_quota_us")).trim());
    }
    LinuxContainerResources inForce = kona.containerStatus(id).getResources().getLinux();
    assertEquals(96L << 20, inForce.getMemoryLimitInBytes(), "ContainerStatus reports the updated limits");
    assertEquals(512, inForce.getCpuShares());
    assertEquals(50_000, inForce.getCpuQuota());

    kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(id).setTimeout(0).build());
    StatusRuntimeException stopped = assertThrows(StatusRuntimeException.class, () ->
        kona.runtime().updateContainerResources(UpdateContainerResourcesRequest.newBuilder().setContainerId(id)
            .setLinux(LinuxContainerResources.newBuilder().setCpuShares(256)).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, stopped.getStatus().getCode());
  }

  @Test
  void memoryHog_overItsLimit_isOomKilled_whetherTheVictimIsInitOrAChild() throws Exception {
    // The shell itself doubles a string until the 16 MiB limit stops it: the OOM killer hits pid 1.
    String init = createLimited("hog-init", 16L << 20, "sh", "-c", "x=a; while :; do x=$x$x; done");
    // tail buffers a newline-free stream: the victim is a child, the shell exits 137 on its own.
    String child = createLimited("hog-child", 16L << 20, "sh", "-c", "busybox head -c 100m /dev/zero | busybox tail");
    for (String id : List.of(init, child)) {
      kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    }
    for (String id : List.of(init, child)) {
      ContainerStatus done = awaitExit(id);
      assertEquals("OOMKilled", done.getReason(), done.toString());
      assertEquals(137, done.getExitCode(), done.toString());
    }
  }

  private String createLimited(String name, long memoryLimit, String... command) {
    ContainerConfig config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .addAllCommand(List.of(command))
        .setLinux(LinuxContainerConfig.newBuilder()
            .setResources(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(memoryLimit)))
        .build();
    return kona.runtime().createContainer(CreateContainerRequest.newBuilder()
        .setPodSandboxId(pod).setConfig(config).setSandboxConfig(PodSandboxTest.config("app")).build()).getContainerId();
  }

  @Test
  void badRequests_unknownImageAndNameClash() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () ->
        kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(pod)
            .setConfig(ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("x"))
                .setImage(ImageSpec.newBuilder().setImage("nowhere/none:1"))).build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("nowhere/none:1"), e.getStatus().getDescription());

    String id = create("twin", "true");
    e = assertThrows(StatusRuntimeException.class, () -> create("twin", "true"));
    assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains(id), e.getStatus().getDescription());
  }
}
