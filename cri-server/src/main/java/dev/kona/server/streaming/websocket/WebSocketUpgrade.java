package dev.kona.server.streaming.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The WebSocket handshake with Kubernetes subprotocol selection: the first subprotocol the client
 * offers that we serve wins; no {@code Sec-WebSocket-Protocol} at all means plain {@code
 * channel.k8s.io} framing. Netty's handshaker writes the 101 and swaps the HTTP codec for its
 * WebSocket codec.
 */
public final class WebSocketUpgrade {

  /** Clients send stdin in chunks of at most 32 KiB; leave room for framing. */
  public static final int MAX_FRAME = 1024 * 1024;

  private WebSocketUpgrade() {}

  public static boolean isWebSocketUpgrade(HttpRequest request) {
    return "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE, ""));
  }

  /** The subprotocols the client offers, in its order. */
  public static List<String> offered(HttpRequest request) {
    List<String> offered = new ArrayList<>();
    for (String value : request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
      for (String token : value.split(",")) {
        if (!token.isBlank()) {
          offered.add(token.trim());
        }
      }
    }
    return offered;
  }

  /**
   * Completes the handshake and returns the chosen subprotocol ("" for none), or null when the
   * client's WebSocket version is unsupported (a 426 was sent).
   */
  public static String handshake(
      ChannelHandlerContext ctx, FullHttpRequest request, List<String> served) {
    String location = "ws://" + request.headers().get(HttpHeaderNames.HOST, "") + request.uri();
    WebSocketServerHandshakerFactory factory =
        new WebSocketServerHandshakerFactory(location, String.join(",", served), false, MAX_FRAME);
    WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return null;
    }
    handshaker.handshake(ctx.channel(), request);
    String selected = handshaker.selectedSubprotocol();
    return selected == null ? "" : selected;
  }
}
