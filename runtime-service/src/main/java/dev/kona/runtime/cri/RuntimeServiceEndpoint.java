package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.AttachRequest;
import dev.kona.cri.api.v1.UpdateContainerResourcesRequest;
import dev.kona.cri.api.v1.UpdateContainerResourcesResponse;
import dev.kona.cri.api.v1.AttachResponse;
import dev.kona.cri.api.v1.ExecRequest;
import dev.kona.cri.api.v1.ExecResponse;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ExecSyncResponse;
import dev.kona.cri.api.v1.PortForwardRequest;
import dev.kona.cri.api.v1.PortForwardResponse;
import dev.kona.cri.api.v1.ReopenContainerLogRequest;
import dev.kona.cri.api.v1.ReopenContainerLogResponse;
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
import dev.kona.cri.api.v1.ContainerStatusRequest;
import dev.kona.cri.api.v1.ContainerStatusResponse;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.CreateContainerResponse;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.ListContainersResponse;
import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.RemoveContainerResponse;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StartContainerResponse;
import dev.kona.cri.api.v1.StopContainerRequest;
import dev.kona.cri.api.v1.StopContainerResponse;
import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.ListPodSandboxResponse;
import dev.kona.cri.api.v1.PodSandboxStatusRequest;
import dev.kona.cri.api.v1.PodSandboxStatusResponse;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RemovePodSandboxResponse;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxResponse;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import dev.kona.cri.api.v1.StopPodSandboxResponse;
import dev.kona.cri.api.v1.RuntimeConfigRequest;
import dev.kona.cri.api.v1.RuntimeConfigResponse;
import dev.kona.cri.api.v1.RuntimeServiceGrpc;
import dev.kona.cri.api.v1.StatusRequest;
import dev.kona.cri.api.v1.StatusResponse;
import dev.kona.cri.api.v1.UpdateRuntimeConfigRequest;
import dev.kona.cri.api.v1.UpdateRuntimeConfigResponse;
import dev.kona.cri.api.v1.VersionRequest;
import dev.kona.cri.api.v1.VersionResponse;
import dev.kona.cri.api.v1.StreamContainerStatsRequest;
import dev.kona.cri.api.v1.StreamContainerStatsResponse;
import dev.kona.cri.api.v1.StreamContainersRequest;
import dev.kona.cri.api.v1.StreamContainersResponse;
import dev.kona.cri.api.v1.StreamPodSandboxMetricsRequest;
import dev.kona.cri.api.v1.StreamPodSandboxMetricsResponse;
import dev.kona.cri.api.v1.StreamPodSandboxStatsRequest;
import dev.kona.cri.api.v1.StreamPodSandboxStatsResponse;
import dev.kona.cri.api.v1.StreamPodSandboxesRequest;
import dev.kona.cri.api.v1.StreamPodSandboxesResponse;
import dev.kona.cri.api.v1.UpdatePodSandboxResourcesRequest;
import dev.kona.cri.api.v1.UpdatePodSandboxResourcesResponse;
import dev.kona.runtime.CgroupDriver;
import dev.kona.runtime.NetworkReadiness;
import dev.kona.runtime.RuntimeHandlers;
import dev.kona.runtime.RuntimeInfo;
import dev.kona.runtime.container.Containers;
import dev.kona.runtime.observe.Observability;
import dev.kona.runtime.stream.StreamUrls;
import dev.kona.runtime.sandbox.Sandboxes;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The CRI RuntimeService. Each RPC is one class; this endpoint only routes. Exceptions propagate to
 * the daemon's interceptor, which maps them to status codes. RPCs not overridden answer
 * UNIMPLEMENTED with the method's name.
 */
public final class RuntimeServiceEndpoint extends RuntimeServiceGrpc.RuntimeServiceImplBase {

  private final Version version;
  private final Status status;
  private final RuntimeConfig runtimeConfig;
  private final UpdateRuntimeConfig updateRuntimeConfig;
  private final RunPodSandbox runPodSandbox;
  private final StopPodSandbox stopPodSandbox;
  private final RemovePodSandbox removePodSandbox;
  private final PodSandboxStatus podSandboxStatus;
  private final ListPodSandbox listPodSandbox;
  private final CreateContainer createContainer;
  private final StartContainer startContainer;
  private final StopContainer stopContainer;
  private final RemoveContainer removeContainer;
  private final ContainerStatus containerStatus;
  private final ListContainers listContainers;
  private final Observability observability;
  private final ExecSync execSync;
  private final UpdateContainerResources updateContainerResources;
  private final ReopenContainerLog reopenContainerLog;
  private final StreamingCalls streaming;
  private final ListAnswers listAnswers;
  private final UpdatePodSandboxResources updatePodSandboxResources;
  private final StreamedLists streamed;

