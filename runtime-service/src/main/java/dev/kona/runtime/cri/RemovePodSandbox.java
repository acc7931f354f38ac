package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RemovePodSandboxResponse;
import dev.kona.runtime.sandbox.Sandboxes;

/** RemovePodSandbox: removes the pod, its containers and every resource; unknown ids succeed. */
final class RemovePodSandbox {

  private final Sandboxes sandboxes;

  RemovePodSandbox(Sandboxes sandboxes) {
    this.sandboxes = sandboxes;
  }

  RemovePodSandboxResponse handle(RemovePodSandboxRequest request) {
    if (request.getPodSandboxId().isEmpty()) {
      throw new dev.kona.common.error.InvalidArgumentException("pod_sandbox_id is required");
    }
    sandboxes.remove(request.getPodSandboxId());
    return RemovePodSandboxResponse.getDefaultInstance();
  }
}
