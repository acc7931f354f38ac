package dev.kona.conformance.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads an exec session's stdout over WebSocket with the v4.channel.k8s.io subprotocol (which both
 * Kona and containerd serve) and counts the bytes: the client side of the streaming throughput
 * figure. Frames are counted and released as they arrive, as a fast kubectl would.
 */
final class ExecStream {

  private static final int STDOUT = 1;

  private ExecStream() {}

  /** Connects to {@code url} (from the Exec RPC), reads until the server closes, returns stdout's byte count. */
  static long drainStdout(URI url) throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      URI ws = new URI("ws", null, url.getHost(), url.getPort(), url.getPath(), url.getQuery(), null);
      var handshaker = WebSocketClientHandshakerFactory.newHandshaker(
          ws, WebSocketVersion.V13, "v4.channel.k8s.io", false, new DefaultHttpHeaders(), 1 << 20);
      AtomicLong stdout = new AtomicLong();
      CompletableFuture<Long> done = new CompletableFuture<>();
      new Bootstrap().group(group).channel(EpollSocketChannel.class)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                  new WebSocketClientProtocolHandler(handshaker, false),
                  new SimpleChannelInboundHandler<WebSocketFrame>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                      if (frame instanceof CloseWebSocketFrame) {
                        ctx.close();
                        return;
                      }
                      ByteBuf content = frame.content();
                      if (content.isReadable() && content.readUnsignedByte() == STDOUT) {
                        stdout.addAndGet(content.readableBytes());
                      }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                      done.completeExceptionally(cause);
                      ctx.close();
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                      done.complete(stdout.get());
                    }
                  });
            }
          })
          .connect(url.getHost(), url.getPort()).sync();
      return done.get(300, TimeUnit.SECONDS);
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }
}
