package dev.kona.server.wiring;

import dev.kona.common.error.UnavailableException;
import dev.kona.runtime.stream.StreamUrls;
import dev.kona.server.streaming.AttachSpec;
import dev.kona.server.streaming.ExecSpec;
import dev.kona.server.streaming.PortForwardSpec;
import dev.kona.server.streaming.StdioOptions;
import dev.kona.server.streaming.StreamingServer;
import java.util.List;

/**
 * {@link StreamUrls} on the daemon's streaming server. The server is set once it has started; the
 * runtime service is built before it, since the server in turn serves the runtime's containers.
 */
public final class ServerStreamUrls implements StreamUrls {

  private volatile StreamingServer server;

  public void serveWith(StreamingServer server) {
    this.server = server;
  }

  @Override
  public String exec(String containerId, List<String> command, boolean stdin, boolean stdout, boolean stderr, boolean tty) {
    return server().register(new ExecSpec(containerId, command, new StdioOptions(stdin, stdout, stderr, tty))).toString();
  }

  @Override
  public String attach(String containerId, boolean stdin, boolean stdout, boolean stderr, boolean tty) {
    return server().register(new AttachSpec(containerId, new StdioOptions(stdin, stdout, stderr, tty))).toString();
  }

  @Override
  public String portForward(String sandboxId, List<Integer> ports) {
    return server().register(new PortForwardSpec(sandboxId, ports)).toString();
  }

  private StreamingServer server() {
    StreamingServer s = server;
    if (s == null) {
      throw new UnavailableException("the streaming server is not running yet");
    }
    return s;
  }
}
