package dev.kona.server.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Go clients (client-go's SPDY and WebSocket executors, spdystream, the port-forward
 * dialers) against our server, through kubectl and a minimal fake API server that proxies to the
 * streaming URLs as the kubelet does. Runs where a kubectl binary is on PATH (Debian:
 * kubernetes-client); says so when it is not.
 */
class KubectlInteropTest {

  private final StreamingFixture fixture = new StreamingFixture();
  private final List<Process> started = new ArrayList<>();
  private FakeApiServer api;
  private Path kubeconfig;
  private String kubectl;

  @BeforeEach
  void setUp(@TempDir Path dir) throws IOException {
    kubectl = onPath("kubectl");
    Assumptions.assumeTrue(kubectl != null, "kubectl not on PATH (apt install kubernetes-client)");
    api = new FakeApiServer(fixture.server);
    kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster: {server: "%s"}
          name: fake
        contexts:
        - context: {cluster: fake, user: u, namespace: default}
          name: fake
        current-context: fake
        users:
        - name: u
          user: {}
        """.formatted(api.url()));
  }

  @AfterEach
  void tearDown() throws IOException {
    for (Process p : started) {
      p.destroyForcibly();
    }
    if (api != null) {
      api.close();
    }
    fixture.close();
  }

  record Result(int exit, String stdout, String stderr) {}

  private Result kubectl(Map<String, String> env, byte[] stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(kubectl));
    command.addAll(List.of(args));
    return run(env, stdin, command.toArray(String[]::new));
  }

  private Result run(Map<String, String> env, byte[] stdin, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    started.add(process);
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin);
    }
    var out = Thread.ofVirtual().start(() -> drain(process.getInputStream()));
    var err = Thread.ofVirtual().start(() -> drain(process.getErrorStream()));
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
    out.join();
    err.join();
    return new Result(process.exitValue(), outputs.get(process.getInputStream()),
        outputs.get(process.getErrorStream()));
  }

  private final Map<InputStream, String> outputs = new java.util.concurrent.ConcurrentHashMap<>();

  private void drain(InputStream in) {
    try {
      outputs.put(in, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      outputs.put(in, "");
    }
  }

  @Test
  void exec_defaultTransport_outputAndExitCode() throws Exception {
    Result r = kubectl(Map.of(), new byte[0], "exec", "p", "-c", "c", "--",
        "sh", "-c", "echo out; echo err >&2; exit 3");
    assertEquals(3, r.exit(), r.stderr());
    assertEquals("out\n", r.stdout());
    assertTrue(r.stderr().startsWith("err\n"), r.stderr());
  }

  @Test
  void exec_spdy_stdinToEof() throws Exception {
    Result r = kubectl(Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false"),
        "piped\nlines\n".getBytes(StandardCharsets.UTF_8), "exec", "-i", "p", "-c", "c", "--",
        "cat");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("piped\nlines\n", r.stdout());
    assertTrue(api.upgrades.getFirst().contains("SPDY/3.1"), api.upgrades.toString());
  }

  @Test
  void exec_tty_terminalSizeReachesRuntime() throws Exception {
    // script(1) gives kubectl a terminal of a known size, so it opens the resize stream.
    String inner = kubectl + " exec -it p -c c -- sh -c 'sleep 1; echo tty-ok'";
    Result r = run(Map.of(), new byte[0], "script", "-qec", "stty cols 91 rows 37; " + inner,
        "/dev/null");
    assertEquals(0, r.exit(), r.stderr());
    assertTrue(r.stdout().contains("tty-ok"), r.stdout());
    ProcessRuntime.Session session = fixture.runtime.sessions.getFirst();
    assertTrue(session.resizes.contains(new TerminalSize(91, 37)), session.resizes.toString());
  }

  @Test
  void exec_largeOutput_complete() throws Exception {
    Result r = kubectl(Map.of(), new byte[0], "exec", "p", "-c", "c", "--",
        "sh", "-c", "head -c 20000000 /dev/zero | tr '\\0' x");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals(20_000_000, r.stdout().length());
  }

  @Test
  void attach_stdin() throws Exception {
    fixture.runtime.attachCommands.put("c1", List.of("cat"));
    Result r = kubectl(Map.of(), "attached\n".getBytes(StandardCharsets.UTF_8),
        "attach", "-i", "p", "-c", "c");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("attached\n", r.stdout());
  }

  @Test
  void portForward_defaultTransport_echoes() throws Exception {
    portForward(Map.of());
  }

  @Test
  void portForward_spdy_echoes() throws Exception {
    portForward(Map.of("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false"));
    assertTrue(api.upgrades.getFirst().contains("SPDY/3.1"), api.upgrades.toString());
  }

  private void portForward(Map<String, String> env) throws Exception {
    try (EchoServer echo = new EchoServer()) {
      int local = EchoServer.closedPort();
      ProcessBuilder builder = new ProcessBuilder(kubectl, "port-forward", "pod/p",
          "--address", "127.0.0.1", local + ":" + echo.port());
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      builder.environment().putAll(env);
      Path log = Files.createTempFile("kubectl-port-forward", ".log");
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      Process forward = builder.start();
      started.add(forward);
      try {
        for (int i = 0; i < 3; i++) {
          assertEquals("round " + i, roundTrip(local, "round " + i));
        }
      } catch (IOException | AssertionError e) {
        throw new AssertionError("kubectl port-forward said: " + Files.readString(log), e);
      } finally {
        Files.deleteIfExists(log);
      }
    }
  }

  /** Connects (retrying while kubectl starts listening), sends, half-closes, reads the echo. */
  private static String roundTrip(int port, String message) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        socket.shutdownOutput();
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static String onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
