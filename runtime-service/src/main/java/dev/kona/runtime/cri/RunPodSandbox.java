package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxMetadata;
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
    dev.kona.runtime.sandbox.SandboxSpec spec = SandboxProtos.toSpec(request.getConfig(), request.getRuntimeHandler());
    if (spec.userNamespace() != null && !handlers.find(handler).orElseThrow().features().userNamespaces()) {
      // Never run a pod that asked for its own user namespace with the host's ids instead.
      throw new dev.kona.common.error.InvalidArgumentException(
          "config.linux.security_context.namespace_options.userns_options.mode POD: runtime handler \"" + handler
              + "\" cannot make user namespaces on this node (Status runtime_handlers[].features.user_namespaces"
              + " is false)");
    }
    String id = sandboxes.run(spec, call::isCancelled);
    return RunPodSandboxResponse.newBuilder().setPodSandboxId(id).build();
  }

  /** What ends up in the pod's record, its files and every listing, bounded before anything is made. */
  private static void checkLimits(PodSandboxConfig config) {
    PodSandboxMetadata m = config.getMetadata();
    RequestLimits.name("config.metadata.name", m.getName());
    RequestLimits.name("config.metadata.namespace", m.getNamespace());
    RequestLimits.name("config.metadata.uid", m.getUid());
    RequestLimits.hostname("config.hostname", config.getHostname());
    RequestLimits.labels("config.labels", config.getLabelsMap());
    RequestLimits.annotations("config.annotations", config.getAnnotationsMap());
    String logDirectory = config.getLogDirectory();
    RequestLimits.path("config.log_directory", logDirectory);
    if (!logDirectory.isEmpty() && !logDirectory.startsWith("/")) {
      throw new dev.kona.common.error.InvalidArgumentException(
          "config.log_directory: must be an absolute path, got \"" + logDirectory + "\"");
    }
  }
}
