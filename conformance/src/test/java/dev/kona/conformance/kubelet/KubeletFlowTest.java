package dev.kona.conformance.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.Container;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.ContainerStatus;
import dev.kona.cri.api.v1.ContainerStatusRequest;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.ImageStatusRequest;
import dev.kona.cri.api.v1.ImageStatusResponse;
import dev.kona.cri.api.v1.LinuxContainerConfig;
import dev.kona.cri.api.v1.LinuxContainerSecurityContext;
import dev.kona.cri.api.v1.LinuxPodSandboxConfig;
import dev.kona.cri.api.v1.LinuxSandboxSecurityContext;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.Mount;
import dev.kona.cri.api.v1.NamespaceMode;
import dev.kona.cri.api.v1.NamespaceOption;
import dev.kona.cri.api.v1.PodSandbox;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.PodSandboxState;
import dev.kona.cri.api.v1.PodSandboxStatusRequest;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.RemoveImageRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopContainerRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod's whole life driven the way the kubelet drives it: the sync loop's calls in its order,
 * the PLEG relisting, a crashing container restarted with attempt+1, an ephemeral container
 * targeting another's PID namespace, graceful termination, removal and image garbage collection.
 * Every state is asserted as the kubelet reads it: from List and Status calls.
 */
class KubeletFlowTest {

  @TempDir Path root;

