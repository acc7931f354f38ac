package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.PodSandboxStatusRequest;
import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.RemoveImageRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopContainerRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The calls the kubelet retries (after a timeout or its own restart) succeed when the object is
 * already stopped or gone, as the CRI comments and critest's "Idempotence" specs require.
 */
class IdempotenceTest extends OnePodSuite {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  IdempotenceTest() {
    super(registry, registry::image, "idem");
  }

  @Test
  void unknownIds_stopAndRemoveSucceed() {
    // critest sends random UUIDs; a full-length id of Kona's own form must pass too.
    for (String id : List.of(UUID.randomUUID().toString(), "0".repeat(64))) {
      kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
      kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
      kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(id).build());
      kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());
    }
    for (int i = 0; i < 2; i++) {
      kona.images().removeImage(RemoveImageRequest.newBuilder()
          .setImage(ImageSpec.newBuilder().setImage("0".repeat(64))).build());
    }
  }

  @Test
  void emptyIds_stillInvalidArgument() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> kona.runtime().stopContainer(StopContainerRequest.getDefaultInstance()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    e = assertThrows(StatusRuntimeException.class,
        () -> kona.runtime().stopPodSandbox(StopPodSandboxRequest.getDefaultInstance()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
  }

  @Test
  void stoppedAndRemovedObjects_stopAndRemoveAgainSucceed() throws Exception {
    String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(pod)
        .setConfig(ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("idem"))
            .setImage(ImageSpec.newBuilder().setImage(registry.image())).addAllCommand(List.of("sleep", "1000")))
        .setSandboxConfig(PodSandboxTest.config("idem")).build()).getContainerId();
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    for (int i = 0; i < 2; i++) {
      kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(id).setTimeout(1).build());
      assertEquals(ContainerState.CONTAINER_EXITED, kona.containerStatus(id).getState());
    }
    for (int i = 0; i < 2; i++) {
      kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());
      kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(id).setTimeout(1).build());
    }
    for (int i = 0; i < 2; i++) {
      kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(pod).build());
    }
    for (int i = 0; i < 2; i++) {
      kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(pod).build());
      kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(pod).build());
    }
    StatusRuntimeException gone = assertThrows(StatusRuntimeException.class, () -> kona.runtime()
        .podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(pod).build()));
    assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode(), "status still says NOT_FOUND");
  }
}
