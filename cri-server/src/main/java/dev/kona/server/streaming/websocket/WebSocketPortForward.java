package dev.kona.server.streaming.websocket;

import dev.kona.server.streaming.StreamingRuntime;
import dev.kona.server.streaming.io.ConnectionFlow;
import dev.kona.server.streaming.portforward.ForwardLink;
import dev.kona.server.streaming.portforward.PortForward;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Port-forward over WebSocket: one connection per requested port, port i on channels 2i (data,
 * both ways) and 2i+1 (errors). Each channel's first message carries the port as a little-endian
 * uint16. The WebSocket closes when every forward has ended.
 */
public final class WebSocketPortForward extends WebSocketSession {

  private final List<PortForward> forwards = new ArrayList<>();
  private final AtomicInteger running = new AtomicInteger();

  public WebSocketPortForward(
      ConnectionFlow flow,
      ChannelFraming framing,
      Duration closeGrace,
      StreamingRuntime runtime,
      String sandboxId,
      List<Integer> ports) {
    super(flow, framing, closeGrace);
    for (int i = 0; i < ports.size(); i++) {
      forwards.add(new PortForward(runtime, sandboxId, ports.get(i), flow, new Link(i)));
    }
    running.set(forwards.size());
  }

  private final class Link implements ForwardLink {
    private final int index;

    Link(int index) {
      this.index = index;
    }

    @Override
    public void sendData(ByteBuf chunk) {
      flow.channel().writeAndFlush(framing.encode(2 * index, chunk));
    }

    @Override
    public void endData() {}

    @Override
    public void sendError(String message) {
      flow.channel()
          .writeAndFlush(
              framing.encode(2 * index + 1, Unpooled.copiedBuffer(message, StandardCharsets.UTF_8)));
    }

    @Override
    public void closed(boolean failed) {
      if (running.decrementAndGet() == 0) {
        flow.channel().eventLoop().execute(WebSocketPortForward.this::close);
      }
    }
  }

  /** Announces each port on its two channels and dials them all. Call on the event loop. */
  public void start() {
    for (int i = 0; i < forwards.size(); i++) {
      int port = forwards.get(i).port();
      for (int channel : new int[] {2 * i, 2 * i + 1}) {
        ByteBuf prefix = Unpooled.buffer(2).writeShortLE(port);
        flow.channel().writeAndFlush(framing.encode(channel, prefix));
      }
    }
    forwards.forEach(PortForward::start);
  }

  @Override
  protected void message(int channel, ByteBuf payload) {
    int index = channel / 2;
    if (channel % 2 != 0 || index >= forwards.size()) {
      payload.release();
      return;
    }
    forwards.get(index).upload().offer(payload);
  }

  @Override
  protected void disconnected() {
    forwards.forEach(PortForward::disconnect);
  }
}
