package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.StopContainerRequest;
import dev.kona.cri.api.v1.StopContainerResponse;
import dev.kona.runtime.container.Containers;
import java.time.Duration;

/** StopContainer: the stop signal, SIGKILL after the timeout; returns when the process is gone. */
final class StopContainer {

  private final Containers containers;

  StopContainer(Containers containers) {
    this.containers = containers;
  }

  StopContainerResponse handle(StopContainerRequest request) {
    containers.stop(request.getContainerId(), Duration.ofSeconds(Math.max(0, request.getTimeout())));
    return StopContainerResponse.getDefaultInstance();
  }
}