  public RuntimeServiceEndpoint(
      RuntimeInfo info,
      CgroupDriver cgroupDriver,
      NetworkReadiness network,
      Supplier<Map<String, String>> verboseInfo,
      Sandboxes sandboxes,
      Containers containers,
      Observability observability,
      StreamUrls streamUrls,
      RuntimeHandlers handlers,
      int maxMessageBytes) {
    this.observability = observability;
    this.listAnswers = new ListAnswers(maxMessageBytes);
    this.streamed = new StreamedLists(maxMessageBytes);
    this.execSync = new ExecSync(containers);
    this.updateContainerResources = new UpdateContainerResources(containers);
    this.reopenContainerLog = new ReopenContainerLog(containers);
    this.streaming = new StreamingCalls(containers, sandboxes, streamUrls);
    PodCidr podCidr = new PodCidr();
    this.createContainer = new CreateContainer(containers);
    this.startContainer = new StartContainer(containers);
    this.stopContainer = new StopContainer(containers);
    this.removeContainer = new RemoveContainer(containers);
    this.containerStatus = new ContainerStatus(containers);
    this.listContainers = new ListContainers(containers);
    this.runPodSandbox = new RunPodSandbox(sandboxes, handlers);
    this.stopPodSandbox = new StopPodSandbox(sandboxes);
    this.removePodSandbox = new RemovePodSandbox(sandboxes);
    this.podSandboxStatus = new PodSandboxStatus(sandboxes);
    this.updatePodSandboxResources = new UpdatePodSandboxResources(sandboxes);
    this.listPodSandbox = new ListPodSandbox(sandboxes);
    this.version = new Version(info);
    this.status = new Status(network, verboseInfo, podCidr, handlers);
    this.runtimeConfig = new RuntimeConfig(cgroupDriver);
    this.updateRuntimeConfig = new UpdateRuntimeConfig(podCidr);
  }

  @Override
  public void version(VersionRequest request, StreamObserver<VersionResponse> response) {
    unary(request, response, version::handle);
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> response) {
    unary(request, response, status::handle);
  }

  @Override
  public void runtimeConfig(RuntimeConfigRequest request, StreamObserver<RuntimeConfigResponse> response) {
    unary(request, response, runtimeConfig::handle);
  }

  @Override
  public void updateRuntimeConfig(
      UpdateRuntimeConfigRequest request, StreamObserver<UpdateRuntimeConfigResponse> response) {
    unary(request, response, updateRuntimeConfig::handle);
  }

  @Override
  public void runPodSandbox(RunPodSandboxRequest request, StreamObserver<RunPodSandboxResponse> response) {
    unary(request, response, runPodSandbox::handle);
  }

  @Override
  public void stopPodSandbox(StopPodSandboxRequest request, StreamObserver<StopPodSandboxResponse> response) {
    unary(request, response, stopPodSandbox::handle);
  }

  @Override
  public void removePodSandbox(RemovePodSandboxRequest request, StreamObserver<RemovePodSandboxResponse> response) {
    unary(request, response, removePodSandbox::handle);
  }

  @Override
  public void podSandboxStatus(PodSandboxStatusRequest request, StreamObserver<PodSandboxStatusResponse> response) {
    unary(request, response, podSandboxStatus::handle);
  }

  @Override
  public void listPodSandbox(ListPodSandboxRequest request, StreamObserver<ListPodSandboxResponse> response) {
    unary(request, response, r -> listAnswers.sandboxes(listPodSandbox.handle(r)));
  }

  @Override
  public void createContainer(CreateContainerRequest request, StreamObserver<CreateContainerResponse> response) {
    unary(request, response, createContainer::handle);
  }

  @Override
  public void startContainer(StartContainerRequest request, StreamObserver<StartContainerResponse> response) {
    unary(request, response, startContainer::handle);
  }

  @Override
  public void stopContainer(StopContainerRequest request, StreamObserver<StopContainerResponse> response) {
    unary(request, response, stopContainer::handle);
  }

  @Override
  public void removeContainer(RemoveContainerRequest request, StreamObserver<RemoveContainerResponse> response) {
    unary(request, response, removeContainer::handle);
  }

  @Override
  public void containerStatus(ContainerStatusRequest request, StreamObserver<ContainerStatusResponse> response) {
    unary(request, response, containerStatus::handle);
  }

  @Override
  public void listContainers(ListContainersRequest request, StreamObserver<ListContainersResponse> response) {
    unary(request, response, r -> listAnswers.containers(listContainers.handle(r)));
  }

  @Override
  public void containerStats(ContainerStatsRequest request, StreamObserver<ContainerStatsResponse> response) {
    unary(request, response, observability::containerStats);
  }

  @Override
  public void listContainerStats(
      ListContainerStatsRequest request, StreamObserver<ListContainerStatsResponse> response) {
    unary(request, response, r -> listAnswers.containerStats(observability.listContainerStats(r)));
  }

  @Override
  public void podSandboxStats(PodSandboxStatsRequest request, StreamObserver<PodSandboxStatsResponse> response) {
    unary(request, response, observability::podSandboxStats);
  }

