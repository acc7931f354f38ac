package dev.kona.server.streaming;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import dev.kona.server.streaming.websocket.SpdyOverWebSocket;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A SPDY/3.1 client as kubectl's spdystream behaves: HTTP upgrade with X-Stream-Protocol-Version,
 * then client-opened streams with headers. Built from Netty's HTTP and SPDY codecs.
 */
final class SpdyTestClient implements AutoCloseable {

  private static final EventLoopGroup GROUP =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

  final Channel channel;
  final FullHttpResponse response;
  private final Map<Integer, Stream> streams;
  private int nextId = 1;

  /** What arrived on one stream. */
  static final class Stream {
    final int id;
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    final CompletableFuture<Void> replied = new CompletableFuture<>();
    final CompletableFuture<Void> finished = new CompletableFuture<>();
    volatile boolean reset;
    volatile Consumer<ByteBuf> consumer;

    Stream(int id) {
      this.id = id;
    }

    synchronized String text() {
      return data.toString(StandardCharsets.UTF_8);
    }

    String awaitText() throws Exception {
      replied.get(30, TimeUnit.SECONDS);
      finished.get(30, TimeUnit.SECONDS);
      return text();
    }
  }

  private SpdyTestClient(Channel channel, FullHttpResponse response, Map<Integer, Stream> streams) {
    this.channel = channel;
    this.response = response;
    this.streams = streams;
  }

