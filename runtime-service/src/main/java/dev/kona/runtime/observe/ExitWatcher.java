package dev.kona.runtime.observe;

import dev.kona.engine.ContainerState;
import dev.kona.engine.ContainerStatus;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.Containers;
import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.SandboxState;
import dev.kona.runtime.sandbox.Sandboxes;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a {@code period}, learns every container's state (from the engine, unless its running
 * process is still alive: one /proc read rather than a {@code runc state} per container), reports
 * exits containers made on their own (the runtime's lifecycle calls only see the exits it causes)
 * and the pod sandboxes' changes, refreshes the by-state gauges, and lets the stats caches forget
 * containers that are gone.
 */
final class ExitWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExitWatcher.class);

  private final Containers containers;
  private final Sandboxes sandboxes;
  private final ContainerEventHub events;
  private final UsageCollector usage;
  private final ContainerStates states;
  private final RuntimeMetrics metrics;
  private final Duration period;
  private final Thread thread;
  private final SandboxTransitions podTransitions = new SandboxTransitions();
  private final Map<String, LiveProcess> running = new HashMap<>();
  private Map<String, ContainerState> previous = Map.of();
  private boolean first = true;

  ExitWatcher(Containers containers, Sandboxes sandboxes, ContainerEventHub events, UsageCollector usage,
      ContainerStates states, RuntimeMetrics metrics, Duration period) {
    this.states = states;
    this.containers = containers;
    this.sandboxes = sandboxes;
    this.events = events;
    this.usage = usage;
    this.metrics = metrics;
    this.period = period;
    this.thread = Thread.ofPlatform().name("kona-exit-watcher").daemon().start(this::run);
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        poll();
      } catch (RuntimeException e) {
        LOG.warn("exit watcher: {}", e.toString());
      }
      try {
        Thread.sleep(period);
      } catch (InterruptedException stop) {
        return;
      }
    }
  }

  void poll() {
    Map<ContainerStatus, Integer> byState = new EnumMap<>(ContainerStatus.class);
    Set<String> ids = new HashSet<>();
    Map<String, ContainerState> seen = new HashMap<>();
    for (ContainerRecord r : containers.all()) {
      ids.add(r.id());
      ContainerState state = stateOf(r);
      seen.put(r.id(), state);
      ContainerStatus status = state.status();
      byState.merge(status, 1, Integer::sum);
      if (status == ContainerStatus.STOPPED) {
        if (first) {
          events.alreadyStopped(r.id());
        } else {
          events.stopped(r);
        }
      }
    }
    first = false;
    states.update(seen);
    previous = seen;
    running.keySet().retainAll(ids);
    var pods = sandboxes.all();
    for (SandboxTransitions.Transition t : podTransitions.next(pods)) {
      events.sandbox(t.type(), t.sandbox());
    }
    int ready = 0;
    int notReady = 0;
    for (SandboxRecord s : pods) {
      if (s.state() == SandboxState.READY) {
        ready++;
      } else {
        notReady++;
      }
    }
    metrics.snapshot(byState, ready, notReady);
    usage.retainOnly(ids);
    events.retainOnly(ids);
  }

  /**
   * A running container whose first process is still the same live process is still running:
   * reuse the last state rather than ask the engine. Anything else is asked for.
   */
  private ContainerState stateOf(ContainerRecord r) {
    LiveProcess p = running.get(r.id());
    ContainerState last = previous.get(r.id());
    if (p != null && last != null && p.alive()) {
      return last;
    }
    ContainerState state = containers.stateOf(r);
    LiveProcess now = state.status() == ContainerStatus.RUNNING ? LiveProcess.of(state.pid()) : null;
    if (now != null) {
      running.put(r.id(), now);
    } else {
      running.remove(r.id());
    }
    return state;
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
