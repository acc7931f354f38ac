package dev.kona.server.streaming;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.common.error.UnavailableException;
import dev.kona.server.streaming.io.ConnectionFlow;
import dev.kona.server.streaming.io.PipelineNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kona's streaming server: the URLs that CRI Exec, Attach and PortForward return point here. The
 * client (kubelet, crictl) connects with SPDY/3.1 or WebSocket; the request behind the URL's
 * single-use token runs against the {@link StreamingRuntime}.
 *
 * <p>Lifecycle: construct, {@link #start()} (binds; the port is known afterwards), {@link
 * #register} per RPC, {@link #close()} at shutdown (closes the listener and every open stream;
 * exec'd processes of open sessions are killed).
 */
public final class StreamingServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamingServer.class);

  /**
   * Buffers for every stream, recycled. Netty 4.2's default (adaptive) allocator left each 32 KiB
   * output chunk to the GC; a 100 MiB exec stream then promoted enough of them to grow the daemon
   * by ~150 MiB for good (measured with scripts/bench.sh). One small arena each way is plenty for
   * a node's exec and port-forward traffic, and only the event loops keep thread caches: the pumps
   * run on virtual threads, which would each get one.
   */
  private static final PooledByteBufAllocator BUFFERS = new PooledByteBufAllocator(
      false, 1, 1, 8192, 8, 64, 16, false);

  private final StreamingConfig config;
  private final StreamingContext context;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private EventLoopGroup group;
  private Channel listener;
  private URI baseUrl;

  public StreamingServer(StreamingConfig config, StreamingRuntime runtime, MeterRegistry meters) {
    this(config, runtime, meters, InstantSource.system());
  }

  /** With a clock for token expiry, for tests. */
  public StreamingServer(StreamingConfig config, StreamingRuntime runtime, MeterRegistry meters,
      InstantSource clock) {
    this.config = config;
    this.context = new StreamingContext(config, runtime,
        new RequestCache(config.tokenTtl(), config.maxInFlight(), clock),
        new StreamingMetrics(meters));
  }

  /** Binds the listener; throws Unavailable if the address is taken, InvalidArgument for TLS. */
  public synchronized void start() {
    if (listener != null) {
      return;
    }
    SslContext ssl = config.tls() ? sslContext() : null;
    boolean epoll = Epoll.isAvailable();
    group = new MultiThreadIoEventLoopGroup(0,
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(channelType)
        .childOption(ChannelOption.ALLOCATOR, BUFFERS)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(64 * 1024, 256 * 1024))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            ChannelPipeline p = ch.pipeline();
            if (ssl != null) {
              p.addLast("ssl", ssl.newHandler(ch.alloc()));
            }
            p.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeoutSeconds(),
                TimeUnit.SECONDS));
            p.addLast(PipelineNames.HTTP_CODEC, new HttpServerCodec());
            p.addLast(PipelineNames.HTTP_AGGREGATOR, new HttpObjectAggregator(64 * 1024));
            p.addLast(PipelineNames.FLOW, new ConnectionFlow(ch, context.metrics()));
            p.addLast(PipelineNames.ROUTER, new StreamRouter(context));
          }
        });
    try {
      listener = bootstrap.bind(config.address(), config.port()).sync().channel();
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      group = null;
      throw new UnavailableException("start streaming server on " + config.address() + ":"
          + config.port() + ": " + e, e);
    }
    InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
    String host = config.address().contains(":") ? "[" + config.address() + "]" : config.address();
    baseUrl = URI.create((ssl != null ? "https" : "http") + "://" + host + ":" + bound.getPort());
    log.info("streaming server listening on {}", baseUrl);
  }

  /** {@code http(s)://host:port}, known after {@link #start()}. */
  public synchronized URI baseUrl() {
    if (baseUrl == null) {
      throw new UnavailableException("streaming server not started");
    }
    return baseUrl;
  }

  /**
   * Stores a validated request under a fresh token and returns the absolute URL its client must
   * open, e.g. {@code http://127.0.0.1:39121/exec/<token>}. Throws ResourceExhausted when too
   * many URLs are outstanding.
   */
  public URI register(StreamRequest request) {
    URI base = baseUrl();
    return base.resolve("/" + request.route() + "/" + context.cache().insert(request));
  }

  /** Closes the listener and all open connections, then stops the event loops. */
  @Override
  public synchronized void close() {
    if (listener == null) {
      return;
    }
    listener.close().syncUninterruptibly();
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    listener = null;
    group = null;
    log.info("streaming server on {} stopped", baseUrl);
    baseUrl = null;
  }

  private SslContext sslContext() {
    try {
      return SslContextBuilder.forServer(config.tlsCertFile().toFile(),
          config.tlsKeyFile().toFile()).build();
    } catch (Exception e) {
      throw new InvalidArgumentException("streaming config: load tls_cert_file "
          + config.tlsCertFile() + " and tls_key_file " + config.tlsKeyFile() + ": "
          + e.getMessage(), e);
    }
  }
}