  boolean upgraded() {
    return response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS);
  }

  String protocol() {
    return response.headers().get("X-Stream-Protocol-Version");
  }

  static SpdyTestClient connect(URI url, List<String> protocols) throws Exception {
    return connect(url, protocols, HttpMethod.POST);
  }

  static SpdyTestClient connect(URI url, List<String> protocols, HttpMethod method)
      throws Exception {
    return connect(url, protocols, method, null);
  }

  /** With {@code tls} set, speaks TLS first (for https URLs). */
  static SpdyTestClient connect(URI url, List<String> protocols, HttpMethod method,
      SslContext tls) throws Exception {
    CompletableFuture<FullHttpResponse> upgraded = new CompletableFuture<>();
    Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    Channel channel = new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (tls != null) {
              ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), url.getHost(), url.getPort()));
            }
            ch.pipeline().addLast("http", new HttpClientCodec());
            ch.pipeline().addLast("aggregator", new HttpObjectAggregator(64 * 1024));
            ch.pipeline().addLast("upgrade", new SimpleChannelInboundHandler<FullHttpResponse>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                if (r.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
                  ctx.pipeline().addAfter("http", "spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
                  ctx.pipeline().replace("upgrade", "frames", new Frames(streams));
                  ctx.pipeline().remove("aggregator");
                  ctx.pipeline().remove("http");
                }
                // Status and headers only: the body is released with r.
                upgraded.complete(new DefaultFullHttpResponse(r.protocolVersion(), r.status(),
                    Unpooled.EMPTY_BUFFER, r.headers().copy(), r.trailingHeaders().copy()));
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                upgraded.completeExceptionally(new IllegalStateException("closed before upgrade"));
              }
            });
          }
        })
        .connect(url.getHost(), url.getPort()).sync().channel();
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method,
        url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    request.headers().set(HttpHeaderNames.HOST, url.getHost() + ":" + url.getPort());
    request.headers().set(HttpHeaderNames.CONNECTION, "Upgrade");
    request.headers().set(HttpHeaderNames.UPGRADE, "SPDY/3.1");
    for (String protocol : protocols) {
      request.headers().add("X-Stream-Protocol-Version", protocol);
    }
    channel.writeAndFlush(request);
    return new SpdyTestClient(channel, upgraded.get(10, TimeUnit.SECONDS), streams);
  }

  /**
   * Connects with the SPDY-in-WebSocket tunnel ({@code SPDY/3.1+portforward.k8s.io}) that
   * kubectl 1.31+ and crictl's WebSocket transport use for port-forward.
   */
  static SpdyTestClient connectTunnel(URI url) throws Exception {
    URI ws = new URI("ws", null, url.getHost(), url.getPort(), url.getPath(), url.getQuery(), null);
    var handshaker = WebSocketClientHandshakerFactory.newHandshaker(ws, WebSocketVersion.V13,
        SpdyOverWebSocket.SUBPROTOCOL, false, new DefaultHttpHeaders(), 1 << 20);
    CompletableFuture<Void> handshake = new CompletableFuture<>();
    Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    Channel channel = new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                new WebSocketClientProtocolHandler(handshaker, false),
                new WebSocketFrameAggregator(1 << 24));
            // The SPDY codec rejects the HTTP handshake request, so it joins after the upgrade.
            ch.pipeline().addLast("await-upgrade", new ChannelInboundHandlerAdapter() {
              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                    .HANDSHAKE_COMPLETE) {
                  ctx.pipeline().addAfter("await-upgrade", "frames", new Frames(streams));
                  ctx.pipeline().addAfter("await-upgrade", "spdy",
                      new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
                  ctx.pipeline().addAfter("await-upgrade", "tunnel", new SpdyOverWebSocket());
                  ctx.pipeline().remove(this);
                  handshake.complete(null);
                }
              }
            });
          }
        })
        .connect(url.getHost(), url.getPort()).sync().channel();
    handshake.get(10, TimeUnit.SECONDS);
    FullHttpResponse switched = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.SWITCHING_PROTOCOLS);
    switched.headers().set("X-Stream-Protocol-Version", handshaker.actualSubprotocol());
    return new SpdyTestClient(channel, switched, streams);
  }

  /** Opens a stream (SYN_STREAM) with these headers; returns its state. */
  synchronized Stream open(Map<String, String> headers) {
    int id = nextId;
    nextId += 2;
    Stream stream = new Stream(id);
    streams.put(id, stream);
    DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
    headers.forEach((k, v) -> syn.headers().set(k.toLowerCase(java.util.Locale.ROOT), v));
    channel.writeAndFlush(syn);
    return stream;
  }

  Stream open(String streamType) {
    return open(Map.of("streamType", streamType));
  }

  void send(Stream stream, byte[] data) {
    channel.writeAndFlush(new DefaultSpdyDataFrame(stream.id, Unpooled.wrappedBuffer(data)));
  }

  void send(Stream stream, String text) {
    send(stream, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Half-closes our side of the stream (FIN). */
  void finish(Stream stream) {
    channel.writeAndFlush(new DefaultSpdyDataFrame(stream.id).setLast(true));
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  /** Routes the server's frames to the streams. */
  private static final class Frames extends SimpleChannelInboundHandler<SpdyFrame> {
    private final Map<Integer, Stream> streams;

    Frames(Map<Integer, Stream> streams) {
      this.streams = streams;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SpdyFrame frame) throws Exception {
      switch (frame) {
        case SpdySynReplyFrame reply -> {
          // Netty encodes no header block for empty headers, which Go's spdystream rejects.
          if (reply.headers().isEmpty()) {
            streams.get(reply.streamId()).replied.completeExceptionally(
                new AssertionError("SYN_REPLY without a header block"));
            ctx.close();
          }
          streams.get(reply.streamId()).replied.complete(null);
        }
        case SpdyDataFrame data -> {
          Stream s = streams.get(data.streamId());
          Consumer<ByteBuf> consumer = s.consumer;
          if (consumer != null) {
            consumer.accept(data.content());
          } else {
            synchronized (s) {
              data.content().readBytes(s.data, data.content().readableBytes());
            }
          }
          if (data.isLast()) {
            s.finished.complete(null);
          }
        }
        case SpdyRstStreamFrame rst -> {
          Stream s = streams.get(rst.streamId());
          s.reset = true;
          s.finished.complete(null);
        }
        default -> {}
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      streams.values().forEach(s -> s.finished.complete(null));
    }
  }
}
