package dev.kona.runtime.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.cri.api.v1.ContainerEventResponse;
import dev.kona.cri.api.v1.ContainerEventType;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.sandbox.SandboxState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContainerEventHubTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EventFanOut<ContainerEventResponse> fanOut = new EventFanOut<>(16);
  private final AtomicInteger renders = new AtomicInteger();
  private final ContainerEventHub hub = new ContainerEventHub(fanOut, e -> {
    renders.incrementAndGet();
    return ContainerEventResponse.newBuilder().setContainerId(e.id()).setContainerEventType(e.type())
        .setCreatedAt(e.atNanos()).build();
  }, new RuntimeMetrics(registry, fanOut::subscriberCount, fanOut::droppedCount));

  @AfterEach
  void close() {
    hub.close();
  }

  /** A subscriber whose stream is always ready, recording "TYPE id". */
  private static final class Sink implements EventSink<ContainerEventResponse> {
    final List<String> got = new CopyOnWriteArrayList<>();

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void send(ContainerEventResponse e) {
      got.add(e.getContainerEventType().name().replace("CONTAINER_", "").replace("_EVENT", "") + " " + e.getContainerId());
    }

    @Override
    public void fail(RuntimeException error) {
      got.add("FAILED");
    }

    @Override
    public void onReady(Runnable handler) {}

    @Override
    public void onCancel(Runnable handler) {}
  }

  private static void await(Sink sink, int n) throws InterruptedException {
    for (int i = 0; i < 500 && sink.got.size() < n; i++) {
      Thread.sleep(10);
    }
    Thread.sleep(50); // and nothing more arrives
  }

  @Test
  void lifecycle_stopReportedOnce_inOrder_toEverySubscriber_renderedOnce() throws Exception {
    Sink a = new Sink();
    Sink b = new Sink();
    fanOut.subscribe(a);
    fanOut.subscribe(b);
    ContainerRecord c = ContainerCgroupsTest.container("c1", Path.of("/nonexistent"));

    hub.created(c);
    hub.started(c);
    hub.stopped(c); // the exit watcher saw it exit
    hub.stopped(c); // then StopContainer reports the same stop
    hub.deleted(c);
    hub.sandbox(ContainerEventType.CONTAINER_DELETED_EVENT, SandboxTransitionsTest.pod("p1", SandboxState.NOTREADY));
    await(a, 5);
    await(b, 5);

    List<String> expected = List.of("CREATED c1", "STARTED c1", "STOPPED c1", "DELETED c1", "DELETED p1");
    assertEquals(expected, a.got);
    assertEquals(expected, b.got);
    assertEquals(5, renders.get(), "each event rendered once for all subscribers");
    assertEquals(1.0, registry.get("kona.container.events").tag("type", "stopped").counter().count());
    assertEquals(1.0, registry.get("kona.container.events").tag("type", "deleted").counter().count(),
        "sandbox events are not container events");
    assertEquals(2.0, registry.get("kona.container.event.subscribers").gauge().value());
  }

  @Test
  void alreadyStopped_beforeTheDaemonStarted_isNotReported() throws Exception {
    Sink a = new Sink();
    fanOut.subscribe(a);
    ContainerRecord c = ContainerCgroupsTest.container("old", Path.of("/nonexistent"));
    hub.alreadyStopped("old");
    hub.stopped(c);
    hub.deleted(c);
    await(a, 1);
    assertEquals(List.of("DELETED old"), a.got);
  }

  @Test
  void noSubscribers_nothingRendered() throws Exception {
    ContainerRecord c = ContainerCgroupsTest.container("c2", Path.of("/nonexistent"));
    hub.created(c);
    Thread.sleep(100);
    assertEquals(0, renders.get());
    assertEquals(1.0, registry.get("kona.container.events").tag("type", "created").counter().count());
  }
}
