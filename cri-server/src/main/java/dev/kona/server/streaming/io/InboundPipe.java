package dev.kona.server.streaming.io;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries client bytes (process stdin, a forwarded connection's upload) from the event loop to a
 * blocking {@link OutputStream} on its own virtual thread. Once more than {@link #HIGH_WATER}
 * bytes wait, the connection stops reading until fewer than {@link #LOW_WATER} do, so a process
 * that does not read its stdin holds the client back instead of filling the heap. Data offered
 * before {@link #start} waits (bounded the same way); after {@link #discard()} it is dropped.
 */
public final class InboundPipe {

  private static final Logger log = LoggerFactory.getLogger(InboundPipe.class);
  public static final long HIGH_WATER = 256 * 1024;
  /** Reads resume below this, so a queue hovering at the high mark does not flap autoRead. */
  public static final long LOW_WATER = 64 * 1024;

  private static final Object END = new Object();

  private final String name;
  private final ConnectionFlow flow;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queued = new AtomicLong();
  private boolean paused; // guarded by this
  private volatile boolean discarding;
  private volatile boolean ended;
  private Thread worker; // guarded by this

  public InboundPipe(String name, ConnectionFlow flow) {
    this.name = name;
    this.flow = flow;
  }

  /** Takes ownership of {@code data}. Called on the event loop. */
  public void offer(ByteBuf data) {
    if (discarding || ended) {
      data.release();
      return;
    }
    queued.addAndGet(data.readableBytes());
    flow.traffic().receivedFromClient(data.readableBytes());
    queue.add(data);
    if (discarding) {
      // discard() ran between the check above and the add.
      releaseQueued();
      return;
    }
    updatePause();
  }

  /** The client finished sending; the sink is closed once everything before it is written. */
  public void end() {
    if (!ended) {
      ended = true;
      queue.add(END);
    }
  }

  public boolean ended() {
    return ended;
  }

  /**
   * Starts writing to {@code sink}; {@code onEnd} runs after the last byte (not on failure). A
   * pipe already discarded stays so.
   */
  public synchronized void start(OutputStream sink, Runnable onEnd) {
    if (discarding) {
      return;
    }
    worker =
        Thread.ofVirtual()
            .name("stream-in-" + name)
            .start(
                () -> {
                  try {
                    drainTo(sink);
                    onEnd.run();
                  } catch (IOException | UncheckedIOException e) {
                    // The process closed its stdin, the session ended or the peer went away:
                    // nothing to deliver.
                    log.debug("stop writing {}: {}", name, e.toString());
                    discard();
                  } catch (InterruptedException e) {
                    discard();
                  }
                });
  }

  /** Drops queued and future data (no reader, or the session is over). */
  public void discard() {
    Thread w;
    synchronized (this) {
      discarding = true;
      w = worker;
    }
    if (w != null && w != Thread.currentThread()) {
      w.interrupt();
    }
    releaseQueued();
  }

  private void releaseQueued() {
    Object item;
    while ((item = queue.poll()) != null) {
      if (item instanceof ByteBuf buf) {
        queued.addAndGet(-buf.readableBytes());
        buf.release();
      }
    }
    updatePause();
  }

  private void drainTo(OutputStream sink) throws IOException, InterruptedException {
    while (true) {
      Object item = queue.take();
      if (item == END) {
        return;
      }
      ByteBuf buf = (ByteBuf) item;
      int n = buf.readableBytes();
      try {
        buf.readBytes(sink, n);
        if (queue.isEmpty()) {
          sink.flush();
        }
      } finally {
        buf.release();
        queued.addAndGet(-n);
        updatePause();
      }
    }
  }

  private synchronized void updatePause() {
    long now = queued.get();
    if (!paused && now > HIGH_WATER) {
      paused = true;
      flow.pauseReads();
    } else if (paused && now < LOW_WATER) {
      paused = false;
      flow.resumeReads();
    }
  }
}
