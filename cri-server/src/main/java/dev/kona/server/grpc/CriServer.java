package dev.kona.server.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRI gRPC server: grpc-java on Netty's native epoll transport, on a unix socket. Calls run on
 * virtual threads, so a handler may block (a pull, a mount, a stop with grace) without starving
 * the kubelet's every-second List and Status calls.
 */
public final class CriServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CriServer.class);

  /**
   * The largest message either way: the kubelet accepts 16 MiB, so every answer stays under it
   * (List answers are fitted to it); requests from the kubelet are far smaller, so inbound this
   * only bounds abuse.
   */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final Server server;
  private final Path socket;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ExecutorService handlers;

  private CriServer(Server server, Path socket, EventLoopGroup boss, EventLoopGroup workers, ExecutorService handlers) {
    this.server = server;
    this.socket = socket;
    this.boss = boss;
    this.workers = workers;
    this.handlers = handlers;
  }

  /** Thrown when the socket path cannot be taken; the message says why. */
  public static final class SocketUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean anotherServer;

    SocketUnavailableException(String message, boolean anotherServer) {
      super(message);
      this.anotherServer = anotherServer;
    }

    public boolean anotherServer() {
      return anotherServer;
    }
  }

  public static CriServer start(Path socket, List<BindableService> services, CallInterceptor interceptor)
      throws IOException, SocketUnavailableException {
    SocketGuard.prepare(socket);
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    ExecutorService handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cri-", 0).factory());
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .executor(handlers)
            .maxInboundMessageSize(MAX_MESSAGE_BYTES);
    for (BindableService service : services) {
      builder.addService(ServerInterceptors.intercept(service, interceptor));
    }
    Server server = builder.build();
    try {
      server.start();
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
    } catch (IOException e) {
      server.shutdownNow();
      boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      handlers.shutdownNow();
      throw e;
    }
    LOG.info("CRI server listening on unix://{}", socket);
    return new CriServer(server, socket, boss, workers, handlers);
  }

  /** Stops accepting, lets in-flight calls finish within {@code grace}, then cancels the rest. */
  public void shutdown(Duration grace) throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      LOG.warn("in-flight calls did not finish within {} s; cancelling them", grace.toSeconds());
      server.shutdownNow();
      server.awaitTermination(2, TimeUnit.SECONDS);
    }
    close();
  }

  @Override
  public void close() {
    server.shutdownNow();
    handlers.shutdownNow();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.warn("could not remove socket {}: {}", socket, e.getMessage());
    }
  }
}
