package dev.kona.server.streaming.spdy;

import dev.kona.server.streaming.StdioOptions;
import dev.kona.server.streaming.command.CommandProtocol;
import dev.kona.server.streaming.command.CommandStream;
import dev.kona.server.streaming.command.CommandTransport;
import dev.kona.server.streaming.command.RemoteCommand;
import dev.kona.server.streaming.io.ConnectionFlow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exec and attach over SPDY: the client opens one stream per {@code streamType} (error, stdin,
 * stdout, stderr, and resize for a terminal from v3 on); the command starts once all expected
 * streams exist, or the connection is closed after the stream creation timeout.
 */
public final class SpdyRemoteCommand implements SpdyStreamHandler, CommandTransport {

  private static final Logger log = LoggerFactory.getLogger(SpdyRemoteCommand.class);

  private final ConnectionFlow flow;
  private final Duration closeGrace;
  private final Set<CommandStream> expected;
  private final Map<CommandStream, SpdyStream> streams = new ConcurrentHashMap<>();
  private RemoteCommand command;
  private boolean started; // event loop only

  public SpdyRemoteCommand(ConnectionFlow flow, Duration closeGrace, StdioOptions stdio,
      CommandProtocol protocol) {
    this.flow = flow;
    this.closeGrace = closeGrace;
    this.expected = expectedStreams(stdio, protocol);
  }

  /** Binds the command this transport carries and arms the stream creation timeout. */
  public void bind(RemoteCommand command, Duration creationTimeout) {
    this.command = command;
    flow.channel()
        .eventLoop()
        .schedule(
            () -> {
              if (!started && flow.channel().isActive()) {
                log.info(
                    "close {} after {}: client opened {} of streams {}",
                    flow.channel().remoteAddress(),
                    creationTimeout,
                    streams.keySet(),
                    expected);
                flow.channel().close();
              }
            },
            creationTimeout.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  static Set<CommandStream> expectedStreams(StdioOptions stdio, CommandProtocol protocol) {
    Set<CommandStream> set = EnumSet.of(CommandStream.ERROR);
    if (stdio.stdin()) {
      set.add(CommandStream.STDIN);
    }
    if (stdio.stdout()) {
      set.add(CommandStream.STDOUT);
    }
    if (stdio.stderr()) {
      set.add(CommandStream.STDERR);
    }
    if (stdio.tty() && protocol.resizeStream()) {
      set.add(CommandStream.RESIZE);
    }
    return set;
  }

  @Override
  public SpdyStream.Listener opened(SpdyStream stream) {
    CommandStream kind = CommandStream.ofStreamType(stream.header("streamType"));
    if (kind == null || streams.putIfAbsent(kind, stream) != null) {
      return null;
    }
    SpdyStream.Listener listener =
        switch (kind) {
          case STDIN -> new SpdyStream.Listener() {
            @Override
            public void data(ByteBuf data) {
              command.onStdin(data);
            }

            @Override
            public void end() {
              command.onStdinEnd();
            }
          };
          case RESIZE -> new SpdyStream.Listener() {
            @Override
            public void data(ByteBuf data) {
              try {
                command.onResize(data);
              } finally {
                data.release();
              }
            }

            @Override
            public void end() {}
          };
          default -> new SpdyStream.Listener() {
            @Override
            public void data(ByteBuf data) {
              data.release();
            }

            @Override
            public void end() {}
          };
        };
    if (!started && streams.keySet().containsAll(expected)) {
      started = true;
      // Start after this SYN_REPLY is queued, so the command's first frames follow it.
      flow.channel().eventLoop().execute(command::start);
    }
    return listener;
  }

  @Override
  public void disconnected() {
    command.onDisconnect();
  }

  @Override
  public ConnectionFlow flow() {
    return flow;
  }

  @Override
  public void send(CommandStream stream, ByteBuf chunk) {
    SpdyStream target = streams.get(stream);
    if (target == null) {
      chunk.release();
      return;
    }
    target.write(chunk);
  }

  @Override
  public void endOutput(CommandStream stream) {
    SpdyStream target = streams.get(stream);
    if (target != null) {
      target.finish();
    }
  }

  @Override
  public void finish(byte[] status) {
    SpdyStream error = streams.get(CommandStream.ERROR);
    if (error != null) {
      if (status.length > 0) {
        error.finish(Unpooled.wrappedBuffer(status));
      } else {
        error.finish();
      }
    }
    for (SpdyStream stream : streams.values()) {
      stream.finish();
    }
    flow.closeGracefully(closeGrace);
  }
}
