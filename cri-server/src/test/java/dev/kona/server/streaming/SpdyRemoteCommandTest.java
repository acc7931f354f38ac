package dev.kona.server.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exec and attach over SPDY/3.1 against real processes, for each protocol version. */
class SpdyRemoteCommandTest {

  static final List<String> KUBECTL_OFFER =
      List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");
  static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";

  private final StreamingFixture fixture = new StreamingFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void exec_stdoutAndStderr_v4() throws Exception {
    URI url = fixture.shell(StreamingFixture.out(), "echo out; echo err >&2");
    try (SpdyTestClient client = SpdyTestClient.connect(url, KUBECTL_OFFER)) {
      assertEquals("v4.channel.k8s.io", client.protocol());
      SpdyTestClient.Stream error = client.open("error");
      SpdyTestClient.Stream stdout = client.open("stdout");
      SpdyTestClient.Stream stderr = client.open("stderr");
      assertEquals(SUCCESS, error.awaitText());
      assertEquals("out\n", stdout.awaitText());
      assertEquals("err\n", stderr.awaitText());
    }
  }

  @Test
  void exec_nonZeroExit_v4StatusHasExitCodeCause() throws Exception {
    URI url = fixture.shell(StreamingFixture.out(), "exit 3");
    try (SpdyTestClient client = SpdyTestClient.connect(url, KUBECTL_OFFER)) {
      SpdyTestClient.Stream error = client.open("error");
      client.open("stdout");
      client.open("stderr");
      assertEquals("{\"metadata\":{},\"status\":\"Failure\","
          + "\"message\":\"command terminated with non-zero exit code: exit status 3\","
          + "\"reason\":\"NonZeroExitCode\","
          + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}",
          error.awaitText());
    }
  }

  @Test
  void exec_nonZeroExit_olderVersionsWritePlainText() throws Exception {
    for (String version : List.of("v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io")) {
      URI url = fixture.shell(StreamingFixture.out(), "echo hi; exit 5");
      try (SpdyTestClient client = SpdyTestClient.connect(url, List.of(version))) {
        assertEquals(version, client.protocol());
        SpdyTestClient.Stream error = client.open("error");
        SpdyTestClient.Stream stdout = client.open("stdout");
        client.open("stderr");
        assertEquals("command terminated with non-zero exit code: exit status 5",
            error.awaitText(), version);
        assertEquals("hi\n", stdout.awaitText(), version);
      }
    }
  }

  @Test
  void exec_successOnOlderVersion_errorStreamEmpty() throws Exception {
    URI url = fixture.shell(StreamingFixture.out(), "true");
    try (SpdyTestClient client = SpdyTestClient.connect(url, List.of("v2.channel.k8s.io"))) {
      SpdyTestClient.Stream error = client.open("error");
      client.open("stdout");
      client.open("stderr");
      assertEquals("", error.awaitText());
    }
  }

  @Test
  void exec_unrequestedStderrDrained_processDoesNotBlock() throws Exception {
    // 1 MiB on stderr overflows any pipe; without draining, the process would never exit.
    URI url = fixture.shell(new StdioOptions(false, true, false, false),
        "head -c 1048576 /dev/zero >&2; echo done");
    try (SpdyTestClient client = SpdyTestClient.connect(url, KUBECTL_OFFER)) {
      SpdyTestClient.Stream error = client.open("error");
      SpdyTestClient.Stream stdout = client.open("stdout");
      assertEquals(SUCCESS, error.awaitText());
      assertEquals("done\n", stdout.awaitText());
    }
  }

  @Test
  void exec_stdinFinIsEof() throws Exception {
    URI url = fixture.exec(StreamingFixture.inOut(), "cat");
    try (SpdyTestClient client = SpdyTestClient.connect(url, KUBECTL_OFFER)) {
      SpdyTestClient.Stream error = client.open("error");
      SpdyTestClient.Stream stdin = client.open("stdin");
      SpdyTestClient.Stream stdout = client.open("stdout");
      client.send(stdin, "hello\n");
      client.send(stdin, "world");
      client.finish(stdin);
      assertEquals(SUCCESS, error.awaitText());
      assertEquals("hello\nworld", stdout.awaitText());
    }
  }

  @Test
  void exec_ttyResizeReachesRuntime() throws Exception {
    URI url = fixture.shell(new StdioOptions(true, true, false, true),
        "echo ready; read line; echo got $line");
    try (SpdyTestClient client = SpdyTestClient.connect(url, KUBECTL_OFFER)) {
      SpdyTestClient.Stream error = client.open("error");
      SpdyTestClient.Stream stdin = client.open("stdin");
      SpdyTestClient.Stream stdout = client.open("stdout");
      SpdyTestClient.Stream resize = client.open("resize");
      await(() -> stdout.text().equals("ready\n"));
      // One event split across frames, then a second one in the same frame as the tail.
      client.send(resize, "{\"Width\":80,");
      client.send(resize, "\"Height\":24}{\"Width\":100,\"Height\":40}");
      ProcessRuntime.Session session = fixture.runtime.sessions.getFirst();
      await(() -> session.resizes.size() == 2);
      client.send(stdin, "go\n");
      assertEquals(SUCCESS, error.awaitText());
      assertEquals("ready\ngot go\n", stdout.text());
      assertEquals(List.of(new TerminalSize(80, 24), new TerminalSize(100, 40)), session.resizes);
    }
  }

  @Test
  void exec_runtimeFailure_internalErrorStatus() throws Exception {
    URI url = fixture.server.register(
        new ExecSpec("missing", List.of("true"), StreamingFixture.out()));
    try (SpdyTestClient client = SpdyTestClient.connect(url, KUBECTL_OFFER)) {
      SpdyTestClient.Stream error = client.open("error");
      client.open("stdout");
      client.open("stderr");
      String status = error.awaitText();
      assertTrue(status.contains("\"reason\":\"InternalError\""), status);
      assertTrue(status.contains("\"code\":500"), status);
      assertTrue(status.contains("container not found"), status);
    }
  }

  @Test
  void attach_joinsContainerStdio() throws Exception {
    fixture.runtime.attachCommands.put("c2", List.of("cat"));
    URI url = fixture.server.register(new AttachSpec("c2", StreamingFixture.inOut()));
    try (SpdyTestClient client = SpdyTestClient.connect(url, KUBECTL_OFFER)) {
      SpdyTestClient.Stream error = client.open("error");
      SpdyTestClient.Stream stdin = client.open("stdin");
      SpdyTestClient.Stream stdout = client.open("stdout");
      client.send(stdin, "attached");
      client.finish(stdin);
      assertEquals(SUCCESS, error.awaitText());
      assertEquals("attached", stdout.awaitText());
    }
  }

  @Test
  void exec_fiftyConcurrentSessions() throws Exception {
    int sessions = 50;
    List<Callable<String>> calls = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      String word = "session-" + i;
      URI url = fixture.shell(StreamingFixture.out(), "sleep 0.2; echo " + word);
      calls.add(() -> {
        try (SpdyTestClient client = SpdyTestClient.connect(url, KUBECTL_OFFER)) {
          SpdyTestClient.Stream error = client.open("error");
          SpdyTestClient.Stream stdout = client.open("stdout");
          client.open("stderr");
          assertEquals(SUCCESS, error.awaitText());
          return stdout.awaitText();
        }
      });
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> results = pool.invokeAll(calls);
      for (int i = 0; i < sessions; i++) {
        assertEquals("session-" + i + "\n", results.get(i).get());
      }
    }
    assertEquals(sessions, fixture.runtime.sessions.size());
  }

  @Test
  void exec_clientDropsMidStream_processKilled() throws Exception {
    URI url = fixture.exec(StreamingFixture.out(), "sleep", "1000");
    SpdyTestClient client = SpdyTestClient.connect(url, KUBECTL_OFFER);
    client.open("error");
    client.open("stdout");
    client.open("stderr");
    await(() -> fixture.runtime.sessions.size() == 1);
    ProcessRuntime.Session session = fixture.runtime.sessions.getFirst();
    assertTrue(session.process.isAlive());
    client.close();
    session.process.onExit().get(10, TimeUnit.SECONDS);
    assertFalse(session.process.isAlive());
    assertTrue(session.closed);
  }

  @Test
  void exec_missingStreams_connectionClosedAfterCreationTimeout() throws Exception {
    try (StreamingFixture quick = new StreamingFixture(
        new StreamingConfig(null, 0, null, null, 0, 0, 0, 1))) {
      URI url = quick.shell(StreamingFixture.out(), "echo never");
      try (SpdyTestClient client = SpdyTestClient.connect(url, KUBECTL_OFFER)) {
        client.open("error");
        client.channel.closeFuture().await(10, TimeUnit.SECONDS);
        assertFalse(client.channel.isActive());
        assertTrue(quick.runtime.sessions.isEmpty());
      }
    }
  }

  static void await(Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(10);
    }
  }
}
