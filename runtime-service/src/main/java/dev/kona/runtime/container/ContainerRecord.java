package dev.kona.runtime.container;

/**
 * A container as Kona persists it. What the engine knows (running or not, pid, exit) is asked of
 * the engine; this record keeps what only the runtime knows, and the last exit it saw so status
 * survives the engine forgetting a deleted container.
 *
 * @param imageRef the image id (sha256:…) the container was created from
 * @param bundle the OCI bundle dir; its rootfs is mounted at {@code bundle/rootfs}
 * @param logPath absolute path of the container's log, or empty
 * @param stopSignal the image's STOPSIGNAL number, 15 by default
 * @param startError why StartContainer failed, empty if it did not
 * @param runtimeHandler the pod's runtime handler, whose engine runs this container; empty for Kona's
 *     own (also when read from a record written before handlers existed)
 */
public record ContainerRecord(
    String id,
    String sandboxId,
    ContainerSpec spec,
    String imageRef,
    long createdAtNanos,
    String bundle,
    String logPath,
    int stopSignal,
    String startError,
    String runtimeHandler) {

  public ContainerRecord {
    runtimeHandler = runtimeHandler == null ? "" : runtimeHandler;
  }

  public ContainerRecord withSpec(ContainerSpec newSpec) {
    return new ContainerRecord(id, sandboxId, newSpec, imageRef, createdAtNanos, bundle, logPath, stopSignal, startError,
        runtimeHandler);
  }

  public ContainerRecord withStartError(String error) {
    return new ContainerRecord(id, sandboxId, spec, imageRef, createdAtNanos, bundle, logPath, stopSignal, error,
        runtimeHandler);
  }
}
