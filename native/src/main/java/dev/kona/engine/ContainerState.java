package dev.kona.engine;

import java.time.Instant;

/**
 * A container as its engine sees it. {@code pid} is the host pid of the container's first process
 * (0 once stopped or when unknown); {@code startedAt} is null until started; {@code exit} is set only
 * when {@link #status()} is STOPPED.
 */
public record ContainerState(
    ContainerId id,
    ContainerStatus status,
    int pid,
    Instant createdAt,
    Instant startedAt,
    ExitStatus exit) {

  public ContainerState {
    if (id == null || status == null || createdAt == null) {
      throw new IllegalArgumentException("container state: id, status and createdAt are required");
    }
    if ((status == ContainerStatus.STOPPED) != (exit != null)) {
      throw new IllegalArgumentException(
          "container state " + id + ": exit status must be present exactly when STOPPED, status " + status);
    }
  }
}
