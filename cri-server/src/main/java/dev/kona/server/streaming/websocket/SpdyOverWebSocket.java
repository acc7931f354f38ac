package dev.kona.server.streaming.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * Carries a SPDY byte stream in binary WebSocket messages: the {@code SPDY/3.1+portforward.k8s.io}
 * tunnel that kubectl 1.31+ and crictl's WebSocket transport use for port-forward. Sits between
 * Netty's WebSocket codec and its SPDY codec; answers pings and the client's close.
 */
public final class SpdyOverWebSocket extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {

  public static final String SUBPROTOCOL = "SPDY/3.1+portforward.k8s.io";

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
    out.add(new BinaryWebSocketFrame(msg.retain()));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
    switch (frame) {
      case BinaryWebSocketFrame binary -> out.add(binary.content().retain());
      case PingWebSocketFrame ping ->
          ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      case CloseWebSocketFrame close ->
          ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
              .addListener(ChannelFutureListener.CLOSE);
      default -> {}
    }
  }
}
