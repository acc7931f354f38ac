package dev.kona.server.streaming;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of a Kubernetes API server for kubectl exec, attach and port-forward against one
 * running pod: discovery, GET pod, and for the streaming subresources it registers the request
 * with the streaming server and pipes the client's upgrade to the returned URL, as the API server
 * and kubelet proxy it. Plain sockets on 127.0.0.1.
 */
final class FakeApiServer implements AutoCloseable {

  private static final String POD = """
      {"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","namespace":"default"},
      "spec":{"containers":[{"name":"c","image":"x"}]},
      "status":{"phase":"Running","containerStatuses":[{"name":"c","ready":true,
      "restartCount":0,"image":"x","imageID":"","state":{"running":{}}}]}}""";
  private static final Map<String, String> DISCOVERY = Map.of(
      "/api", """
          {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[]}""",
      "/apis", """
          {"kind":"APIGroupList","apiVersion":"v1","groups":[]}""",
      "/api/v1", """
          {"kind":"APIResourceList","groupVersion":"v1","resources":[
          {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["get"]},
          {"name":"pods/exec","singularName":"","namespaced":true,"kind":"PodExecOptions",
          "verbs":["create","get"]},
          {"name":"pods/attach","singularName":"","namespaced":true,"kind":"PodAttachOptions",
          "verbs":["create","get"]},
          {"name":"pods/portforward","singularName":"","namespaced":true,
          "kind":"PodPortForwardOptions","verbs":["create","get"]}]}""",
      "/version", """
          {"major":"1","minor":"32","gitVersion":"v1.32.0"}""");

  private final StreamingServer streaming;
  private final ServerSocket socket;
  final List<String> upgrades = new java.util.concurrent.CopyOnWriteArrayList<>();

  FakeApiServer(StreamingServer streaming) throws IOException {
    this.streaming = streaming;
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::acceptLoop);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort());
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        Thread.ofVirtual().start(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      while (true) {
        String head = readHead(client.getInputStream());
        if (head == null) {
          return;
        }
        String[] line = head.substring(0, head.indexOf("\r\n")).split(" ");
        URI uri = URI.create(line[1]);
        String body = uri.getPath().matches("/api/v1/namespaces/default/pods/p") ? POD
            : DISCOVERY.get(uri.getPath());
        if (body != null) {
          respond(client.getOutputStream(), "200 OK", body);
          continue;
        }
        URI target = register(uri);
        if (target == null) {
          respond(client.getOutputStream(), "404 Not Found", "{}");
          continue;
        }
        upgrades.add(line[0] + " " + uri.getPath() + " "
            + header(head, "upgrade") + " " + header(head, "sec-websocket-protocol"));
        String path = target.getRawPath() + "?" + (uri.getRawQuery() == null ? "" : uri.getRawQuery());
        proxy(client, head.replaceFirst(" [^ ]+ ",
            java.util.regex.Matcher.quoteReplacement(" " + path + " ")), target);
        return;
      }
    } catch (IOException e) {
      // kubectl went away.
    }
  }

  private URI register(URI uri) {
    Map<String, List<String>> query = query(uri);
    String path = uri.getPath();
    if (path.endsWith("/portforward")) {
      List<Integer> ports = new ArrayList<>();
      query.getOrDefault("ports", List.of()).forEach(p -> ports.add(Integer.parseInt(p)));
      return streaming.register(new PortForwardSpec("sandbox", ports));
    }
    boolean tty = flag(query, "tty");
    StdioOptions stdio = new StdioOptions(flag(query, "stdin"), flag(query, "stdout"),
        flag(query, "stderr") && !tty, tty);
    if (path.endsWith("/exec")) {
      return streaming.register(new ExecSpec("c1", query.get("command"), stdio));
    }
    if (path.endsWith("/attach")) {
      return streaming.register(new AttachSpec("c1", stdio));
    }
    return null;
  }

  /** Forwards the upgrade request and then bytes both ways until either side closes. */
  private static void proxy(Socket client, String head, URI target) throws IOException {
    try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
      upstream.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
      Thread down = Thread.ofVirtual().start(() -> {
        try {
          upstream.getInputStream().transferTo(client.getOutputStream());
          client.shutdownOutput();
        } catch (IOException e) {
          // Either side closed.
        }
      });
      try {
        client.getInputStream().transferTo(upstream.getOutputStream());
        upstream.shutdownOutput();
      } catch (IOException e) {
        // Either side closed.
      }
      down.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static void respond(OutputStream out, String status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: "
        + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return "";
  }

  private static Map<String, List<String>> query(URI uri) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        query.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            k -> new ArrayList<>()).add(kv.length > 1
                ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    return query;
  }

  private static boolean flag(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values != null && ("true".equals(values.getFirst()) || "1".equals(values.getFirst()));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
