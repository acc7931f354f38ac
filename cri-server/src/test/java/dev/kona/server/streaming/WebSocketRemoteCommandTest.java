package dev.kona.server.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exec over WebSocket: channel-prefixed messages, v4 status, v5 stdin close, base64 framing. */
class WebSocketRemoteCommandTest {

  private static final int STDIN = 0;
  private static final int STDOUT = 1;
  private static final int STDERR = 2;
  private static final int ERROR = 3;
  private static final int RESIZE = 4;

  private final StreamingFixture fixture = new StreamingFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void exec_v5_stdinCloseSignalIsEof() throws Exception {
    URI url = fixture.exec(StreamingFixture.inOut(), "cat");
    try (WebSocketTestClient client = WebSocketTestClient.connect(url, "v5.channel.k8s.io")) {
      client.send(STDIN, "hello ");
      client.send(STDIN, "v5");
      client.sendCloseSignal(STDIN);
      client.awaitClosed();
      assertEquals(new WebSocketTestClient.Message(STDOUT, new byte[0]).channel(),
          client.messages.getFirst().channel());
      assertEquals(0, client.messages.getFirst().payload().length, "readiness message");
      assertEquals("hello v5", client.text(STDOUT));
      assertEquals(SpdyRemoteCommandTest.SUCCESS, client.text(ERROR));
      assertTrue(client.serverSentClose);
    }
  }

  @Test
  void exec_v4_nonZeroExitStatus() throws Exception {
    URI url = fixture.shell(StreamingFixture.out(), "echo out; echo err >&2; exit 7");
    try (WebSocketTestClient client = WebSocketTestClient.connect(url, "v4.channel.k8s.io")) {
      client.awaitClosed();
      assertEquals("out\n", client.text(STDOUT));
      assertEquals("err\n", client.text(STDERR));
      String status = client.text(ERROR);
      assertTrue(status.contains("\"reason\":\"NonZeroExitCode\""), status);
      assertTrue(status.contains("{\"reason\":\"ExitCode\",\"message\":\"7\"}"), status);
    }
  }

  @Test
  void exec_v4base64_textFramesDecode() throws Exception {
    URI url = fixture.shell(StreamingFixture.out(), "printf 'caf\\303\\251'");
    try (WebSocketTestClient client = WebSocketTestClient.connect(url,
        "v4.base64.channel.k8s.io")) {
      client.awaitClosed();
      assertEquals("café", client.text(STDOUT));
      assertEquals(SpdyRemoteCommandTest.SUCCESS, client.text(ERROR));
    }
  }

  @Test
  void exec_channelK8sIo_failureAsPlainText() throws Exception {
    URI url = fixture.shell(StreamingFixture.out(), "exit 2");
    try (WebSocketTestClient client = WebSocketTestClient.connect(url, "channel.k8s.io")) {
      client.awaitClosed();
      assertEquals("command terminated with non-zero exit code: exit status 2",
          client.text(ERROR));
    }
  }

  @Test
  void exec_noSubprotocol_binaryChannelsPlainTextErrors() throws Exception {
    URI url = fixture.shell(StreamingFixture.out(), "echo plain; exit 4");
    try (WebSocketTestClient client = WebSocketTestClient.connect(url, null)) {
      client.awaitClosed();
      assertEquals("plain\n", client.text(STDOUT));
      assertEquals("command terminated with non-zero exit code: exit status 4",
          client.text(ERROR));
    }
  }

  @Test
  void exec_ttyResizeOnChannel4() throws Exception {
    URI url = fixture.shell(new StdioOptions(true, true, false, true),
        "echo ready; read line; echo got $line");
    try (WebSocketTestClient client = WebSocketTestClient.connect(url, "v5.channel.k8s.io")) {
      SpdyRemoteCommandTest.await(() -> client.text(STDOUT).equals("ready\n"));
      client.send(RESIZE, "{\"Width\":120,\"Height\":50}");
      ProcessRuntime.Session session = fixture.runtime.sessions.getFirst();
      SpdyRemoteCommandTest.await(() -> session.resizes.size() == 1);
      client.send(STDIN, "x\n");
      client.awaitClosed();
      assertEquals("ready\ngot x\n", client.text(STDOUT));
      assertEquals(List.of(new TerminalSize(120, 50)), session.resizes);
    }
  }

  @Test
  void exec_clientDrops_processKilled() throws Exception {
    URI url = fixture.exec(StreamingFixture.out(), "sleep", "1000");
    WebSocketTestClient client = WebSocketTestClient.connect(url, "v4.channel.k8s.io");
    SpdyRemoteCommandTest.await(() -> fixture.runtime.sessions.size() == 1);
    ProcessRuntime.Session session = fixture.runtime.sessions.getFirst();
    client.close();
    session.process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(session.closed);
  }

  @Test
  void connect_unsupportedSubprotocol_rejected() {
    URI url = fixture.shell(StreamingFixture.out(), "true");
    assertThrows(Exception.class, () -> WebSocketTestClient.connect(url, "v9.channel.k8s.io"));
    assertTrue(fixture.runtime.sessions.isEmpty());
  }
}
