package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.ContainerEventResponse;
import dev.kona.cri.api.v1.ContainerStatsRequest;
import dev.kona.cri.api.v1.ContainerStatsResponse;
import dev.kona.cri.api.v1.GetEventsRequest;
import dev.kona.cri.api.v1.ListContainerStatsRequest;
import dev.kona.cri.api.v1.ListContainerStatsResponse;
import dev.kona.cri.api.v1.ListMetricDescriptorsRequest;
import dev.kona.cri.api.v1.ListMetricDescriptorsResponse;
import dev.kona.cri.api.v1.ListPodSandboxMetricsRequest;
import dev.kona.cri.api.v1.ListPodSandboxMetricsResponse;
import dev.kona.cri.api.v1.ListPodSandboxStatsRequest;
import dev.kona.cri.api.v1.ListPodSandboxStatsResponse;
import dev.kona.cri.api.v1.PodSandboxStatsRequest;
import dev.kona.cri.api.v1.PodSandboxStatsResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * Stats, CRI metrics and container events: what the kubelet's stats provider, metrics-server and
 * the evented PLEG read. The RuntimeService endpoint routes those RPCs here.
 */
public class Observability {

  public ContainerStatsResponse containerStats(ContainerStatsRequest request) {
    throw unimplemented("ContainerStats");
  }

  public ListContainerStatsResponse listContainerStats(ListContainerStatsRequest request) {
    throw unimplemented("ListContainerStats");
  }

  public PodSandboxStatsResponse podSandboxStats(PodSandboxStatsRequest request) {
    throw unimplemented("PodSandboxStats");
  }

  public ListPodSandboxStatsResponse listPodSandboxStats(ListPodSandboxStatsRequest request) {
    throw unimplemented("ListPodSandboxStats");
  }

  public ListMetricDescriptorsResponse listMetricDescriptors(ListMetricDescriptorsRequest request) {
    throw unimplemented("ListMetricDescriptors");
  }

  public ListPodSandboxMetricsResponse listPodSandboxMetrics(ListPodSandboxMetricsRequest request) {
    throw unimplemented("ListPodSandboxMetrics");
  }

  /** A server stream that stays open until the client leaves or the daemon stops. */
  public void getContainerEvents(GetEventsRequest request, StreamObserver<ContainerEventResponse> events) {
    throw unimplemented("GetContainerEvents");
  }

  private static RuntimeException unimplemented(String rpc) {
    return Status.UNIMPLEMENTED.withDescription("runtime.v1.RuntimeService/" + rpc + " is not implemented yet")
        .asRuntimeException();
  }
}