  @Test
  void podLife_asTheKubeletDrivesIt() throws Exception {
    try (BusyboxRegistry registry = BusyboxRegistry.open()) {
      String image = registry.image();
      try (KonaDaemon kona = registry.startKona(root)) {
        Kubelet kubelet = new Kubelet(kona);

        // EnsureImageExists: ImageStatus, then PullImage only when absent.
        ImageSpec spec = ImageSpec.newBuilder().setImage(image).build();
        assertFalse(kona.images().imageStatus(ImageStatusRequest.newBuilder().setImage(spec).build()).hasImage());
        String imageRef = kona.images().pullImage(PullImageRequest.newBuilder().setImage(spec).build()).getImageRef();
        ImageStatusResponse present = kona.images().imageStatus(ImageStatusRequest.newBuilder().setImage(spec).build());
        assertTrue(present.getImage().getSize() > 0);
        assertEquals(imageRef, present.getImage().getId());

        Path volume = Files.createDirectories(root.resolve("volume"));
        PodSandboxConfig pod = PodSandboxConfig.newBuilder()
            .setMetadata(PodSandboxMetadata.newBuilder().setName("web").setNamespace("default")
                .setUid(UUID.randomUUID().toString()))
            .setHostname("web")
            .setLogDirectory(root.resolve("pods/web").toString())
            // As the kubelet sends it for a pod without shareProcessNamespace.
            .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER))))
            .build();
        String podId = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod)
            .build()).getPodSandboxId();
        assertEquals(PodSandboxState.SANDBOX_READY, kona.runtime().podSandboxStatus(
            PodSandboxStatusRequest.newBuilder().setPodSandboxId(podId).build()).getStatus().getState());

        // Init container first; regular containers only after it completed.
        String init = kubelet.start(podId, pod, container("init", 0, image, volume,
            "sh", "-c", "echo ready > /work/state"));
        ContainerStatus initDone = kubelet.awaitState(init, ContainerState.CONTAINER_EXITED);
        assertEquals(0, initDone.getExitCode());
        assertEquals("Completed", initDone.getReason());

        String app = kubelet.start(podId, pod, container("app", 0, image, volume,
            "sh", "-c", "cat /work/state; trap 'echo bye; exit 0' TERM; while true; do sleep 0.1; done"));
        String crasher = kubelet.start(podId, pod, container("crasher", 0, image, volume, "sh", "-c", "exit 1"));
        assertEquals(ContainerState.CONTAINER_RUNNING, kubelet.awaitState(app, ContainerState.CONTAINER_RUNNING).getState());

        // The PLEG sees the crash; the kubelet restarts it as attempt 1 and removes attempt 0.
        ContainerStatus crashed = kubelet.awaitState(crasher, ContainerState.CONTAINER_EXITED);
        assertEquals(1, crashed.getExitCode());
        assertEquals("Error", crashed.getReason());
        String restarted = kubelet.start(podId, pod, container("crasher", 1, image, volume,
            "sh", "-c", "sleep 1000"));
        kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(crasher).build());
        assertEquals(1, kona.runtime().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(restarted)
            .build()).getStatus().getMetadata().getAttempt());

        // An ephemeral (debug) container in the app container's PID namespace sees its processes.
        ContainerConfig debug = container("debugger", 0, image, volume, "sleep", "1000").toBuilder()
            .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.newBuilder()
                .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.TARGET).setTargetId(app))))
            .build();
        String debugger = kubelet.start(podId, pod, debug);
        String seen = kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(debugger)
            .addAllCmd(List.of("sh", "-c", "cat /proc/1/cmdline")).setTimeout(10).build()).getStdout().toStringUtf8();
        assertTrue(seen.startsWith("sh"), "PID 1 seen by the debugger is the app's shell: " + seen);

        Map<String, ContainerState> relisted = kubelet.relist();
        assertEquals(ContainerState.CONTAINER_EXITED, relisted.get(init));
        assertEquals(ContainerState.CONTAINER_RUNNING, relisted.get(app));
        assertEquals(ContainerState.CONTAINER_RUNNING, relisted.get(restarted));
        assertFalse(relisted.containsKey(crasher));

        // Graceful termination with the pod's grace period, then the sandbox, then GC.
        kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(app).setTimeout(30).build());
        assertEquals(0, kubelet.awaitState(app, ContainerState.CONTAINER_EXITED).getExitCode());
        String appLog = Files.readString(root.resolve("pods/web/app/0.log"));
        assertTrue(appLog.contains(" stdout F ready\n") && appLog.contains(" stdout F bye\n"), appLog);
        kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
        for (Container c : kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersList()) {
          assertEquals(ContainerState.CONTAINER_EXITED, c.getState(), c.getMetadata().getName());
        }
        kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(podId).build());
        assertEquals(0, kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());
        assertEquals(0, kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsCount());

        kona.images().removeImage(RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(imageRef)).build());
        assertFalse(kona.images().imageStatus(ImageStatusRequest.newBuilder().setImage(spec).build()).hasImage());
      }
    }
  }

  private static ContainerConfig container(String name, int attempt, String image, Path volume, String... command) {
    return ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name).setAttempt(attempt))
        .setImage(ImageSpec.newBuilder().setImage(image))
        .addAllCommand(List.of(command))
        .addMounts(Mount.newBuilder().setContainerPath("/work").setHostPath(volume.toString()))
        .setLogPath(name + "/" + attempt + ".log")
        .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.newBuilder()
            .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER))))
        .build();
  }

  /** The kubelet's side: create+start, and the PLEG's relist (ListPodSandbox, ListContainers, statuses). */
  private record Kubelet(KonaDaemon kona) {

    String start(String podId, PodSandboxConfig pod, ContainerConfig config) {
      String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(podId)
          .setConfig(config).setSandboxConfig(pod).build()).getContainerId();
      kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
      return id;
    }

    Map<String, ContainerState> relist() {
      Map<String, ContainerState> states = new HashMap<>();
      for (PodSandbox p : kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
        kona.runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(p.getId()).build());
      }
      for (Container c : kona.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersList()) {
        ContainerStatus s = kona.runtime().containerStatus(
            ContainerStatusRequest.newBuilder().setContainerId(c.getId()).build()).getStatus();
        // Status is read after List: a container may have moved on in between (a crasher exits),
        // but never back.
        assertTrue(s.getState().getNumber() >= c.getState().getNumber(),
            "status " + s.getState() + " of " + c.getMetadata().getName() + " is behind list's " + c.getState());
        states.put(c.getId(), s.getState());
      }
      return states;
    }

    ContainerStatus awaitState(String id, ContainerState want) throws InterruptedException {
      Predicate<ContainerState> reached = s -> s == want;
      for (int i = 0; i < 100; i++) {
        if (reached.test(relist().get(id))) {
          return kona.runtime().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).build()).getStatus();
        }
        Thread.sleep(200);
      }
      throw new AssertionError("container " + id + " never reached " + want + "; relist: " + relist());
    }
  }
}
