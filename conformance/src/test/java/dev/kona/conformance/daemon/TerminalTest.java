package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.ExecClient;
import dev.kona.cri.api.v1.AttachRequest;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.KeyValue;
import dev.kona.cri.api.v1.StartContainerRequest;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Terminals over the socket and the streaming server, as {@code crictl exec -it} and {@code kubectl
 * attach -it} use them: the process's terminal is one of the container's own /dev/pts, TERM is
 * set, resizes reach it, and a client that goes away ends the session without an exception.
 */
class TerminalTest extends OnePodSuite {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern PTS = Pattern.compile("/dev/pts/(\\d+)\r?\n");

  TerminalTest() {
    super(registry, registry::image, "term");
  }

  private String run(String name, boolean tty, List<KeyValue> env, String... command) {
    ContainerConfig config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .addAllCommand(List.of(command))
        .addAllEnvs(env)
        .setTty(tty).setStdin(tty)
        .setLogPath(name + "/0.log")
        .build();
    String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder()
        .setPodSandboxId(pod).setConfig(config)
        .setSandboxConfig(PodSandboxTest.config("term")).build()).getContainerId();
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    return id;
  }

  private String execUrl(String id, boolean tty, boolean stdin, String... command) {
    return kona.runtime().exec(ExecRequest.newBuilder().setContainerId(id).addAllCmd(List.of(command))
        .setTty(tty).setStdin(stdin).setStdout(true).setStderr(!tty).build()).getUrl();
  }

  private String execSync(String id, String script) {
    return kona.runtime().execSync(ExecSyncRequest.newBuilder().setContainerId(id)
        .addAllCmd(List.of("sh", "-c", script)).setTimeout(10).build()).getStdout().toStringUtf8();
  }

  /** The terminal's number from `tty` output, after checking `ls /dev/pts` (printed after it) lists it. */
  private static String ownPts(String out) {
    Matcher m = PTS.matcher(out);
    assertTrue(m.find(), "tty printed a /dev/pts path: " + out);
    String n = m.group(1);
    String after = out.substring(m.end());
    assertTrue(after.matches("(?s).*(^|\\s)" + n + "(\\s.*|$)"), "ls /dev/pts inside shows " + n + ": " + out);
    return n;
  }

  @Test
  void execTty_terminalIsTheContainersOwnPts_andTermIsSet() throws Exception {
    String id = run("shell", false, List.of(), "sleep", "1000");
    try (ExecClient client = ExecClient.connect(execUrl(id, true, false,
        "sh", "-c", "tty; echo TERM=$TERM; ls /dev/pts"))) {
      client.awaitServerClose(WAIT);
      String out = client.text(ExecClient.STDOUT);
      assertFalse(out.contains("not a tty"), out);
      ownPts(out);
      assertTrue(out.contains("TERM=xterm\r\n"), out);
      assertTrue(client.text(ExecClient.STATUS).contains("\"Success\""), client.text(ExecClient.STATUS));
    }
    // Without a terminal nothing is added to the environment.
    assertEquals("TERM=\n", execSync(id, "echo TERM=$TERM"));
  }

  @Test
  void ttyContainer_mainProcessExecAndAttach_haveTheirOwnPts_andTheContainersTermWins() throws Exception {
    String id = run("console", true, List.of(), "sh");
    String custom = run("custom", true,
        List.of(KeyValue.newBuilder().setKey("TERM").setValue(ByteString.copyFromUtf8("vt100")).build()), "sh");

    // Attach to the main process: the shell answers on a terminal of the container's own devpts.
    String out = attachAndRun(id, "tty; echo TERM=$TERM");
    String mainPts = ownPts(out + "\n" + execSync(id, "ls /dev/pts"));
    assertTrue(out.contains("TERM=xterm\r\n"), out);
    // That terminal is also the container's /dev/console.
    String devices = execSync(id, "stat -L -c '%t:%T' /dev/console /dev/pts/" + mainPts);
    assertTrue(devices.matches("(\\S+)\n\\1\n"), devices);

    // An exec with a terminal in the same container gets another one of its ptys.
    try (ExecClient client = ExecClient.connect(execUrl(id, true, false, "sh", "-c", "tty; ls /dev/pts"))) {
      client.awaitServerClose(WAIT);
      String execPts = ownPts(client.text(ExecClient.STDOUT));
      assertNotEquals(mainPts, execPts, client.text(ExecClient.STDOUT));
    }

    // TERM from the container's own env is kept, for the main process and for execs.
    assertTrue(attachAndRun(custom, "echo TERM=$TERM").contains("TERM=vt100\r\n"));
    try (ExecClient client = ExecClient.connect(execUrl(custom, true, false, "sh", "-c", "echo TERM=$TERM"))) {
      client.awaitServerClose(WAIT);
      assertTrue(client.text(ExecClient.STDOUT).contains("TERM=vt100\r\n"), client.text(ExecClient.STDOUT));
    }
  }

  /**
   * Types {@code line} into the container's shell through an attach; what the terminal showed (the
   * echoed line, then the output) up to an end marker.
   */
  private String attachAndRun(String id, String line) throws Exception {
    String url = kona.runtime().attach(AttachRequest.newBuilder().setContainerId(id)
        .setStdin(true).setStdout(true).setTty(true).build()).getUrl();
    try (ExecClient client = ExecClient.connect(url)) {
      client.send(ExecClient.STDIN, line + "; echo end-$((6*7))\r");
      return client.await(ExecClient.STDOUT, s -> s.contains("end-42\r\n"), WAIT);
    }
  }

  @Test
  void execTty_resizeReachesTheTerminal() throws Exception {
    String id = run("resize", false, List.of(), "sleep", "1000");
    try (ExecClient client = ExecClient.connect(execUrl(id, true, true,
        "sh", "-c", "while read x; do stty size; done"))) {
      client.resize(101, 31);
      // The resize and stdin travel apart: ask again until the new size shows.
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!client.text(ExecClient.STDOUT).contains("31 101\r\n") && System.nanoTime() < deadline) {
        client.send(ExecClient.STDIN, "\r");
        Thread.sleep(100);
      }
      assertTrue(client.text(ExecClient.STDOUT).contains("31 101\r\n"), client.text(ExecClient.STDOUT));
      client.resize(77, 22);
      client.await(ExecClient.STDOUT, s -> {
        client.send(ExecClient.STDIN, "\r");
        return s.contains("22 77\r\n");
      }, WAIT);
    }
  }

  @Test
  void clientGoneMidExec_sessionEndsQuietly_andTheProcessIsKilled() throws Exception {
    String id = run("leave", false, List.of(), "sleep", "1000");
    byte[] chunk = new byte[32 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'x');

    // An interactive shell on a terminal, left while its input is still flowing.
    try (ExecClient client = ExecClient.connect(execUrl(id, true, true, "sh"))) {
      client.send(ExecClient.STDIN, "echo ready; sleep 777\r");
      client.await(ExecClient.STDOUT, s -> s.contains("ready\r\n"), WAIT);
      for (int i = 0; i < 32; i++) {
        client.send(ExecClient.STDIN, chunk);
      }
      client.abort();
    }
    // A process that never reads its stdin, left while the input backs up.
    try (ExecClient client = ExecClient.connect(execUrl(id, false, true, "sleep", "778"))) {
      for (int i = 0; i < 32; i++) {
        client.send(ExecClient.STDIN, chunk);
      }
      Thread.sleep(300);
      client.abort();
    }
    // A shell that exits while the client is still typing, then half-closes its stdin.
    try (ExecClient client = ExecClient.connect(execUrl(id, true, true, "sh"))) {
      client.send(ExecClient.STDIN, "exit\r");
      for (int i = 0; i < 8; i++) {
        client.send(ExecClient.STDIN, "echo more\r");
      }
      client.closeStdin();
      client.awaitServerClose(WAIT);
    }

    String script = "for d in /proc/[0-9]*; do tr '\\0' ' ' < $d/cmdline; echo; done";
    long deadline = System.nanoTime() + WAIT.toNanos();
    String procs = execSync(id, script);
    while ((procs.contains("sleep 777") || procs.contains("sleep 778")) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      procs = execSync(id, script);
    }
    assertFalse(procs.contains("sleep 777") || procs.contains("sleep 778"), "exec processes killed: " + procs);
    Thread.sleep(500); // anything the session's threads would still log
    String log = kona.log();
    assertFalse(log.contains("Exception in thread") || log.contains("UncheckedIOException") || log.contains("\n\tat "),
        "the daemon logged an exception:\n" + log);
  }
}
