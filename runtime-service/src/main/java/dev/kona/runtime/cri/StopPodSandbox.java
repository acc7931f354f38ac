package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.StopPodSandboxRequest;
import dev.kona.cri.api.v1.StopPodSandboxResponse;
import dev.kona.runtime.sandbox.Sandboxes;

/** StopPodSandbox: stops the pod's containers and takes its network down; idempotent. */
final class StopPodSandbox {

  private final Sandboxes sandboxes;

  StopPodSandbox(Sandboxes sandboxes) {
    this.sandboxes = sandboxes;
  }

  StopPodSandboxResponse handle(StopPodSandboxRequest request) {
    sandboxes.stop(request.getPodSandboxId());
    return StopPodSandboxResponse.getDefaultInstance();
  }
}
