package dev.kona.server.streaming.portforward;

import dev.kona.server.streaming.PortConnection;
import dev.kona.server.streaming.StreamingRuntime;
import dev.kona.server.streaming.io.ConnectionFlow;
import dev.kona.server.streaming.io.InboundPipe;
import dev.kona.server.streaming.io.OutputPump;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarded TCP connection, whatever the wire protocol: dials the port through the runtime
 * and copies both ways with back-pressure until the port closes its side or the client goes away.
 * The protocol layer feeds {@link #upload()} from the event loop.
 */
public final class PortForward {

  private static final Logger log = LoggerFactory.getLogger(PortForward.class);

  private final StreamingRuntime runtime;
  private final String sandboxId;
  private final int port;
  private final ConnectionFlow flow;
  private final ForwardLink link;
  private final InboundPipe upload;
  private volatile PortConnection connection;
  private volatile boolean disconnected;

  public PortForward(
      StreamingRuntime runtime, String sandboxId, int port, ConnectionFlow flow, ForwardLink link) {
    this.runtime = runtime;
    this.sandboxId = sandboxId;
    this.port = port;
    this.flow = flow;
    this.link = link;
    this.upload = new InboundPipe("port-" + port, flow);
  }

  public int port() {
    return port;
  }

  /** Client bytes for the port; waits (bounded) until the dial completed. */
  public InboundPipe upload() {
    return upload;
  }

  public void start() {
    Thread.ofVirtual().name("forward-" + port).start(this::run);
  }

  /** The client connection is gone: drop the port connection. */
  public void disconnect() {
    disconnected = true;
    upload.discard();
    PortConnection c = connection;
    if (c != null) {
      c.close();
    }
  }

  private void run() {
    PortConnection opened;
    try {
      opened = runtime.dial(sandboxId, port);
    } catch (RuntimeException e) {
      log.debug("forward port {} of {}: {}", port, sandboxId, e.getMessage());
      upload.discard();
      link.sendError(
          "error forwarding port " + port + " to pod sandbox " + sandboxId + ": " + e.getMessage());
      link.closed(true);
      return;
    }
    connection = opened;
    if (disconnected) {
      opened.close();
      return;
    }
    boolean failed = false;
    try {
      upload.start(opened.output(), opened::shutdownOutput);
      if (OutputPump.copy(opened.input(), flow, link::sendData) >= 0) {
        link.endData();
      }
    } catch (IOException e) {
      failed = !disconnected;
      if (failed) {
        link.sendError("error forwarding port " + port + " to pod sandbox " + sandboxId + ": " + e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      upload.discard();
      opened.close();
    }
    link.closed(failed);
  }
}
