package dev.kona.runtime.cri;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.cri.api.v1.UpdatePodSandboxResourcesRequest;
import dev.kona.cri.api.v1.UpdatePodSandboxResourcesResponse;
import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.Sandboxes;

/**
 * UpdatePodSandboxResources (KEP-5419, pod-level resize): the kubelet resizes the pod cgroup it owns
 * and tells the runtime; Kona records the new overhead and resources with the pod (verbose
 * PodSandboxStatus shows them), as containerd and CRI-O do without an NRI plugin. A field the
 * request leaves unset keeps its value.
 */
final class UpdatePodSandboxResources {

  private final Sandboxes sandboxes;

  UpdatePodSandboxResources(Sandboxes sandboxes) {
    this.sandboxes = sandboxes;
  }

  UpdatePodSandboxResourcesResponse handle(UpdatePodSandboxResourcesRequest request) {
    if (request.getPodSandboxId().isEmpty()) {
      throw new InvalidArgumentException("pod_sandbox_id is required");
    }
    SandboxRecord record = sandboxes.get(request.getPodSandboxId());
    sandboxes.updateResources(record.id(),
        request.hasOverhead() ? ContainerProtos.resources(request.getOverhead()) : record.spec().overhead(),
        request.hasResources() ? ContainerProtos.resources(request.getResources()) : record.spec().resources());
    return UpdatePodSandboxResourcesResponse.getDefaultInstance();
  }
}
