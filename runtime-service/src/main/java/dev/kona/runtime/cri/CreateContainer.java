package dev.kona.runtime.cri;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.CreateContainerResponse;
import dev.kona.cri.api.v1.SupplementalGroupsPolicy;
import dev.kona.runtime.container.Containers;
import dev.kona.runtime.container.LogPaths;

/** CreateContainer: the image's rootfs, the OCI spec, and the container set up and waiting. */
final class CreateContainer {

  private final Containers containers;

  CreateContainer(Containers containers) {
    this.containers = containers;
  }

  CreateContainerResponse handle(CreateContainerRequest request) {
    if (request.getPodSandboxId().isEmpty()) {
      throw new InvalidArgumentException("pod_sandbox_id is required");
    }
    if (!request.hasConfig()) {
      throw new InvalidArgumentException("config is required");
    }
    checkLimits(request.getConfig());
    HostSecurityModules.HOST.check(request.getConfig().getLinux().getSecurityContext());
    String id = containers.create(request.getPodSandboxId(), ContainerProtos.toSpec(request.getConfig(),
        request.getSandboxConfig().getLinux().getSecurityContext().getSupplementalGroupsPolicy()
            == SupplementalGroupsPolicy.Strict, containers.podHasUserNamespace(request.getPodSandboxId())));
    return CreateContainerResponse.newBuilder().setContainerId(id).build();
  }

  /** What ends up in the container's record, its listings and its log path, bounded before anything is made. */
  private static void checkLimits(ContainerConfig config) {
    RequestLimits.name("config.metadata.name", config.getMetadata().getName());
    RequestLimits.labels("config.labels", config.getLabelsMap());
    RequestLimits.annotations("config.annotations", config.getAnnotationsMap());
    RequestLimits.path("config.log_path", config.getLogPath());
    LogPaths.checkRelative("config.log_path", config.getLogPath());
  }
}
