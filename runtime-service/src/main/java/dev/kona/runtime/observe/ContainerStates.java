package dev.kona.runtime.observe;

import dev.kona.engine.ContainerState;
import dev.kona.engine.ContainerStatus;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.Containers;
import java.util.Map;

/**
 * Containers' engine states as the {@link ExitWatcher} last saw them (at most a poll period old),
 * so a stats poll over every container does not ask the engine for each one again. A container
 * the watcher has not seen yet, or last saw other than running or stopped, is asked for directly:
 * one it saw created may have been started since, and its state then would have no start time.
 */
final class ContainerStates {

  private final Containers containers;
  private volatile Map<String, ContainerState> lastPoll = Map.of();

  ContainerStates(Containers containers) {
    this.containers = containers;
  }

  ContainerState of(ContainerRecord record) {
    ContainerState s = lastPoll.get(record.id());
    boolean settled = s != null && (s.status() == ContainerStatus.RUNNING || s.status() == ContainerStatus.STOPPED);
    return settled ? s : containers.stateOf(record);
  }

  void update(Map<String, ContainerState> poll) {
    lastPoll = Map.copyOf(poll);
  }
}
