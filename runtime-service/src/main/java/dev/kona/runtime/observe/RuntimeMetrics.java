package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.ContainerEventType;
import dev.kona.engine.ContainerStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The runtime's own meters. By-state gauges read the {@link ExitWatcher}'s last poll, so a scrape
 * never asks the engine anything. Tags are bounded: state and event type, never ids.
 */
final class RuntimeMetrics {

  private volatile Map<ContainerStatus, Integer> containers = Map.of();
  private volatile int podsReady;
  private volatile int podsNotReady;
  private final Map<ContainerEventType, Counter> events = new EnumMap<>(ContainerEventType.class);
  private final Counter eventsDropped;

  RuntimeMetrics(MeterRegistry registry, IntSupplier subscribers, LongSupplier subscribersDropped) {
    for (ContainerStatus s : ContainerStatus.values()) {
      Gauge.builder("kona.containers", () -> containers.getOrDefault(s, 0))
          .description("Containers by state (created, running, exited, unknown)")
          .tag("state", s == ContainerStatus.STOPPED ? "exited" : s.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    Gauge.builder("kona.pods", () -> podsReady).description("Pod sandboxes by state")
        .tag("state", "ready").register(registry);
    Gauge.builder("kona.pods", () -> podsNotReady).description("Pod sandboxes by state")
        .tag("state", "notready").register(registry);
    Gauge.builder("kona.container.monitors", () -> containers.getOrDefault(ContainerStatus.CREATED, 0)
            + containers.getOrDefault(ContainerStatus.RUNNING, 0))
        .description("Live container monitors: one per created or running container")
        .register(registry);
    for (ContainerEventType t : ContainerEventType.values()) {
      if (t != ContainerEventType.UNRECOGNIZED) {
        events.put(t, Counter.builder("kona.container.events")
            .description("Container lifecycle events (created, started, stopped, deleted)")
            .tag("type", t.name().replace("CONTAINER_", "").replace("_EVENT", "").toLowerCase(Locale.ROOT))
            .register(registry));
      }
    }
    eventsDropped = Counter.builder("kona.container.events.dropped")
        .description("Container events dropped because the event dispatcher fell too far behind")
        .register(registry);
    Gauge.builder("kona.container.event.subscribers", subscribers::getAsInt)
        .description("Open GetContainerEvents streams").register(registry);
    FunctionCounter.builder("kona.container.event.subscribers.dropped",
            subscribersDropped, LongSupplier::getAsLong)
        .description("GetContainerEvents streams closed because the subscriber stopped reading")
        .register(registry);
  }

  void snapshot(Map<ContainerStatus, Integer> byState, int ready, int notReady) {
    containers = Map.copyOf(byState);
    podsReady = ready;
    podsNotReady = notReady;
  }

  void event(ContainerEventType type) {
    Counter c = events.get(type);
    if (c != null) {
      c.increment();
    }
  }

  void eventDropped() {
    eventsDropped.increment();
  }
}
