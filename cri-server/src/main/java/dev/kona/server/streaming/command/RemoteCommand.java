package dev.kona.server.streaming.command;

import dev.kona.common.error.KonaException;
import dev.kona.server.streaming.AttachSpec;
import dev.kona.server.streaming.CommandSession;
import dev.kona.server.streaming.ExecSpec;
import dev.kona.server.streaming.StdioOptions;
import dev.kona.server.streaming.StreamRequest;
import dev.kona.server.streaming.StreamingRuntime;
import dev.kona.server.streaming.TerminalSize;
import dev.kona.server.streaming.io.InboundPipe;
import dev.kona.server.streaming.io.OutputPump;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec or attach, independent of the wire protocol: starts the runtime session once the
 * client's streams exist, pumps output with back-pressure, feeds stdin and resize events, and
 * reports the outcome. A client that goes away ends the session (an exec's process is killed).
 *
 * <p>The protocol layer calls {@link #onStdin}, {@link #onStdinEnd}, {@link #onResize} and
 * {@link #onDisconnect} from the event loop, and {@link #start} once; everything that blocks runs
 * on virtual threads.
 */
public final class RemoteCommand {

  private static final Logger log = LoggerFactory.getLogger(RemoteCommand.class);
  private static final Executor VIRTUAL = r -> Thread.ofVirtual().name("stream-resize").start(r);

  private final StreamingRuntime runtime;
  private final StreamRequest request;
  private final StdioOptions stdio;
  private final CommandProtocol protocol;
  private final CommandTransport transport;
  private final InboundPipe stdin;
  private final ResizeDecoder resizeDecoder = new ResizeDecoder();

  private CommandSession session; // guarded by this
  private TerminalSize pendingSize; // guarded by this
  private boolean disconnected; // guarded by this
  // Resize events go to the runtime one after another, in the order the client sent them.
  private CompletableFuture<Void> resizes = CompletableFuture.completedFuture(null);

  public RemoteCommand(
      StreamingRuntime runtime,
      StreamRequest request,
      CommandProtocol protocol,
      CommandTransport transport) {
    this.runtime = runtime;
    this.request = request;
    this.stdio =
        switch (request) {
          case ExecSpec e -> e.stdio();
          case AttachSpec a -> a.stdio();
          default -> throw new IllegalArgumentException("not a remote command: " + request);
        };
    this.protocol = protocol;
    this.transport = transport;
    this.stdin = new InboundPipe(request.route() + "-stdin", transport.flow());
  }

  public StdioOptions stdio() {
    return stdio;
  }

  public CommandProtocol protocol() {
    return protocol;
  }

  public void onStdin(ByteBuf data) {
    stdin.offer(data);
  }

  public void onStdinEnd() {
    stdin.end();
  }

  public void onResize(ByteBuf data) {
    if (!stdio.tty()) {
      return;
    }
    List<TerminalSize> sizes;
    try {
      sizes = resizeDecoder.feed(data);
    } catch (KonaException e) {
      log.debug("{}: ignore bad resize stream: {}", request.route(), e.getMessage());
      return;
    }
    for (TerminalSize size : sizes) {
      CommandSession current;
      synchronized (this) {
        current = session;
        if (current == null) {
          pendingSize = size;
          continue;
        }
      }
      resizes = resizes.thenRunAsync(() -> resize(current, size), VIRTUAL);
    }
  }

  public void onDisconnect() {
    CommandSession current;
    synchronized (this) {
      if (disconnected) {
        return;
      }
      disconnected = true;
      current = session;
    }
    stdin.discard();
    if (current != null) {
      Thread.ofVirtual().start(current::close);
    }
  }

  /** Starts the session on a virtual thread. */
  public void start() {
    Thread.ofVirtual().name("stream-" + request.route()).start(() -> {
      try {
        run();
      } catch (RuntimeException | Error e) {
        // A bug must not leave the client waiting for a status until the idle timeout.
        log.error("{}: session failed", request.route(), e);
        transport.finish(new CommandOutcome.Failed("Internal error occurred: " + e).encode(protocol));
      }
    });
  }

  private void run() {
    CommandSession opened;
    try {
      opened =
          switch (request) {
            case ExecSpec e -> runtime.exec(e);
            case AttachSpec a -> runtime.attach(a);
            default -> throw new IllegalStateException("not a remote command: " + request);
          };
    } catch (RuntimeException e) {
      log.warn("{}: start session: {}", request.route(), e.getMessage());
      stdin.discard();
      String what = request instanceof ExecSpec ? "executing command in" : "attaching to";
      transport.finish(
          new CommandOutcome.Failed(
                  "Internal error occurred: error " + what + " container: " + e.getMessage())
              .encode(protocol));
      return;
    }
    TerminalSize size;
    synchronized (this) {
      session = opened;
      size = pendingSize;
      if (disconnected) {
        opened.close();
        return;
      }
    }
    try {
      if (size != null) {
        resize(opened, size);
      }
      serve(opened);
    } finally {
      opened.close();
    }
  }

  private void serve(CommandSession session) {
    if (stdio.stdin()) {
      stdin.start(session.stdin(), session::closeStdin);
    } else {
      stdin.discard();
    }
    List<Thread> pumps = new ArrayList<>();
    if (stdio.stdout()) {
      pumps.add(pump(CommandStream.STDOUT, session.stdout()));
    } else {
      drain(CommandStream.STDOUT, session.stdout());
    }
    if (stdio.stderr()) {
      pumps.add(pump(CommandStream.STDERR, session.stderr()));
    } else {
      drain(CommandStream.STDERR, session.stderr());
    }
    CommandOutcome outcome;
    try {
      for (Thread pump : pumps) {
        pump.join();
      }
      if (isDisconnected()) {
        return;
      }
      int code = session.awaitExit();
      outcome =
          request instanceof ExecSpec && code != 0
              ? new CommandOutcome.NonZeroExit(code)
              : new CommandOutcome.Success();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = new CommandOutcome.Failed("Internal error occurred: interrupted");
    } catch (RuntimeException e) {
      outcome = new CommandOutcome.Failed("Internal error occurred: " + e.getMessage());
    }
    stdin.discard();
    transport.finish(outcome.encode(protocol));
  }

  private Thread pump(CommandStream stream, InputStream in) {
    return Thread.ofVirtual()
        .name("stream-" + stream.streamType())
        .start(
            () -> {
              try {
                if (OutputPump.copy(in, transport.flow(), chunk -> transport.send(stream, chunk))
                    >= 0) {
                  transport.endOutput(stream);
                }
              } catch (IOException e) {
                log.debug("{}: read {}: {}", request.route(), stream.streamType(), e.toString());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  /**
   * Reads and drops output nobody asked for, so the process never blocks on a full pipe. Not
   * waited for: it ends at EOF or when the session closes.
   */
  private void drain(CommandStream stream, InputStream in) {
    if (in == null) {
      return;
    }
    Thread.ofVirtual().name("stream-drain-" + stream.streamType()).start(() -> {
      try {
        in.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        log.debug("{}: drain {}: {}", request.route(), stream.streamType(), e.toString());
      }
    });
  }

  private synchronized boolean isDisconnected() {
    return disconnected;
  }

  private void resize(CommandSession target, TerminalSize size) {
    try {
      target.resize(size);
    } catch (RuntimeException e) {
      log.debug("{}: resize to {}: {}", request.route(), size, e.getMessage());
    }
  }
}
