package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxResponse;
import dev.kona.runtime.sandbox.Sandboxes;
import io.grpc.Context;

/** RunPodSandbox: pinned namespaces, shm, pod files, sysctls, then CNI; all or nothing. */
final class RunPodSandbox {

  private final Sandboxes sandboxes;

  RunPodSandbox(Sandboxes sandboxes) {
    this.sandboxes = sandboxes;
  }

  RunPodSandboxResponse handle(RunPodSandboxRequest request) {
    if (!request.hasConfig()) {
      throw new dev.kona.common.error.InvalidArgumentException("config is required");
    }
    Context call = Context.current();
    String id = sandboxes.run(SandboxProtos.toSpec(request.getConfig(), request.getRuntimeHandler()), call::isCancelled);
    return RunPodSandboxResponse.newBuilder().setPodSandboxId(id).build();
  }
}
