package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.DNSConfig;
import dev.kona.cri.api.v1.LinuxPodSandboxConfig;
import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.PodSandbox;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxFilter;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.PodSandboxState;
import dev.kona.cri.api.v1.PodSandboxStateValue;
import dev.kona.cri.api.v1.PodSandboxStatus;
import dev.kona.cri.api.v1.PodSandboxStatusRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pod sandboxes through a real daemon: pinned namespaces, pod files, state, names, recovery. */
class PodSandboxTest {

  @TempDir Path root;
  KonaDaemon kona;

  @BeforeEach
  void start() throws Exception {
    KonaDaemon.writeLoopbackNetwork(root);
    kona = KonaDaemon.start(root);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (PodSandbox p : kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
        kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
        kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(p.getId()).build());
      }
    } finally {
      kona.close();
    }
    assertEquals(List.of(), mountsUnder(root), "mounts left under the test root");
  }

  static PodSandboxConfig config(String name) {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("default")
            .setUid(UUID.randomUUID().toString()).setAttempt(0))
        .setHostname(name + "-host")
        .setDnsConfig(DNSConfig.newBuilder().addServers("10.96.0.10").addSearches("default.svc.cluster.local").addOptions("ndots:5"))
        .putLabels("app", name)
        .putAnnotations("note", "kona-test")
        .setLinux(LinuxPodSandboxConfig.newBuilder().putSysctls("net.ipv4.ip_unprivileged_port_start", "80"))
        .build();
  }

  private String run(PodSandboxConfig config) {
    return kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()).getPodSandboxId();
  }

  private PodSandboxStatus status(String id) {
    return kona.runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(id).build()).getStatus();
  }

  @Test
  void lifecycle_runStatusListStopRemove() throws Exception {
    PodSandboxConfig config = config("web");
    String id = run(config);
    assertEquals(64, id.length());

    PodSandboxStatus s = status(id);
    assertEquals(PodSandboxState.SANDBOX_READY, s.getState());
    assertEquals(config.getMetadata(), s.getMetadata());
    assertTrue(s.getCreatedAt() > 0);
    assertEquals("web", s.getLabelsOrThrow("app"));
    assertEquals("kona-test", s.getAnnotationsOrThrow("note"));

    Path runDir = root.resolve("run/sandboxes").resolve(id);
    Path netns = runDir.resolve("net");
    assertTrue(Files.exists(netns), "pinned netns");
    assertNotEquals(Files.getAttribute(netns, "unix:ino"), Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino"),
        "the pod has its own network namespace");
    assertEquals("80", nsExec(netns, "cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start").trim(),
        "sysctl applied inside the pod's netns");
    String resolv = Files.readString(root.resolve("state/sandboxes").resolve(id).resolve("resolv.conf"));
    assertEquals("search default.svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n", resolv);

    assertEquals(List.of(id), ids(PodSandboxFilter.newBuilder().putLabelSelector("app", "web").build()));
    assertEquals(List.of(), ids(PodSandboxFilter.newBuilder().putLabelSelector("app", "db").build()));
    assertEquals(List.of(id), ids(PodSandboxFilter.newBuilder().setId(id.substring(0, 12)).build()));

    kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    assertEquals(PodSandboxState.SANDBOX_NOTREADY, status(id).getState());
    assertEquals(List.of(id), ids(PodSandboxFilter.newBuilder()
        .setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_NOTREADY)).build()));

    kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    StatusRuntimeException gone = assertThrows(StatusRuntimeException.class, () -> status(id));
    assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
    assertFalse(Files.exists(runDir), "run dir removed");
    assertEquals(List.of(), mountsUnder(root));
  }

  @Test
  void badRequests_getClearStatusesAndLeaveNothing() throws Exception {
    PodSandboxConfig noName = config("x").toBuilder()
        .setMetadata(config("x").getMetadata().toBuilder().clearName()).build();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> run(noName));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("config.metadata.name is required", e.getStatus().getDescription());

    PodSandboxConfig unsafe = config("y").toBuilder()
        .setLinux(LinuxPodSandboxConfig.newBuilder().putSysctls("kernel.pid_max", "4096")).build();
    e = assertThrows(StatusRuntimeException.class, () -> run(unsafe));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("kernel.pid_max is not namespaced"), e.getStatus().getDescription());

    e = assertThrows(StatusRuntimeException.class, () -> kona.runtime().runPodSandbox(
        RunPodSandboxRequest.newBuilder().setConfig(config("z")).setRuntimeHandler("gvisor").build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("runtime_handler \"gvisor\" is not configured"),
        e.getStatus().getDescription());

    e = assertThrows(StatusRuntimeException.class, () -> status("0123456789abcdef"));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("0123456789abcdef"), e.getStatus().getDescription());

    assertEquals(List.of(), kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList());
    assertFalse(Files.exists(root.resolve("run/sandboxes")) && Files.list(root.resolve("run/sandboxes")).findAny().isPresent(),
        "no sandbox dirs left");
    assertEquals(List.of(), mountsUnder(root));
  }

  @Test
  void sameMetadataTwice_isAlreadyExistsNamingTheSandbox() {
    PodSandboxConfig config = config("dup");
    String id = run(config);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> run(config));
    assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("is reserved for pod sandbox " + id), e.getStatus().getDescription());

    PodSandboxConfig nextAttempt = config.toBuilder()
        .setMetadata(config.getMetadata().toBuilder().setAttempt(1)).build();
    assertNotEquals(id, run(nextAttempt));
  }

  @Test
  void daemonKilled_sandboxesAreListedAgainAfterRestart() throws Exception {
    String id = run(config("survivor"));
    kona.kill();
    kona = KonaDaemon.start(root);
    assertEquals(PodSandboxState.SANDBOX_READY, status(id).getState());
    assertEquals(List.of(id), ids(PodSandboxFilter.getDefaultInstance()));
  }

  private List<String> ids(PodSandboxFilter filter) {
    return kona.runtime().listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(filter).build())
        .getItemsList().stream().map(PodSandbox::getId).toList();
  }

  @Test
  void failedNetworkSetUp_undoesTheWholePod_includingItsInitStartedMeanwhile() throws Exception {
    // host-local on its own, without an "ipam" section, fails its ADD at once and touches nothing.
    Files.writeString(kona.cniConfDir().resolve("05-broken.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"kona-broken\",\"plugins\":[{\"type\":\"host-local\"}]}");
    StatusRuntimeException failed = null;
    for (int i = 0; i < 100 && failed == null; i++) { // the daemon re-reads the conf dir on its own
      try {
        String id = run(config("unlucky"));
        kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
        kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
        Thread.sleep(50);
      } catch (StatusRuntimeException e) {
        failed = e;
      }
    }
    assertNotEquals(null, failed, "RunPodSandbox failed once the broken network was in place");
    assertTrue(failed.getStatus().getDescription().contains("host-local"), failed.getStatus().toString());

    assertEquals(List.of(), kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList());
    assertEquals(List.of(), mountsUnder(root), "no pinned namespace or shm left");
    String runRoot = root.resolve("run").toString();
    long helpers = ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("kona-shim") && c.contains(runRoot)).orElse(false))
        .count();
    assertEquals(0, helpers, "no pod init left running");
    Files.delete(kona.cniConfDir().resolve("05-broken.conflist"));
  }

  static List<String> mountsUnder(Path root) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .map(l -> l.split(" ")[4])
        .filter(p -> p.startsWith(root.toString()))
        .toList();
  }

  static String nsExec(Path netns, String... command) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("nsenter", "--net=" + netns));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    return out;
  }
}
