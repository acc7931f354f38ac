package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.ContainerEventResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * GetContainerEvents: subscribes the stream to the event fan-out. The stream stays open until the
 * client leaves, the daemon stops, or the client stops reading long enough to be dropped.
 */
final class GetContainerEvents {

  private final EventFanOut<ContainerEventResponse> fanOut;

  GetContainerEvents(EventFanOut<ContainerEventResponse> fanOut) {
    this.fanOut = fanOut;
  }

  void handle(StreamObserver<ContainerEventResponse> observer) {
    fanOut.subscribe(new GrpcSink((ServerCallStreamObserver<ContainerEventResponse>) observer));
  }

  /** The gRPC server stream as an {@link EventSink}; its handlers are set once, here. */
  private static final class GrpcSink implements EventSink<ContainerEventResponse> {
    private final ServerCallStreamObserver<ContainerEventResponse> stream;
    private final List<Runnable> cancelHandlers = new CopyOnWriteArrayList<>();

    GrpcSink(ServerCallStreamObserver<ContainerEventResponse> stream) {
      this.stream = stream;
      stream.setOnCancelHandler(() -> cancelHandlers.forEach(Runnable::run));
    }

    @Override
    public boolean isReady() {
      return stream.isReady() && !stream.isCancelled();
    }

    @Override
    public void send(ContainerEventResponse event) {
      stream.onNext(event);
    }

    @Override
    public void fail(RuntimeException error) {
      if (!stream.isCancelled()) {
        stream.onError(error);
      }
    }

    @Override
    public void onReady(Runnable handler) {
      stream.setOnReadyHandler(handler);
    }

    @Override
    public void onCancel(Runnable handler) {
      cancelHandlers.add(handler);
    }
  }
}
