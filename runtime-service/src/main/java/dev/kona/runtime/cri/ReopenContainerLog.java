package dev.kona.runtime.cri;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.cri.api.v1.ReopenContainerLogRequest;
import dev.kona.cri.api.v1.ReopenContainerLogResponse;
import dev.kona.engine.ContainerId;
import dev.kona.engine.ContainerStatus;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.Containers;

/** ReopenContainerLog: after the kubelet renamed the log for rotation, the monitor opens a new file. */
final class ReopenContainerLog {

  private final Containers containers;

  ReopenContainerLog(Containers containers) {
    this.containers = containers;
  }

  ReopenContainerLogResponse handle(ReopenContainerLogRequest request) {
    ContainerRecord record = containers.get(request.getContainerId());
    if (containers.stateOf(record).status() != ContainerStatus.RUNNING) {
      throw new FailedPreconditionException("reopen log of container " + record.id() + ": it is not running");
    }
    containers.checkLogPath(record);
    containers.engineOf(record).reopenLog(new ContainerId(record.id()));
    return ReopenContainerLogResponse.getDefaultInstance();
  }
}
