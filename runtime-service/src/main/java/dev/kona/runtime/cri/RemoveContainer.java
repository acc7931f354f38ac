package dev.kona.runtime.cri;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.RemoveContainerResponse;
import dev.kona.runtime.container.Containers;

/** RemoveContainer: kills a running container and removes everything; unknown ids succeed. */
final class RemoveContainer {

  private final Containers containers;

  RemoveContainer(Containers containers) {
    this.containers = containers;
  }

  RemoveContainerResponse handle(RemoveContainerRequest request) {
    if (request.getContainerId().isEmpty()) {
      throw new InvalidArgumentException("container_id is required");
    }
    containers.remove(request.getContainerId());
    return RemoveContainerResponse.getDefaultInstance();
  }
}
