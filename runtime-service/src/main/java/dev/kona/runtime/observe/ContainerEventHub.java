package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.ContainerEventResponse;
import dev.kona.cri.api.v1.ContainerEventType;
import dev.kona.runtime.container.ContainerEvents;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.sandbox.SandboxRecord;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's container events, for GetContainerEvents. The lifecycle calls only enqueue (they
 * run on CRI calls and must not block); one dispatcher thread renders each event once, with the
 * pod's status and its containers' statuses at that moment, and fans it out. A container's stop is
 * reported once, whether StopContainer or the {@link ExitWatcher} sees it first.
 */
final class ContainerEventHub implements ContainerEvents, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerEventHub.class);
  /** Events waiting for the dispatcher; past this the runtime is far ahead and events are dropped. */
  private static final int PENDING_LIMIT = 10_000;

  /**
   * One lifecycle change, before rendering: of a container ({@code container} set) or of a pod
   * sandbox ({@code container} null, {@code id} the sandbox's, {@code sandbox} as last seen).
   */
  record Event(ContainerEventType type, String id, String sandboxId, ContainerRecord container,
      SandboxRecord sandbox, long atNanos) {}

  private final BlockingQueue<Event> pending = new LinkedBlockingQueue<>(PENDING_LIMIT);
  private final Set<String> stopReported = ConcurrentHashMap.newKeySet();
  private final EventFanOut<ContainerEventResponse> fanOut;
  private final Function<Event, ContainerEventResponse> render;
  private final RuntimeMetrics metrics;
  private final Thread dispatcher;

  ContainerEventHub(EventFanOut<ContainerEventResponse> fanOut, Function<Event, ContainerEventResponse> render,
      RuntimeMetrics metrics) {
    this.fanOut = fanOut;
    this.render = render;
    this.metrics = metrics;
    this.dispatcher = Thread.ofPlatform().name("kona-container-events").daemon().start(this::dispatch);
  }

  @Override
  public void created(ContainerRecord container) {
    stopReported.remove(container.id());
    enqueue(ContainerEventType.CONTAINER_CREATED_EVENT, container);
  }

  @Override
  public void started(ContainerRecord container) {
    enqueue(ContainerEventType.CONTAINER_STARTED_EVENT, container);
  }

  @Override
  public void stopped(ContainerRecord container) {
    if (stopReported.add(container.id())) {
      enqueue(ContainerEventType.CONTAINER_STOPPED_EVENT, container);
    }
  }

  @Override
  public void deleted(ContainerRecord container) {
    stopReported.remove(container.id());
    enqueue(ContainerEventType.CONTAINER_DELETED_EVENT, container);
  }

  /** A pod sandbox's change, seen by the {@link ExitWatcher}; not counted in the container meters. */
  void sandbox(ContainerEventType type, SandboxRecord sandbox) {
    offer(new Event(type, sandbox.id(), sandbox.id(), null, sandbox, nowNanos()));
  }

  /** Records a stop that happened before this daemon started, so it is not reported as new. */
  void alreadyStopped(String containerId) {
    stopReported.add(containerId);
  }

  /** Forgets stop reports of containers that no longer exist. */
  void retainOnly(Set<String> ids) {
    stopReported.retainAll(ids);
  }

  EventFanOut<ContainerEventResponse> fanOut() {
    return fanOut;
  }

  private void enqueue(ContainerEventType type, ContainerRecord container) {
    metrics.event(type);
    offer(new Event(type, container.id(), container.sandboxId(), container, null, nowNanos()));
  }

  private void offer(Event e) {
    if (!pending.offer(e)) {
      metrics.eventDropped();
      LOG.warn("container events: dispatcher {} events behind, dropped {} of {}", PENDING_LIMIT, e.type(), e.id());
    }
  }

  private void dispatch() {
    while (true) {
      Event e;
      try {
        e = pending.take();
      } catch (InterruptedException stop) {
        return;
      }
      if (!fanOut.hasSubscribers()) {
        continue;
      }
      try {
        fanOut.publish(render.apply(e));
      } catch (RuntimeException failure) {
        LOG.warn("container events: render {} of {}: {}", e.type(), e.id(), failure.toString());
      }
    }
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public void close() {
    dispatcher.interrupt();
  }
}
