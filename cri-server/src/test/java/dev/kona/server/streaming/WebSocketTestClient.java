package dev.kona.server.streaming;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A channel.k8s.io WebSocket client from Netty's client codecs; records every message. */
final class WebSocketTestClient implements AutoCloseable {

  private static final EventLoopGroup GROUP =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

  record Message(int channel, byte[] payload) {}

  volatile Channel channel;
  final String subprotocol;
  final boolean base64;
  final List<Message> messages = new CopyOnWriteArrayList<>();
  final Map<Integer, ByteArrayOutputStream> channels = new ConcurrentHashMap<>();
  final CompletableFuture<Void> closed = new CompletableFuture<>();
  volatile boolean serverSentClose;
  /** When set, receives every message's channel and payload instead of recording it. */
  volatile java.util.function.BiConsumer<Integer, ByteBuf> consumer;

  private WebSocketTestClient(String subprotocol) {
    this.subprotocol = subprotocol;
    this.base64 = subprotocol != null && subprotocol.contains("base64.");
  }

  static WebSocketTestClient connect(URI url, String subprotocol) throws Exception {
    URI ws = new URI("ws", null, url.getHost(), url.getPort(), url.getPath(), url.getQuery(), null);
    CompletableFuture<Void> handshake = new CompletableFuture<>();
    // Exists before the connection: the whole exchange may finish before connect() returns.
    WebSocketTestClient[] self = {new WebSocketTestClient(subprotocol)};
    var handshaker = WebSocketClientHandshakerFactory.newHandshaker(ws, WebSocketVersion.V13,
        subprotocol, false, new DefaultHttpHeaders(), 1 << 20);
    Channel channel = new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                new WebSocketClientProtocolHandler(handshaker, false),
                new WebSocketFrameAggregator(1 << 24),
                new SimpleChannelInboundHandler<WebSocketFrame>() {
                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                        .HANDSHAKE_COMPLETE) {
                      handshake.complete(null);
                    }
                  }

                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                    if (frame instanceof CloseWebSocketFrame) {
                      self[0].serverSentClose = true;
                      return;
                    }
                    self[0].record(frame);
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    handshake.completeExceptionally(cause);
                    ctx.close();
                  }

                  @Override
                  public void channelInactive(ChannelHandlerContext ctx) {
                    handshake.completeExceptionally(new IllegalStateException("closed"));
                    self[0].closed.complete(null);
                  }
                });
          }
        })
        .connect(url.getHost(), url.getPort()).sync().channel();
    self[0].channel = channel;
    handshake.get(10, TimeUnit.SECONDS);
    return self[0];
  }

  private void record(WebSocketFrame frame) {
    ByteBuf content = frame.content();
    if (!content.isReadable()) {
      return;
    }
    int ch = content.readUnsignedByte();
    java.util.function.BiConsumer<Integer, ByteBuf> sink = consumer;
    if (sink != null && !base64) {
      sink.accept(ch, content);
      return;
    }
    byte[] payload = ByteBufUtil.getBytes(content);
    if (base64 && frame instanceof TextWebSocketFrame) {
      ch -= '0';
      payload = Base64.getDecoder().decode(payload);
    }
    messages.add(new Message(ch, payload));
    ByteArrayOutputStream out = channels.computeIfAbsent(ch, k -> new ByteArrayOutputStream());
    synchronized (out) {
      out.writeBytes(payload);
    }
  }

  String text(int ch) {
    ByteArrayOutputStream out = channels.get(ch);
    if (out == null) {
      return "";
    }
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  byte[] bytes(int ch) {
    ByteArrayOutputStream out = channels.get(ch);
    if (out == null) {
      return new byte[0];
    }
    synchronized (out) {
      return out.toByteArray();
    }
  }

  void send(int ch, byte[] payload) {
    if (base64) {
      String text = (char) ('0' + ch) + Base64.getEncoder().encodeToString(payload);
      channel.writeAndFlush(new TextWebSocketFrame(text));
    } else {
      ByteBuf buf = Unpooled.buffer(payload.length + 1).writeByte(ch).writeBytes(payload);
      channel.writeAndFlush(new BinaryWebSocketFrame(buf));
    }
  }

  void send(int ch, String text) {
    send(ch, text.getBytes(StandardCharsets.UTF_8));
  }

  /** v5: half-closes channel {@code ch}. */
  void sendCloseSignal(int ch) {
    channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) 255,
        (byte) ch})));
  }

  void awaitClosed() throws Exception {
    closed.get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
