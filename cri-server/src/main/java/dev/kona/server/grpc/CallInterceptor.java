package dev.kona.server.grpc;

import dev.kona.metrics.GrpcMetrics;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps every CRI call: maps whatever a handler throws (or passes to {@code onError}) to a status
 * through {@link ErrorMapper}, records the per-RPC meters, and logs the call once — debug for the
 * reads the kubelet makes every second, info for calls that change something, warn/error on failure.
 */
public final class CallInterceptor implements ServerInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(CallInterceptor.class);

  private final GrpcMetrics metrics;

  public CallInterceptor(GrpcMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    ObservedCall<Q, R> observed = new ObservedCall<>(call, method, metrics.started());
    ServerCall.Listener<Q> delegate;
    try {
      delegate = next.startCall(observed, headers);
    } catch (RuntimeException e) {
      observed.fail(e);
      return new ServerCall.Listener<>() {};
    }
    return new GuardedListener<>(delegate, observed);
  }

  private static boolean isRoutine(String method) {
    String rpc = method.substring(method.lastIndexOf('/') + 1);
    return rpc.startsWith("List")
        || rpc.endsWith("Status")
        || rpc.endsWith("Stats")
        || rpc.equals("Version")
        || rpc.equals("ImageFsInfo")
        || rpc.equals("RuntimeConfig");
  }

  private final class ObservedCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
    private final String method;
    private final long startNanos;
    private final AtomicBoolean closed = new AtomicBoolean();

    ObservedCall(ServerCall<Q, R> call, String method, long startNanos) {
      super(call);
      this.method = method;
      this.startNanos = startNanos;
    }

    void fail(Throwable failure) {
      close(ErrorMapper.toStatus(failure, method), new Metadata());
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      if (status.getCode() == Status.Code.UNKNOWN && status.getCause() != null) {
        status = ErrorMapper.toStatus(status.getCause(), method);
      }
      metrics.finished(method, status.getCode().name(), startNanos);
      log(status);
      super.close(status, trailers);
    }

    private void log(Status status) {
      double millis = (System.nanoTime() - startNanos) / 1e6;
      if (status.isOk()) {
        if (isRoutine(method)) {
          if (LOG.isDebugEnabled()) { // the kubelet's polls: no formatting unless it is printed
            LOG.debug("{} OK in {} ms", method, String.format("%.2f", millis));
          }
        } else {
          LOG.info("{} OK in {} ms", method, String.format("%.2f", millis));
        }
      } else if (ErrorMapper.isInternal(status)) {
        LOG.error("{} {} in {} ms", method, status.getCode(), String.format("%.2f", millis), status.getCause());
      } else {
        LOG.warn("{} {}: {}", method, status.getCode(), status.getDescription());
      }
    }
  }

  /** Turns an exception thrown by a handler into a status instead of grpc-java's UNKNOWN. */
  private static final class GuardedListener<Q, R>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
    private final ObservedCall<Q, R> call;

    GuardedListener(ServerCall.Listener<Q> delegate, ObservedCall<Q, R> call) {
      super(delegate);
      this.call = call;
    }

    @Override
    public void onMessage(Q message) {
      try {
        super.onMessage(message);
      } catch (RuntimeException e) {
        call.fail(e);
      }
    }

    @Override
    public void onHalfClose() {
      try {
        super.onHalfClose();
      } catch (RuntimeException e) {
        call.fail(e);
      }
    }

    @Override
    public void onReady() {
      try {
        super.onReady();
      } catch (RuntimeException e) {
        call.fail(e);
      }
    }
  }
}
