package dev.kona.runtime.sandbox;

/**
 * A PID namespace shared by all containers of a pod, which needs a PID 1 to hold it: the engine's
 * reaping init. Only pods that ask for it (namespace_options.pid = POD) get one.
 */
public interface PodPidNamespaces {

  /** Starts the pod's init in a new PID namespace joined to the pod's pinned namespaces. */
  void start(SandboxRecord sandbox);

  /** The namespace file containers of the pod join, e.g. /proc/&lt;pid&gt;/ns/pid. */
  String pidNamespace(String sandboxId);

  /** Kills the init and every process left in its namespace; unknown pods are fine. */
  void stop(String sandboxId);

  PodPidNamespaces UNSUPPORTED = new PodPidNamespaces() {
    @Override
    public void start(SandboxRecord sandbox) {
      throw new dev.kona.common.error.FailedPreconditionException(
          "run pod sandbox " + sandbox.id() + ": this engine cannot share a PID namespace across a pod");
    }

    @Override
    public String pidNamespace(String sandboxId) {
      throw new dev.kona.common.error.NotFoundException("pod " + sandboxId + " has no shared PID namespace");
    }

    @Override
    public void stop(String sandboxId) {}
  };
}
