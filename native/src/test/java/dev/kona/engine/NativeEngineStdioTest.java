package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.FailedPreconditionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Attach, stdin, terminals and exec, on the real kernel (needs root). */
class NativeEngineStdioTest extends NativeEngineTestBase {

  static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      sb.append((char) c);
    }
    return sb.toString();
  }

  @Test
  void attach_stdinReachesProcessAndOutputComesBack() throws IOException {
    ContainerId id = create("cat", BusyboxBundle.spec(rootfs, false, "cat"), true);
    try (StdioSession s = engine.attach(id)) {
      engine.start(id);
      s.stdin().write("ping\n".getBytes(StandardCharsets.UTF_8));
      assertEquals("ping", readLine(s.stdout()));
      s.closeStdin();
      assertEquals(0, engine.waitForExit(id, WAIT).code());
      assertEquals("", readAll(s.stdout()));
    }
    assertTrue(log("cat").endsWith(" stdout F ping\n"), log("cat"));
  }

  @Test
  void attach_twoSessionsBothSeeOutput() throws IOException {
    ContainerId id = create("two", BusyboxBundle.spec(rootfs, false, "sh", "-c", "read x; echo got $x"), true);
    try (StdioSession a = engine.attach(id); StdioSession b = engine.attach(id)) {
      engine.start(id);
      a.stdin().write("it\n".getBytes(StandardCharsets.UTF_8));
      assertEquals("got it\n", readAll(a.stdout()));
      assertEquals("got it\n", readAll(b.stdout()));
    }
    engine.waitForExit(id, WAIT);
  }

  @Test
  void tty_outputThroughTerminalWithSize() throws IOException {
    ContainerId id = create("tty", BusyboxBundle.spec(rootfs, true, "sh", "-c", "test -t 1 && echo is-a-tty; stty size; test -c /dev/console && echo console"), false);
    try (StdioSession s = engine.attach(id)) {
      s.resize(100, 30);
      engine.start(id);
      String out = readAll(s.stdout());
      assertTrue(out.contains("is-a-tty\r\n30 100\r\nconsole\r\n"), out);
    }
    assertEquals(0, engine.waitForExit(id, WAIT).code());
    assertTrue(log("tty").contains(" stdout F is-a-tty\r\n"), log("tty"));
  }

  @Test
  void tty_terminalIsOneOfTheContainersOwnPts_alsoItsConsole() throws IOException {
    ContainerId id = create("ownpts", BusyboxBundle.spec(rootfs, true, "sh", "-c",
        "tty; ls /dev/pts; [ /dev/console -ef \"$(tty)\" ] && echo console"), false);
    try (StdioSession s = engine.attach(id)) {
      engine.start(id);
      String out = readAll(s.stdout());
      assertTrue(out.matches("(?s)/dev/pts/0\r\n0\s+ptmx\r\nconsole\r\n"), out);
    }
    assertEquals(0, engine.waitForExit(id, WAIT).code());
  }

  @Test
  void exec_ttyIsOneOfTheContainersOwnPts_withTerm() throws IOException {
    ContainerId id = run("execpts", "sleep", "1000");
    try (ExecProcess p = engine.exec(id, new ExecRequest(List.of("sh", "-c", "tty; echo TERM=$TERM; ls /dev/pts"),
        List.of(), true, false))) {
      String out = readAll(p.stdio().stdout());
      assertTrue(out.matches("(?s)/dev/pts/0\r\nTERM=xterm\r\n0\s+ptmx\r\n"), out);
      assertEquals(0, p.waitFor(WAIT).code());
    }
    try (ExecProcess p = engine.exec(id, new ExecRequest(List.of("sh", "-c", "echo TERM=$TERM"),
        List.of("TERM=vt100"), true, false))) {
      assertTrue(readAll(p.stdio().stdout()).contains("TERM=vt100\r\n"));
      p.waitFor(WAIT);
    }
  }

  @Test
  void exec_sessionClosed_stdinFailsWithIOException_closeStdinAndResizeAreQuiet() throws IOException {
    ContainerId id = run("gone", "sleep", "1000");
    ExecProcess p = engine.exec(id, new ExecRequest(List.of("cat"), List.of(), false, true));
    p.stdio().close();
    assertThrows(IOException.class, () -> p.stdio().stdin().write(new byte[] {'x'}));
    p.stdio().closeStdin();
    p.stdio().resize(80, 24);
    p.kill(9);
    p.waitFor(WAIT);
    p.close();
  }

  @Test
  void exec_streamsExitCodeAndContainerNamespaces() throws IOException {
    ContainerId id = run("host", "sleep", "1000");
    try (ExecProcess p = engine.exec(id, ExecRequest.of("sh", "-c", "cat /proc/1/cmdline; echo; hostname; echo err >&2; exit 7"))) {
      assertEquals("sleep\u00001000\u0000\nkona-test\n", readAll(p.stdio().stdout()));
      assertEquals("err\n", readAll(p.stdio().stderr()));
      assertEquals(7, p.waitFor(WAIT).code());
    }
    assertEquals(List.of(), Files.list(runRoot.resolve("exec")).toList());
  }

  @Test
  void exec_ttyAndStdin() throws IOException {
    ContainerId id = run("exectty", "sleep", "1000");
    try (ExecProcess p = engine.exec(id, new ExecRequest(List.of("sh", "-c", "test -t 0 && read x && echo tty:$x"), List.of(), true, true))) {
      p.stdio().stdin().write("hi\n".getBytes(StandardCharsets.UTF_8));
      String out = readAll(p.stdio().stdout());
      assertTrue(out.contains("tty:hi"), out);
      assertEquals(0, p.waitFor(WAIT).code());
    }
  }

  @Test
  void exec_missingProgramFailsClearlyAndLeavesNothing() throws IOException {
    ContainerId id = run("noexec", "sleep", "1000");
    FailedPreconditionException e = assertThrows(FailedPreconditionException.class,
        () -> engine.exec(id, ExecRequest.of("no-such-program")));
    assertTrue(e.getMessage().contains("exec no-such-program in container noexec: exec: no-such-program not found in PATH /bin"),
        e.getMessage());
    assertEquals(List.of(), Files.list(runRoot.resolve("exec")).toList());
    assertEquals(ContainerStatus.RUNNING, engine.state(id).status());
  }

  @Test
  void attach_stdinOnceClosesStdinWhenTheFirstAttacherLeaves() throws IOException {
    Path bundle = BusyboxBundle.write(dir, "once", BusyboxBundle.spec(rootfs, false, "cat"));
    ContainerId id = ContainerId.parse("once");
    engine.create(new CreateRequest(id, bundle, dir.resolve("once.log"), true, true));
    try (StdioSession s = engine.attach(id)) {
      engine.start(id);
      s.stdin().write("only\n".getBytes(StandardCharsets.UTF_8));
      assertEquals("only", readLine(s.stdout()));
    }
    assertEquals(0, engine.waitForExit(id, WAIT).code(), "cat saw EOF once the attacher left");
  }

  @Test
  @Timeout(30)
  void attach_stdinNobodyReadsDoesNotStallTheMonitor() throws IOException {
    ContainerId id = create("deaf", BusyboxBundle.spec(rootfs, false, "sh", "-c", "echo start; sleep 2; echo end"), true);
    try (StdioSession s = engine.attach(id)) {
      engine.start(id);
      assertEquals("start", readLine(s.stdout()));
      s.stdin().write(new byte[1 << 20]); // far more than a pipe holds; sh never reads it
      assertEquals("end", readLine(s.stdout()));
    }
    assertEquals(0, engine.waitForExit(id, WAIT).code());
  }

  @Test
  void tty_startsWithTheSpecConsoleSize() throws IOException {
    dev.kona.oci.spec.Spec spec = BusyboxBundle.spec(rootfs, true, "stty", "size");
    spec = spec.withProcess(new dev.kona.oci.spec.Process(true, new dev.kona.oci.spec.ConsoleSize(40, 120),
        spec.process().user(), spec.process().args(), spec.process().env(), "/", spec.process().capabilities(),
        List.of(), true, null, null, null));
    ContainerId id = create("sized", spec, false);
    engine.start(id);
    assertEquals(0, engine.waitForExit(id, WAIT).code());
    assertTrue(log("sized").contains(" stdout F 40 120\r\n"), log("sized"));
  }
}
