package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxResponse;
import dev.kona.runtime.RuntimeHandlers;
import dev.kona.runtime.sandbox.Sandboxes;
import io.grpc.Context;

/**
 * RunPodSandbox: pinned namespaces, shm, pod files, sysctls, then CNI; all or nothing. The
 * runtime_handler must name a handler of this node; the sandbox keeps it, and its containers run
 * on that handler's engine.
 */
final class RunPodSandbox {

  private final Sandboxes sandboxes;
  private final RuntimeHandlers handlers;

  RunPodSandbox(Sandboxes sandboxes, RuntimeHandlers handlers) {
    this.sandboxes = sandboxes;
    this.handlers = handlers;
  }

  RunPodSandboxResponse handle(RunPodSandboxRequest request) {
    if (!request.hasConfig()) {
      throw new dev.kona.common.error.InvalidArgumentException("config is required");
    }
    String handler = request.getRuntimeHandler();
    if (handlers.find(handler).isEmpty()) {
      throw new dev.kona.common.error.InvalidArgumentException(
          "runtime_handler \"" + handler + "\" is not configured; this node has: " + handlers.describe());
    }
    checkLimits(request.getConfig());
    Context call = Context.current();
    String id = sandboxes.run(SandboxProtos.toSpec(request.getConfig(), request.getRuntimeHandler()), call::isCancelled);
    return RunPodSandboxResponse.newBuilder().setPodSandboxId(id).build();
  }

  /** The log directory container log paths are resolved under must be absolute. */
  private static void checkLimits(PodSandboxConfig config) {
    String logDirectory = config.getLogDirectory();
    if (!logDirectory.isEmpty() && !logDirectory.startsWith("/")) {
      throw new dev.kona.common.error.InvalidArgumentException(
          "config.log_directory: must be an absolute path, got \"" + logDirectory + "\"");
    }
  }
}
