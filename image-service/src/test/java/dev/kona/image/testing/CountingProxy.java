package dev.kona.image.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP proxy on loopback in front of a registry: forwards every request, counts them by
 * method and path, and injects faults at the edge (truncate, corrupt or stall a response, run an
 * action such as killing the registry when a request arrives). Faults fire once each.
 */
public final class CountingProxy implements AutoCloseable {

  private static final Set<String> HOP_HEADERS =
      Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade", "keep-alive", "expect");

  /** Whether a proxy passes this header on: not hop-by-hop, and not an HTTP/2 pseudo-header. */
  static boolean forwarded(String header) {
    return !HOP_HEADERS.contains(header.toLowerCase(java.util.Locale.ROOT)) && !header.startsWith(":");
  }

  /** What to do to the first request whose path contains {@code pathPart}. */
  public sealed interface Fault {
    String pathPart();
  }

  /** Sends the headers (with the full length) and only {@code bytes} of the body, then drops the connection. */
  public record Truncate(String pathPart, long bytes) implements Fault {}

  /** Flips one byte in the middle of the body. */
  public record Corrupt(String pathPart) implements Fault {}

  /** Sends the headers and the first {@code bytes}, then goes silent for {@code pause}. */
  public record Stall(String pathPart, long bytes, Duration pause) implements Fault {}

  /**
   * Answers 307 with a Location on the upstream registry itself (another host:port), as registries
   * do for blobs in external storage; records whether the request carried an Authorization header.
   */
  public record Redirect(String pathPart) implements Fault {}

  /** Runs {@code action} before forwarding (e.g. stops the registry). */
  public record Before(String pathPart, Runnable action) implements Fault {}

  private final String upstream;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final HttpClient http =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final Map<String, List<String>> headers = new ConcurrentHashMap<>();

  public CountingProxy(String upstreamUrl) throws IOException {
    this.upstream = upstreamUrl;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(executor);
    server.createContext("/", this::forward);
    server.start();
  }

  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public String url() {
    return "http://" + host();
  }

  public void inject(Fault fault) {
    faults.add(fault);
  }

  /** Requests seen for {@code "GET /v2/..."}-style keys. */
  public int count(String method, String path) {
    AtomicInteger n = counts.get(method + " " + path);
    return n == null ? 0 : n.get();
  }

  /** Requests whose path contains {@code part}, any method. */
  public int countContaining(String part) {
    return counts.entrySet().stream().filter(e -> e.getKey().contains(part)).mapToInt(e -> e.getValue().get()).sum();
  }

  /** Every value of request header {@code name} the proxy received, in order. */
  public List<String> headerValues(String name) {
    return List.copyOf(headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of()));
  }

  public Map<String, Integer> counts() {
    Map<String, Integer> copy = new java.util.TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  public void reset() {
    counts.clear();
  }

  private Fault take(String path) {
    for (Fault fault : faults) {
      if (path.contains(fault.pathPart()) && faults.remove(fault)) {
        return fault;
      }
    }
    return null;
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      counts.computeIfAbsent(method + " " + path, k -> new AtomicInteger()).incrementAndGet();
      exchange.getRequestHeaders().forEach((name, values) ->
          headers.computeIfAbsent(name.toLowerCase(java.util.Locale.ROOT), k -> new CopyOnWriteArrayList<>()).addAll(values));
      Fault fault = take(path);
      if (fault instanceof Before before) {
        before.action().run();
      }
      if (fault instanceof Redirect) {
        String query = exchange.getRequestURI().getRawQuery();
        exchange.getResponseHeaders().add("Location", upstream + exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query));
        exchange.sendResponseHeaders(307, -1);
        return;
      }
      String query = exchange.getRequestURI().getRawQuery();
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query)));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (forwarded(name)) {
          values.forEach(v -> request.header(name, v));
        }
      });
      byte[] body = exchange.getRequestBody().readAllBytes();
      request.method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      HttpResponse<InputStream> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        exchange.sendResponseHeaders(502, -1);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      response.headers().map().forEach((name, values) -> {
        if (forwarded(name)) {
          exchange.getResponseHeaders().put(name, values);
        }
      });
      try (InputStream in = response.body()) {
        byte[] content = in.readAllBytes();
        if (method.equals("HEAD") || content.length == 0) {
          exchange.sendResponseHeaders(response.statusCode(), -1);
          return;
        }
        exchange.sendResponseHeaders(response.statusCode(), content.length);
        OutputStream out = exchange.getResponseBody();
        switch (fault) {
          case Truncate t -> {
            out.write(content, 0, (int) Math.min(t.bytes(), content.length));
            out.flush();
            throw new IOException("truncated by test fault");
          }
          case Corrupt c -> {
            content[content.length / 2] ^= 0x5a;
            out.write(content);
          }
          case Stall s -> {
            out.write(content, 0, (int) Math.min(s.bytes(), content.length));
            out.flush();
            Thread.sleep(s.pause().toMillis());
            out.write(content, (int) Math.min(s.bytes(), content.length), content.length - (int) Math.min(s.bytes(), content.length));
          }
          case null, default -> out.write(content);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    http.close();
  }
}
