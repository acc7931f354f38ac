package dev.kona.server.streaming.spdy;

import dev.kona.server.streaming.StreamingRuntime;
import dev.kona.server.streaming.io.ConnectionFlow;
import dev.kona.server.streaming.portforward.ForwardLink;
import dev.kona.server.streaming.portforward.PortForward;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Port-forward over SPDY ({@code portforward.k8s.io}): for each forwarded connection the client
 * opens an error and a data stream with the same {@code requestID} and a {@code port} header;
 * once both exist the port is dialled. Clients without requestID are paired by stream id (error
 * = n, data = n + 2), as kubelet does. Any number of connections run at once.
 */
public final class SpdyPortForward implements SpdyStreamHandler {

  private final StreamingRuntime runtime;
  private final String sandboxId;
  private final ConnectionFlow flow;
  private final Duration creationTimeout;
  private final Map<String, Pair> pending = new HashMap<>(); // event loop only
  private final Set<PortForward> active = ConcurrentHashMap.newKeySet();

  public SpdyPortForward(
      StreamingRuntime runtime, String sandboxId, ConnectionFlow flow, Duration creationTimeout) {
    this.runtime = runtime;
    this.sandboxId = sandboxId;
    this.flow = flow;
    this.creationTimeout = creationTimeout;
  }

  private final class Pair implements ForwardLink {
    final String requestId;
    final PortForward forward;
    SpdyStream error;
    SpdyStream data;

    Pair(String requestId, int port) {
      this.requestId = requestId;
      this.forward = new PortForward(runtime, sandboxId, port, flow, this);
    }

    @Override
    public void sendData(ByteBuf chunk) {
      data.write(chunk);
    }

    @Override
    public void endData() {
      data.finish();
    }

    @Override
    public void sendError(String message) {
      error.finish(Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
    }

    @Override
    public void closed(boolean failed) {
      active.remove(forward);
      if (failed) {
        data.reset();
      }
      data.finish();
      error.finish();
    }
  }

  @Override
  public SpdyStream.Listener opened(SpdyStream stream) {
    int port = parsePort(stream.header("port"));
    String type = stream.header("streamType");
    boolean isError = "error".equals(type);
    if (port < 0 || !(isError || "data".equals(type))) {
      return null;
    }
    String requestId = stream.header("requestID");
    if (requestId == null || requestId.isEmpty()) {
      requestId = Integer.toString(isError ? stream.id() : stream.id() - 2);
    }
    Pair pair = pending.get(requestId);
    if (pair == null) {
      pair = new Pair(requestId, port);
      pending.put(requestId, pair);
      armTimeout(pair);
    }
    if (isError ? pair.error != null : pair.data != null) {
      return null;
    }
    SpdyStream.Listener listener;
    if (isError) {
      pair.error = stream;
      listener = new Discard();
    } else {
      pair.data = stream;
      listener = new Upload(pair.forward);
    }
    if (pair.error != null && pair.data != null) {
      pending.remove(requestId);
      active.add(pair.forward);
      pair.forward.start();
    }
    return listener;
  }

  private void armTimeout(Pair pair) {
    flow.channel()
        .eventLoop()
        .schedule(
            () -> {
              if (pending.remove(pair.requestId, pair)) {
                pair.forward.disconnect();
                if (pair.error != null) {
                  pair.error.finish(
                      Unpooled.copiedBuffer(
                          "timed out waiting for the data stream of request " + pair.requestId,
                          StandardCharsets.UTF_8));
                }
                if (pair.data != null) {
                  pair.data.reset();
                }
              }
            },
            creationTimeout.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private static int parsePort(String value) {
    try {
      int port = Integer.parseInt(value);
      return port >= 1 && port <= 65535 ? port : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void disconnected() {
    for (Pair pair : pending.values()) {
      pair.forward.disconnect();
    }
    pending.clear();
    for (PortForward forward : active) {
      forward.disconnect();
    }
  }

  private record Upload(PortForward forward) implements SpdyStream.Listener {
    @Override
    public void data(ByteBuf data) {
      forward.upload().offer(data);
    }

    @Override
    public void end() {
      forward.upload().end();
    }
  }

  private static final class Discard implements SpdyStream.Listener {
    @Override
    public void data(ByteBuf data) {
      data.release();
    }

    @Override
    public void end() {}
  }
}
