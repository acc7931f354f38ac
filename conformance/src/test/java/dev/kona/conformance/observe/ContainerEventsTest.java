package dev.kona.conformance.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.cri.api.v1.ContainerEventResponse;
import dev.kona.cri.api.v1.ContainerEventType;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.ContainerStatus;
import dev.kona.cri.api.v1.GetEventsRequest;
import dev.kona.cri.api.v1.PodSandboxState;
import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.RuntimeServiceGrpc;
import dev.kona.cri.api.v1.StopContainerRequest;
import dev.kona.image.testing.LocalRegistry;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GetContainerEvents as the kubelet's evented PLEG reads it: two subscribers see the exact event
 * sequence of a pod's life, including an exit the container made on its own, each event carrying
 * the pod's status and its containers' statuses.
 */
class ContainerEventsTest {

  static LocalRegistry registry;
  static String image;

  @TempDir Path root;
  ObservedPod pod;

  @BeforeAll
  static void registry() throws Exception {
    registry = LocalRegistry.anonymous().open();
    image = ObservedPod.pushBusybox(registry);
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @BeforeEach
  void start() throws Exception {
    pod = ObservedPod.start(root, registry, image, "events");
  }

  @AfterEach
  void stop() throws Exception {
    pod.close();
  }

  /** A subscriber that records every event, and whether its stream ended. */
  static final class Recorder implements StreamObserver<ContainerEventResponse> {
    final List<ContainerEventResponse> events = new CopyOnWriteArrayList<>();
    volatile Throwable error;

    @Override
    public void onNext(ContainerEventResponse e) {
      events.add(e);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {}

    List<String> sequence() {
      return events.stream().map(e -> e.getContainerEventType() + " " + e.getContainerId()).toList();
    }
  }

  private Context.CancellableContext subscribe(Recorder recorder) {
    Context.CancellableContext context = Context.current().withCancellation();
    context.run(() -> RuntimeServiceGrpc.newStub(pod.kona.channel())
        .getContainerEvents(GetEventsRequest.getDefaultInstance(), recorder));
    return context;
  }

  private void awaitEvents(Recorder r, int n) throws InterruptedException {
    ObservedPod.await(n + " events, have " + r.sequence(), () -> r.events.size() >= n);
  }

  @Test
  void getContainerEvents_twoSubscribersSeeAPodsLifeInOrder() throws Exception {
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    try (Context.CancellableContext a = subscribe(first); Context.CancellableContext b = subscribe(second)) {
      PrometheusScrape.awaitSample(pod.kona.metricsPort(), "kona_container_event_subscribers", 2.0);

      String exits = pod.run("exits", 0, "sleep 1; exit 3");
      pod.awaitExit(exits);
      awaitEvents(first, 3); // the exit is seen by the watcher, not by a CRI call

      String stopped = pod.run("stopped", 0, "trap 'exit 0' TERM; while :; do sleep 0.1; done");
      Thread.sleep(300); // let the shell install its trap
      pod.kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(stopped).setTimeout(10).build());
      pod.kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(exits).build());
      pod.kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(stopped).build());
      awaitEvents(first, 8);
      awaitEvents(second, 8);
      Thread.sleep(1_500); // a second watcher pass must not report either stop again

      List<String> expected = List.of(
          "CONTAINER_CREATED_EVENT " + exits,
          "CONTAINER_STARTED_EVENT " + exits,
          "CONTAINER_STOPPED_EVENT " + exits,
          "CONTAINER_CREATED_EVENT " + stopped,
          "CONTAINER_STARTED_EVENT " + stopped,
          "CONTAINER_STOPPED_EVENT " + stopped,
          "CONTAINER_DELETED_EVENT " + exits,
          "CONTAINER_DELETED_EVENT " + stopped);
      assertEquals(expected, first.sequence());
      assertEquals(expected, second.sequence());

      long previous = 0;
      for (ContainerEventResponse e : first.events) {
        assertEquals(pod.pod, e.getPodSandboxStatus().getId(), "every event names its pod");
        assertEquals(PodSandboxState.SANDBOX_READY, e.getPodSandboxStatus().getState());
        assertEquals("events", e.getPodSandboxStatus().getMetadata().getName());
        assertTrue(e.getCreatedAt() >= previous, "events in time order");
        previous = e.getCreatedAt();
      }
      ContainerStatus exited = status(first.events.get(2), exits);
      assertEquals(ContainerState.CONTAINER_EXITED, exited.getState());
      assertEquals(3, exited.getExitCode(), "the stop event carries the exit code");
      ContainerStatus stoppedStatus = status(first.events.get(5), stopped);
      assertEquals(ContainerState.CONTAINER_EXITED, stoppedStatus.getState());
      assertEquals(0, stoppedStatus.getExitCode(), "the TERM trap exited 0");
      assertEquals(2, first.events.get(5).getContainersStatusesCount(), "statuses of all the pod's containers");
      assertFalse(first.events.get(6).getContainersStatusesList().stream().anyMatch(s -> s.getId().equals(exits)),
          "a deleted container is no longer among the statuses");
      assertEquals(0, first.events.get(7).getContainersStatusesCount());

      a.cancel(null);
      PrometheusScrape.awaitSample(pod.kona.metricsPort(), "kona_container_event_subscribers", 1.0);
      String late = pod.create("late", 0, "true");
      awaitEvents(second, 9);
      assertEquals("CONTAINER_CREATED_EVENT " + late, second.sequence().get(8));
      assertEquals(8, first.events.size(), "a cancelled subscriber gets nothing more");
    }
    assertEquals(null, second.error);
  }

  private static ContainerStatus status(ContainerEventResponse e, String id) {
    return ObservedPod.find(e.getContainersStatusesList(), s -> s.getId().equals(id), "status of " + id);
  }
}
