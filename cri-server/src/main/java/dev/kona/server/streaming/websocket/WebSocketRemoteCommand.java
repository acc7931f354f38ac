package dev.kona.server.streaming.websocket;

import dev.kona.server.streaming.StdioOptions;
import dev.kona.server.streaming.command.CommandProtocol;
import dev.kona.server.streaming.command.CommandStream;
import dev.kona.server.streaming.command.CommandTransport;
import dev.kona.server.streaming.command.RemoteCommand;
import dev.kona.server.streaming.io.ConnectionFlow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;

/**
 * Exec and attach over WebSocket ({@code channel.k8s.io} family up to v5): all five channels
 * exist from the start; an empty message on the first output channel tells the client we are
 * ready; v5 clients half-close stdin with the close signal {@code [255, 0]}.
 */
public final class WebSocketRemoteCommand extends WebSocketSession implements CommandTransport {

  private final CommandProtocol protocol;
  private RemoteCommand command;

  public WebSocketRemoteCommand(
      ConnectionFlow flow, ChannelFraming framing, Duration closeGrace, CommandProtocol protocol) {
    super(flow, framing, closeGrace);
    this.protocol = protocol;
  }

  /** Announces readiness and starts the command. Call on the event loop after the upgrade. */
  public void start(RemoteCommand command) {
    this.command = command;
    StdioOptions stdio = command.stdio();
    CommandStream ready =
        stdio.stdout()
            ? CommandStream.STDOUT
            : stdio.stderr() ? CommandStream.STDERR : CommandStream.ERROR;
    flow.channel().writeAndFlush(framing.encode(ready.channel(), Unpooled.EMPTY_BUFFER));
    command.start();
  }

  @Override
  protected void message(int channel, ByteBuf payload) {
    if (channel == CommandStream.STDIN.channel()) {
      command.onStdin(payload);
      return;
    }
    try {
      if (channel == CommandStream.RESIZE.channel()) {
        command.onResize(payload);
      } else if (channel == ChannelFraming.CLOSE_SIGNAL
          && protocol.closeSignal()
          && payload.isReadable()
          && payload.getUnsignedByte(payload.readerIndex()) == CommandStream.STDIN.channel()) {
        command.onStdinEnd();
      }
    } finally {
      payload.release();
    }
  }

  @Override
  protected void disconnected() {
    if (command != null) {
      command.onDisconnect();
    }
  }

  @Override
  public ConnectionFlow flow() {
    return flow;
  }

  @Override
  public void send(CommandStream stream, ByteBuf chunk) {
    flow.channel().writeAndFlush(framing.encode(stream.channel(), chunk));
  }

  @Override
  public void endOutput(CommandStream stream) {
    // Clients learn that output ended when the connection closes.
  }

  @Override
  public void finish(byte[] status) {
    if (status.length > 0) {
      flow.channel()
          .writeAndFlush(
              framing.encode(CommandStream.ERROR.channel(), Unpooled.wrappedBuffer(status)));
    }
    flow.channel().eventLoop().execute(this::close);
  }
}
