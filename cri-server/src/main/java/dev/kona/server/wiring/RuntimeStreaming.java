package dev.kona.server.wiring;

import dev.kona.common.error.UnavailableException;
import dev.kona.engine.ContainerEngine;
import dev.kona.engine.ContainerId;
import dev.kona.engine.ExecProcess;
import dev.kona.engine.ExecRequest;
import dev.kona.engine.ExitStatus;
import dev.kona.engine.StdioSession;
import dev.kona.linux.ns.NamespaceType;
import dev.kona.linux.ns.Namespaces;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.Containers;
import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.Sandboxes;
import dev.kona.server.streaming.AttachSpec;
import dev.kona.server.streaming.CommandSession;
import dev.kona.server.streaming.ExecSpec;
import dev.kona.server.streaming.PortConnection;
import dev.kona.server.streaming.StreamingRuntime;
import dev.kona.server.streaming.TerminalSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The streaming server's view of the runtime: exec and attach through the container's monitor,
 * port-forward by dialling from inside the pod's network namespace.
 */
public final class RuntimeStreaming implements StreamingRuntime {

  private static final Duration FOREVER = Duration.ofDays(3650);

  private final Containers containers;
  private final Sandboxes sandboxes;
  private final Syscalls sys;

  public RuntimeStreaming(Containers containers, Sandboxes sandboxes, Syscalls sys) {
    this.containers = containers;
    this.sandboxes = sandboxes;
    this.sys = sys;
  }

  @Override
  public CommandSession exec(ExecSpec spec) {
    ContainerRecord c = containers.get(spec.containerId());
    ContainerEngine engine = containers.engineOf(c);
    ExecProcess process = engine.exec(new ContainerId(c.id()),
        new ExecRequest(spec.command(), List.of(), spec.stdio().tty(), spec.stdio().stdin()));
    return new Session(process.stdio()) {
      @Override
      public int awaitExit() {
        ExitStatus exit = process.waitFor(FOREVER);
        return exit.code();
      }

      @Override
      public void close() {
        try {
          process.kill(9);
        } catch (RuntimeException alreadyGone) {
          // the process ended on its own
        }
        process.close();
      }
    };
  }

  @Override
  public CommandSession attach(AttachSpec spec) {
    ContainerRecord c = containers.get(spec.containerId());
    ContainerEngine engine = containers.engineOf(c);
    ContainerId id = new ContainerId(c.id());
    StdioSession stdio = engine.attach(id);
    return new Session(stdio) {
      @Override
      public int awaitExit() {
        return engine.waitForExit(id, FOREVER).code();
      }

      @Override
      public void close() {
        stdio.close();
      }
    };
  }

  @Override
  public PortConnection dial(String sandboxId, int port) {
    SandboxRecord sandbox = sandboxes.get(sandboxId);
    SocketChannel channel = sandbox.netns().isEmpty()
        ? connect(port)
        : Namespaces.callIn(sys, Path.of(sandbox.netns()), NamespaceType.NET, () -> connect(port));
    return new PortConnection() {
      private final InputStream in = Channels.newInputStream(channel);
      private final OutputStream out = Channels.newOutputStream(channel);

      @Override
      public InputStream input() {
        return in;
      }

      @Override
      public OutputStream output() {
        return out;
      }

      @Override
      public void shutdownOutput() {
        try {
          channel.shutdownOutput();
        } catch (IOException ignored) {
          // already closed
        }
      }

      @Override
      public void close() {
        try {
          channel.close();
        } catch (IOException ignored) {
          // nothing left to release
        }
      }
    };
  }

  /** localhost over IPv4, then IPv6, as containerd dials. The socket belongs to the calling thread's netns. */
  private static SocketChannel connect(int port) {
    IOException last = null;
    for (String host : List.of("127.0.0.1", "::1")) {
      try {
        return SocketChannel.open(new InetSocketAddress(InetAddress.getByName(host), port));
      } catch (IOException e) {
        last = e;
      }
    }
    throw new UnavailableException("connect to port " + port + " in the pod: " + (last == null ? "" : last.getMessage()), last);
  }

  /** The stdio half of a command session, shared by exec and attach. */
  private abstract static class Session implements CommandSession {
    private final StdioSession stdio;

    Session(StdioSession stdio) {
      this.stdio = stdio;
    }

    @Override
    public OutputStream stdin() {
      return stdio.stdin();
    }

    @Override
    public InputStream stdout() {
      return stdio.stdout();
    }

    @Override
    public InputStream stderr() {
      return stdio.stderr();
    }

    @Override
    public void closeStdin() {
      stdio.closeStdin();
    }

    @Override
    public void resize(TerminalSize size) {
      stdio.resize(size.width(), size.height());
    }
  }
}
