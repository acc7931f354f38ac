package dev.kona.conformance.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.cri.api.v1.ContainerEventResponse;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.ContainerStatus;
import dev.kona.cri.api.v1.GetEventsRequest;
import dev.kona.cri.api.v1.PodSandboxState;
import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RuntimeServiceGrpc;
import dev.kona.cri.api.v1.StopContainerRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import dev.kona.conformance.fixture.BusyboxRegistry;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * GetContainerEvents as the kubelet's evented PLEG reads it: two subscribers see the exact event
 * sequence of a pod's life (the sandbox's own events under its id, as containerd sends them, and an
 * exit a container made on its own), each event carrying the pod's and its containers' statuses.
 */
class ContainerEventsTest {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  @TempDir Path root;
  ObservedPod pod;

  @BeforeEach
  void start() throws Exception {
    pod = ObservedPod.start(root, registry, "events");
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

    /** The events of one pod, in arrival order. */
    List<ContainerEventResponse> of(String podId) {
      return events.stream().filter(e -> e.getPodSandboxStatus().getId().equals(podId)).toList();
    }
  }

  private Context.CancellableContext subscribe(Recorder recorder) {
    Context.CancellableContext context = Context.current().withCancellation();
    context.run(() -> RuntimeServiceGrpc.newStub(pod.kona.channel())
        .getContainerEvents(GetEventsRequest.getDefaultInstance(), recorder));
    return context;
  }

  private static List<String> sequence(List<ContainerEventResponse> events) {
    return events.stream().map(e -> e.getContainerEventType() + " " + e.getContainerId()).toList();
  }

  private static void awaitEvents(Recorder r, String podId, int n) throws InterruptedException {
    ObservedPod.await(n + " events of " + podId, () -> r.of(podId).size() >= n);
  }

  @Test
  void getContainerEvents_twoSubscribersSeeAPodsLifeInOrder() throws Exception {
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    try (Context.CancellableContext a = subscribe(first); Context.CancellableContext b = subscribe(second)) {
      PrometheusScrape.awaitSample(pod.kona.metricsPort(), "kona_container_event_subscribers", 2.0);

      // A pod's whole life, after both subscribed. Sandbox events come from the once-a-second
      // watcher, so each is awaited before the next step to keep the order exact.
      ObservedPod life = pod.another("life");
      awaitEvents(first, life.pod, 2);
      String exits = life.run("exits", 0, "sleep 1; exit 3");
      life.awaitExit(exits);
      awaitEvents(first, life.pod, 5); // the exit is seen by the watcher, not by a CRI call

      String stopped = life.run("stopped", 0, "trap 'exit 0' TERM; while :; do sleep 0.1; done");
      Thread.sleep(300); // let the shell install its trap
      pod.kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(stopped).setTimeout(10).build());
      pod.kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(exits).build());
      pod.kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(stopped).build());
      pod.kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(life.pod).build());
      pod.kona.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(life.pod).build());
      awaitEvents(first, life.pod, 12);
      awaitEvents(second, life.pod, 12);
      Thread.sleep(1_500); // another watcher pass must not report any stop again

      List<String> expected = List.of(
          "CONTAINER_CREATED_EVENT " + life.pod,
          "CONTAINER_STARTED_EVENT " + life.pod,
          "CONTAINER_CREATED_EVENT " + exits,
          "CONTAINER_STARTED_EVENT " + exits,
          "CONTAINER_STOPPED_EVENT " + exits,
          "CONTAINER_CREATED_EVENT " + stopped,
          "CONTAINER_STARTED_EVENT " + stopped,
          "CONTAINER_STOPPED_EVENT " + stopped,
          "CONTAINER_DELETED_EVENT " + exits,
          "CONTAINER_DELETED_EVENT " + stopped,
          "CONTAINER_STOPPED_EVENT " + life.pod,
          "CONTAINER_DELETED_EVENT " + life.pod);
      List<ContainerEventResponse> events = first.of(life.pod);
      assertEquals(expected, sequence(events));
      assertEquals(expected, sequence(second.of(life.pod)));

      long previous = 0;
      for (ContainerEventResponse e : events) {
        assertEquals("life", e.getPodSandboxStatus().getMetadata().getName(), "every event carries its pod");
        assertTrue(e.getCreatedAt() >= previous, "events in time order");
        previous = e.getCreatedAt();
      }
      for (int i = 0; i < 10; i++) {
        assertEquals(PodSandboxState.SANDBOX_READY, events.get(i).getPodSandboxStatus().getState());
      }
      assertEquals(PodSandboxState.SANDBOX_NOTREADY, events.get(10).getPodSandboxStatus().getState());
      assertEquals(PodSandboxState.SANDBOX_NOTREADY, events.get(11).getPodSandboxStatus().getState());
      ContainerStatus exited = status(events.get(4), exits);
      assertEquals(ContainerState.CONTAINER_EXITED, exited.getState());
      assertEquals(3, exited.getExitCode(), "the stop event carries the exit code");
      ContainerStatus stoppedStatus = status(events.get(7), stopped);
      assertEquals(ContainerState.CONTAINER_EXITED, stoppedStatus.getState());
      assertEquals(0, stoppedStatus.getExitCode(), "the TERM trap exited 0");
      assertEquals(2, events.get(7).getContainersStatusesCount(), "statuses of all the pod's containers");
      assertFalse(events.get(8).getContainersStatusesList().stream().anyMatch(s -> s.getId().equals(exits)),
          "a deleted container is no longer among the statuses");
      assertEquals(0, events.get(9).getContainersStatusesCount());

      a.cancel(null);
      PrometheusScrape.awaitSample(pod.kona.metricsPort(), "kona_container_event_subscribers", 1.0);
      int before = first.events.size();
      int seen = second.of(pod.pod).size();
      String late = pod.create("late", 0, "true");
      awaitEvents(second, pod.pod, seen + 1);
      assertEquals("CONTAINER_CREATED_EVENT " + late, sequence(second.of(pod.pod)).getLast());
      assertEquals(before, first.events.size(), "a cancelled subscriber gets nothing more");
      assertEquals(null, second.error, "the other stream stays open");
    }
  }

  private static ContainerStatus status(ContainerEventResponse e, String id) {
    return ObservedPod.find(e.getContainersStatusesList(), s -> s.getId().equals(id), "status of " + id);
  }
}
