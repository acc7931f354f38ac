package dev.kona.server.streaming;

import dev.kona.server.streaming.command.CommandProtocol;
import dev.kona.server.streaming.command.RemoteCommand;
import dev.kona.server.streaming.io.ConnectionFlow;
import dev.kona.server.streaming.io.PipelineNames;
import dev.kona.server.streaming.spdy.SpdyConnection;
import dev.kona.server.streaming.spdy.SpdyPortForward;
import dev.kona.server.streaming.spdy.SpdyRemoteCommand;
import dev.kona.server.streaming.spdy.SpdyUpgrade;
import dev.kona.server.streaming.websocket.ChannelFraming;
import dev.kona.server.streaming.websocket.SpdyOverWebSocket;
import dev.kona.server.streaming.websocket.WebSocketPortForward;
import dev.kona.server.streaming.websocket.WebSocketRemoteCommand;
import dev.kona.server.streaming.websocket.WebSocketUpgrade;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET|POST /exec|attach|portforward/<token>}: takes the request out of the cache
 * (unknown, used or expired tokens get 404 and nothing starts), then upgrades the connection to
 * SPDY or WebSocket and hands it to the protocol's session.
 */
final class StreamRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(StreamRouter.class);

  static final String PORT_FORWARD_PROTOCOL = "portforward.k8s.io";
  private static final List<String> WEBSOCKET_COMMAND_PROTOCOLS =
      List.of(
          "v5.channel.k8s.io",
          "v4.channel.k8s.io",
          "v4.base64.channel.k8s.io",
          "channel.k8s.io",
          "base64.channel.k8s.io");
  private static final List<String> WEBSOCKET_PORT_FORWARD_PROTOCOLS =
      List.of(SpdyOverWebSocket.SUBPROTOCOL, "v4.channel.k8s.io", "v4.base64.channel.k8s.io");

  private final StreamingContext context;

  StreamRouter(StreamingContext context) {
    this.context = context;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "malformed request", List.of());
      return;
    }
    if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.POST)) {
      reject(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and POST", List.of());
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String[] path = uri.path().split("/");
    Optional<StreamRequest> cached =
        path.length == 3 && path[0].isEmpty()
            ? context.cache().consume(path[2]).filter(r -> r.route().equals(path[1]))
            : Optional.empty();
    if (cached.isEmpty()) {
      reject(ctx, HttpResponseStatus.NOT_FOUND, "404 page not found", List.of());
      return;
    }
    if (WebSocketUpgrade.isWebSocketUpgrade(request)) {
      serveWebSocket(ctx, request, uri, cached.get());
    } else {
      serveSpdy(ctx, request, cached.get());
    }
  }

  private void serveSpdy(ChannelHandlerContext ctx, FullHttpRequest request, StreamRequest cached) {
    List<String> served =
        cached instanceof PortForwardSpec
            ? List.of(PORT_FORWARD_PROTOCOL)
            : CommandProtocol.SPDY.stream().map(CommandProtocol::wireName).toList();
    List<String> offered = SpdyUpgrade.offered(request);
    if (offered.isEmpty()) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST,
          "unable to upgrade: " + SpdyUpgrade.PROTOCOL_HEADER + " is required", List.of());
      return;
    }
    String chosen = SpdyUpgrade.negotiate(offered, served);
    if (chosen == null) {
      reject(ctx, HttpResponseStatus.FORBIDDEN,
          "unable to upgrade: unable to negotiate protocol: client supports " + offered
              + ", server accepts " + served,
          served);
      return;
    }
    if (!SpdyUpgrade.isSpdyUpgrade(request)) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST,
          "unable to upgrade: missing upgrade headers in request", List.of());
      return;
    }
    ConnectionFlow flow = ctx.pipeline().get(ConnectionFlow.class);
    SpdyConnection connection;
    if (cached instanceof PortForwardSpec pf) {
      connection = new SpdyConnection(new SpdyPortForward(context.runtime(), pf.sandboxId(), flow,
          context.config().streamCreationTimeout()));
    } else {
      CommandProtocol protocol = commandProtocol(chosen);
      SpdyRemoteCommand transport =
          new SpdyRemoteCommand(flow, context.closeGrace(), stdio(cached), protocol);
      RemoteCommand command = new RemoteCommand(context.runtime(), cached, protocol, transport);
      transport.bind(command, context.config().streamCreationTimeout());
      connection = new SpdyConnection(transport);
    }
    SpdyUpgrade.upgrade(ctx, chosen, connection);
    started(ctx, cached, "spdy");
  }

  private void started(ChannelHandlerContext ctx, StreamRequest request, String transport) {
    log.debug("{} session over {} from {}: {}", request.route(), transport,
        ctx.channel().remoteAddress(), request);
    context.metrics().sessionStarted(request.route(), transport);
    ctx.channel().closeFuture().addListener(f -> context.metrics().sessionEnded());
  }

  private void serveWebSocket(
      ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri,
      StreamRequest cached) {
    List<String> served =
        cached instanceof PortForwardSpec ? WEBSOCKET_PORT_FORWARD_PROTOCOLS
            : WEBSOCKET_COMMAND_PROTOCOLS;
    List<String> offered = WebSocketUpgrade.offered(request);
    if (!offered.isEmpty() && SpdyUpgrade.negotiate(offered, served) == null) {
      reject(ctx, HttpResponseStatus.FORBIDDEN,
          "unable to upgrade: requested protocol(s) are not supported: " + offered
              + "; supports " + served,
          List.of());
      return;
    }
    if (cached instanceof PortForwardSpec pf
        && SpdyOverWebSocket.SUBPROTOCOL.equals(SpdyUpgrade.negotiate(offered, served))) {
      tunnelSpdy(ctx, request, served, pf);
      return;
    }
    List<Integer> ports = List.of();
    if (cached instanceof PortForwardSpec pf) {
      ports = queryPorts(uri);
      if (ports == null) {
        reject(ctx, HttpResponseStatus.BAD_REQUEST, "invalid query parameter port", List.of());
        return;
      }
      ports = ports.isEmpty() ? pf.ports() : ports;
      if (ports.isEmpty()) {
        reject(ctx, HttpResponseStatus.BAD_REQUEST, "query parameter port is required", List.of());
        return;
      }
    }
    ConnectionFlow flow = ctx.pipeline().get(ConnectionFlow.class);
    String selected = WebSocketUpgrade.handshake(ctx, request, served);
    if (selected == null) {
      return;
    }
    started(ctx, cached, "websocket");
    ChannelFraming framing = ChannelFraming.forSubprotocol(selected);
    if (cached instanceof PortForwardSpec pf) {
      WebSocketPortForward session = new WebSocketPortForward(flow, framing, context.closeGrace(),
          context.runtime(), pf.sandboxId(), ports);
      installWebSocket(ctx, session);
      session.start();
    } else {
      CommandProtocol protocol = commandProtocol(selected.replace("base64.", ""));
      WebSocketRemoteCommand session =
          new WebSocketRemoteCommand(flow, framing, context.closeGrace(), protocol);
      installWebSocket(ctx, session);
      session.start(new RemoteCommand(context.runtime(), cached, protocol, session));
    }
  }

  /** Port-forward as SPDY inside WebSocket: the same session as plain SPDY, tunnelled. */
  private void tunnelSpdy(ChannelHandlerContext ctx, FullHttpRequest request, List<String> served,
      PortForwardSpec pf) {
    ConnectionFlow flow = ctx.pipeline().get(ConnectionFlow.class);
    if (WebSocketUpgrade.handshake(ctx, request, served) == null) {
      return;
    }
    started(ctx, pf, "spdy-websocket");
    SpdyConnection connection = new SpdyConnection(new SpdyPortForward(context.runtime(),
        pf.sandboxId(), flow, context.config().streamCreationTimeout()));
    ctx.pipeline().replace(ctx.name(), "spdy-session", connection);
    ctx.pipeline().addBefore("spdy-session", "ws-aggregator",
        new WebSocketFrameAggregator(WebSocketUpgrade.MAX_FRAME));
    ctx.pipeline().addBefore("spdy-session", "ws-spdy", new SpdyOverWebSocket());
    ctx.pipeline().addBefore("spdy-session", "spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
  }

  private static void installWebSocket(ChannelHandlerContext ctx,
      io.netty.channel.ChannelHandler session) {
    ctx.pipeline().replace(ctx.name(), "ws-session", session);
    ctx.pipeline().addBefore("ws-session", "ws-aggregator",
        new WebSocketFrameAggregator(WebSocketUpgrade.MAX_FRAME));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Malformed upgrades (Netty's handshaker throws) end here; the client gets no session.
    log.debug("refuse streaming request from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    if (ctx.channel().isActive()) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "bad request: " + cause.getMessage(), List.of());
    }
  }

  /** Ports from {@code ?port=80&port=443,8080}; null if one is not a port number. */
  private static List<Integer> queryPorts(QueryStringDecoder uri) {
    List<Integer> ports = new ArrayList<>();
    for (String value : uri.parameters().getOrDefault("port", List.of())) {
      for (String token : value.split(",")) {
        try {
          int port = Integer.parseInt(token.trim());
          if (port < 1 || port > 65535) {
            return null;
          }
          ports.add(port);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return ports;
  }

  private static CommandProtocol commandProtocol(String wireName) {
    for (CommandProtocol p : CommandProtocol.values()) {
      if (p.wireName().equals(wireName)) {
        return p;
      }
    }
    return CommandProtocol.V1;
  }

  private static StdioOptions stdio(StreamRequest request) {
    return switch (request) {
      case ExecSpec e -> e.stdio();
      case AttachSpec a -> a.stdio();
      case PortForwardSpec p -> throw new IllegalArgumentException("no stdio for port forward");
    };
  }

  private void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String message,
      List<String> acceptedProtocols) {
    context.metrics().rejected(status.code() == 404 ? "not_found"
        : status.code() == 403 ? "protocol" : "request");
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    for (String protocol : acceptedProtocols) {
      response.headers().add(SpdyUpgrade.ACCEPTED_HEADER, protocol);
    }
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