  @Override
  public void listPodSandboxStats(
      ListPodSandboxStatsRequest request, StreamObserver<ListPodSandboxStatsResponse> response) {
    unary(request, response, r -> listAnswers.podSandboxStats(observability.listPodSandboxStats(r)));
  }

  @Override
  public void listMetricDescriptors(
      ListMetricDescriptorsRequest request, StreamObserver<ListMetricDescriptorsResponse> response) {
    unary(request, response, observability::listMetricDescriptors);
  }

  @Override
  public void listPodSandboxMetrics(
      ListPodSandboxMetricsRequest request, StreamObserver<ListPodSandboxMetricsResponse> response) {
    unary(request, response, observability::listPodSandboxMetrics);
  }

  @Override
  public void streamPodSandboxes(StreamPodSandboxesRequest request, StreamObserver<StreamPodSandboxesResponse> response) {
    ListPodSandboxRequest list = request.hasFilter()
        ? ListPodSandboxRequest.newBuilder().setFilter(request.getFilter()).build()
        : ListPodSandboxRequest.getDefaultInstance();
    streamed.send(listPodSandbox.handle(list).getItemsList(),
        b -> StreamPodSandboxesResponse.newBuilder().addAllPodSandboxes(b).build(), response);
  }

  @Override
  public void streamContainers(StreamContainersRequest request, StreamObserver<StreamContainersResponse> response) {
    ListContainersRequest list = request.hasFilter()
        ? ListContainersRequest.newBuilder().setFilter(request.getFilter()).build()
        : ListContainersRequest.getDefaultInstance();
    streamed.send(listContainers.handle(list).getContainersList(),
        b -> StreamContainersResponse.newBuilder().addAllContainers(b).build(), response);
  }

  @Override
  public void streamContainerStats(
      StreamContainerStatsRequest request, StreamObserver<StreamContainerStatsResponse> response) {
    ListContainerStatsRequest list = request.hasFilter()
        ? ListContainerStatsRequest.newBuilder().setFilter(request.getFilter()).build()
        : ListContainerStatsRequest.getDefaultInstance();
    streamed.send(observability.listContainerStats(list).getStatsList(),
        b -> StreamContainerStatsResponse.newBuilder().addAllContainerStats(b).build(), response);
  }

  @Override
  public void streamPodSandboxStats(
      StreamPodSandboxStatsRequest request, StreamObserver<StreamPodSandboxStatsResponse> response) {
    ListPodSandboxStatsRequest list = request.hasFilter()
        ? ListPodSandboxStatsRequest.newBuilder().setFilter(request.getFilter()).build()
        : ListPodSandboxStatsRequest.getDefaultInstance();
    streamed.send(observability.listPodSandboxStats(list).getStatsList(),
        b -> StreamPodSandboxStatsResponse.newBuilder().addAllPodSandboxStats(b).build(), response);
  }

  @Override
  public void streamPodSandboxMetrics(
      StreamPodSandboxMetricsRequest request, StreamObserver<StreamPodSandboxMetricsResponse> response) {
    streamed.send(observability.listPodSandboxMetrics(ListPodSandboxMetricsRequest.getDefaultInstance())
            .getPodMetricsList(),
        b -> StreamPodSandboxMetricsResponse.newBuilder().addAllPodSandboxMetrics(b).build(), response);
  }

  @Override
  public void updatePodSandboxResources(
      UpdatePodSandboxResourcesRequest request, StreamObserver<UpdatePodSandboxResourcesResponse> response) {
    unary(request, response, updatePodSandboxResources::handle);
  }

  @Override
  public void getContainerEvents(GetEventsRequest request, StreamObserver<ContainerEventResponse> response) {
    observability.getContainerEvents(request, response);
  }

  @Override
  public void updateContainerResources(
      UpdateContainerResourcesRequest request, StreamObserver<UpdateContainerResourcesResponse> response) {
    unary(request, response, updateContainerResources::handle);
  }

  @Override
  public void execSync(ExecSyncRequest request, StreamObserver<ExecSyncResponse> response) {
    unary(request, response, execSync::handle);
  }

  @Override
  public void reopenContainerLog(
      ReopenContainerLogRequest request, StreamObserver<ReopenContainerLogResponse> response) {
    unary(request, response, reopenContainerLog::handle);
  }

  @Override
  public void exec(ExecRequest request, StreamObserver<ExecResponse> response) {
    unary(request, response, streaming::exec);
  }

  @Override
  public void attach(AttachRequest request, StreamObserver<AttachResponse> response) {
    unary(request, response, streaming::attach);
  }

  @Override
  public void portForward(PortForwardRequest request, StreamObserver<PortForwardResponse> response) {
    unary(request, response, streaming::portForward);
  }

  private static <Q, R> void unary(Q request, StreamObserver<R> response, Function<Q, R> handler) {
    response.onNext(handler.apply(request));
    response.onCompleted();
  }
}
