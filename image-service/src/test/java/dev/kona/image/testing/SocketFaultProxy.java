package dev.kona.image.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP/1.1 front for a registry, on a plain socket, for the faults {@link CountingProxy}
 * (on the JDK's HTTP server) cannot make: a TCP reset in the middle of a body, and a request that
 * is never answered at all (not even a status line). Every other request is forwarded to the
 * registry and answered in full, on kept-alive connections. Faults fire once each.
 */
public final class SocketFaultProxy implements AutoCloseable {

  /** What to do to the first request whose path contains {@code pathPart}. */
  public sealed interface Fault {
    String pathPart();
  }

  /** Sends the status line, the headers (with the full length) and {@code bytes} of the body, then a TCP RST. */
  public record ResetAfter(String pathPart, long bytes) implements Fault {}

  /** Reads the request and never answers: no status line, no byte, the connection left open. */
  public record NoAnswer(String pathPart) implements Fault {}

  private final String upstream;
  private final ServerSocket server;
  private final HttpClient http =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public SocketFaultProxy(String upstreamUrl) throws IOException {
    this.upstream = upstreamUrl;
    this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofVirtual().name("socket-fault-proxy").start(this::acceptAll);
  }

  public String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  public void inject(Fault fault) {
    faults.add(fault);
  }

  private void acceptAll() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        List<String> head = readHead(in);
        if (head == null) {
          return;
        }
        String[] requestLine = head.getFirst().split(" ");
        String method = requestLine[0];
        URI target = URI.create(requestLine[1]);
        Fault fault = take(target.getPath());
        if (fault instanceof NoAnswer) {
          while (in.read() >= 0) {
            // hold the connection, silent, until the client or close() ends it
          }
          return;
        }
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(upstream + requestLine[1])).method(method, HttpRequest.BodyPublishers.noBody());
        for (String header : head.subList(1, head.size())) {
          int colon = header.indexOf(':');
          String name = header.substring(0, colon).trim();
          if (CountingProxy.forwarded(name)) {
            request.header(name, header.substring(colon + 1).trim());
          }
        }
        HttpResponse<byte[]> response;
        try {
          response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        byte[] body = response.body();
        StringBuilder answer = new StringBuilder("HTTP/1.1 " + response.statusCode() + " X\r\n");
        response.headers().map().forEach((name, values) -> {
          if (CountingProxy.forwarded(name)) {
            values.forEach(v -> answer.append(name).append(": ").append(v).append("\r\n"));
          }
        });
        long length = method.equals("HEAD") ? response.headers().firstValueAsLong("content-length").orElse(0) : body.length;
        answer.append("Content-Length: ").append(length).append("\r\n\r\n");
        out.write(answer.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (method.equals("HEAD")) {
          out.flush();
          continue;
        }
        if (fault instanceof ResetAfter reset) {
          out.write(body, 0, (int) Math.min(reset.bytes(), body.length));
          out.flush();
          socket.setSoLinger(true, 0); // close() now sends RST, not FIN
          return;
        }
        out.write(body);
        out.flush();
      }
    } catch (IOException gone) {
      // the client left, or close()
    }
  }

  /** The request line and header lines, or null at the end of the connection. */
  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new java.util.ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
        line.reset();
        if (text.isEmpty()) {
          if (lines.isEmpty()) {
            continue;
          }
          return lines;
        }
        lines.add(text);
      } else {
        line.write(c);
      }
    }
    return null;
  }

  private Fault take(String path) {
    for (Fault fault : faults) {
      if (path.contains(fault.pathPart()) && faults.remove(fault)) {
        return fault;
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    acceptor.interrupt();
    http.close();
  }
}
