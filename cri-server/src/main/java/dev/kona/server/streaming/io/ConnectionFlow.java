package dev.kona.server.streaming.io;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Back-pressure for one client connection, both ways. Writers on other threads block in {@link
 * #awaitWritable()} while Netty's outbound buffer is above its high-water mark, so a slow client
 * slows the process instead of growing the heap. Readers that cannot keep up call {@link
 * #pauseReads()}: the connection stops reading (TCP pushes back on the client) until every pauser
 * has called {@link #resumeReads()}.
 */
public final class ConnectionFlow extends ChannelInboundHandlerAdapter {

  private final Channel channel;
  private final TrafficCounter traffic;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicInteger pausers = new AtomicInteger();

  public ConnectionFlow(Channel channel, TrafficCounter traffic) {
    this.channel = channel;
    this.traffic = traffic;
  }

  public Channel channel() {
    return channel;
  }

  public TrafficCounter traffic() {
    return traffic;
  }

  /** Blocks until the connection takes more writes; false once it is closed. */
  public boolean awaitWritable() throws InterruptedException {
    if (channel.isWritable()) {
      return true;
    }
    lock.lock();
    try {
      while (!channel.isWritable() && channel.isActive()) {
        // The timed wait guards against a missed signal; writability is re-checked each time.
        changed.await(100, TimeUnit.MILLISECONDS);
      }
      return channel.isActive();
    } finally {
      lock.unlock();
    }
  }

  public void pauseReads() {
    pausers.incrementAndGet();
    applyAutoRead();
  }

  public void resumeReads() {
    pausers.decrementAndGet();
    applyAutoRead();
  }

  /**
   * Ends our side after the last frame and lets the client close: closing with unread input
   * would make the kernel send RST, which can discard what the client has not read yet. The
   * connection is closed anyway after {@code grace}.
   */
  public void closeGracefully(Duration grace) {
    channel
        .eventLoop()
        .execute(
            () -> {
              SslHandler ssl = channel.pipeline().get(SslHandler.class);
              if (ssl != null) {
                ssl.closeOutbound();
              } else if (channel instanceof DuplexChannel duplex && channel.isActive()) {
                duplex.shutdownOutput();
              } else {
                channel.close();
              }
              channel.config().setAutoRead(true);
              channel.eventLoop().schedule(() -> channel.close(), grace.toMillis(), TimeUnit.MILLISECONDS);
            });
  }

  private void applyAutoRead() {
    // Applied on the event loop, in order, from the count at that moment: racing pause/resume
    // calls from different threads cannot leave reads off with nobody paused.
    channel.eventLoop().execute(() -> channel.config().setAutoRead(pausers.get() <= 0));
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    signal();
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      // No traffic either way for the configured idle timeout (upstream default 4 h).
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    signal();
    super.channelInactive(ctx);
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
