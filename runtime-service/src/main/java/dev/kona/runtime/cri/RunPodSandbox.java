package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxResponse;
import dev.kona.runtime.RuntimeInfo;
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
    String handler = request.getRuntimeHandler();
    if (!handler.isEmpty() && !handler.equals(RuntimeInfo.RUNTIME_NAME)) {
      // runc/crun engines exist below the CRI but are not selectable yet: refuse rather than ignore.
      throw new dev.kona.common.error.InvalidArgumentException(
          "runtime_handler \"" + handler + "\" is not configured; this node has: \"" + RuntimeInfo.RUNTIME_NAME + "\" (the default)");
    }
    Context call = Context.current();
    String id = sandboxes.run(SandboxProtos.toSpec(request.getConfig(), request.getRuntimeHandler()), call::isCancelled);
    return RunPodSandboxResponse.newBuilder().setPodSandboxId(id).build();
  }
}
