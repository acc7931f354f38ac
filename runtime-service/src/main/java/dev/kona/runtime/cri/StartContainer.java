package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StartContainerResponse;
import dev.kona.runtime.container.Containers;

/** StartContainer: only from CREATED; a program that cannot run leaves the container EXITED. */
final class StartContainer {

  private final Containers containers;

  StartContainer(Containers containers) {
    this.containers = containers;
  }

  StartContainerResponse handle(StartContainerRequest request) {
    containers.start(request.getContainerId());
    return StartContainerResponse.getDefaultInstance();
  }
}
