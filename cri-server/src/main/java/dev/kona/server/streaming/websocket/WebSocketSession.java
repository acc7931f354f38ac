package dev.kona.server.streaming.websocket;

import dev.kona.server.streaming.io.ConnectionFlow;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control-frame half of a multiplexed WebSocket session: answers pings, closes on the
 * client's close, and closes gracefully (close frame, then wait for the client) when the session
 * is over. Subclasses handle data messages, already split by channel.
 */
abstract class WebSocketSession extends SimpleChannelInboundHandler<WebSocketFrame> {

  private static final Logger log = LoggerFactory.getLogger(WebSocketSession.class);

  protected final ConnectionFlow flow;
  protected final ChannelFraming framing;
  private final Duration closeGrace;
  private final AtomicBoolean closing = new AtomicBoolean();

  WebSocketSession(ConnectionFlow flow, ChannelFraming framing, Duration closeGrace) {
    this.flow = flow;
    this.framing = framing;
    this.closeGrace = closeGrace;
  }

  /** A data message on {@code channel}; takes ownership of {@code payload}. */
  protected abstract void message(int channel, io.netty.buffer.ByteBuf payload);

  /** The connection is gone. */
  protected abstract void disconnected();

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    switch (frame) {
      case BinaryWebSocketFrame b -> dispatch(b);
      case TextWebSocketFrame t -> dispatch(t);
      case PingWebSocketFrame ping ->
          ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      case CloseWebSocketFrame close -> {
        if (closing.compareAndSet(false, true)) {
          ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
              .addListener(ChannelFutureListener.CLOSE);
        } else {
          ctx.close();
        }
      }
      default -> {}
    }
  }

  private void dispatch(WebSocketFrame frame) {
    ChannelFraming.Message message;
    try {
      message = framing.decode(frame);
    } catch (RuntimeException e) {
      log.debug("drop undecodable message: {}", e.toString());
      return;
    }
    if (message != null) {
      message(message.channel(), message.payload());
    }
  }

  /** Ends the session from our side: a normal close frame, then a graceful close. */
  protected void close() {
    if (closing.compareAndSet(false, true)) {
      flow.channel().writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
      flow.closeGracefully(closeGrace);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disconnected();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("close WebSocket {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
