package dev.kona.conformance.bench;

import dev.kona.cri.api.v1.ImageServiceGrpc;
import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RuntimeServiceGrpc;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A CRI runtime under measurement, reached over its unix socket exactly as the kubelet reaches it.
 * The benchmarks only speak CRI, so the same code measures Kona and containerd.
 */
abstract class CriTarget implements AutoCloseable {

  private final String name;
  private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final ManagedChannel channel;

  CriTarget(String name, Path socket) {
    this.name = name;
    this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
        .eventLoopGroup(loop)
        .channelType(EpollDomainSocketChannel.class)
        .usePlaintext()
        .maxInboundMessageSize(16 * 1024 * 1024)
        .build();
  }

  final String name() {
    return name;
  }

  final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
    return RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS);
  }

  final ImageServiceGrpc.ImageServiceBlockingStub images() {
    return ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(300, TimeUnit.SECONDS);
  }

  /** The daemon's process id, for its CPU time. */
  abstract long daemonPid();

  /** The daemon's own resident memory. */
  abstract long daemonRss() throws IOException;

  /** Resident memory of the helpers beside the pods (monitors, shims, pause or init), without workloads. */
  abstract long helperRss(String workloadCommand) throws IOException;

  /** Stops and removes every pod left by a benchmark, so each starts from an empty node. */
  final void removeAllPods() {
    for (var pod : runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList()) {
      try {
        runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(pod.getId()).build());
      } catch (StatusRuntimeException e) {
        System.err.println(name + ": stop " + pod.getId() + ": " + e.getStatus());
      }
      runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(pod.getId()).build());
    }
  }

  /** Stops the runtime (after removing its pods) and deletes what it kept on disk. */
  abstract void shutDown() throws Exception;

  @Override
  public final void close() throws Exception {
    try {
      removeAllPods();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      shutDown();
    }
  }
}
