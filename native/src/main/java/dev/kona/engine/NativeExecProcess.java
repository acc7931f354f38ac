package dev.kona.engine;

import dev.kona.common.error.DeadlineExceededException;
import java.nio.file.Path;
import java.time.Duration;

/** An exec run by its own monitor under {@code exec/<id>/}; the directory goes once the exit is read. */
final class NativeExecProcess implements ExecProcess {
  private final String execId;
  private final Path dir;
  private final MonitorStdioSession session;
  private final Monitors monitors;

  NativeExecProcess(String execId, Path dir, MonitorStdioSession session, Monitors monitors) {
    this.execId = execId;
    this.dir = dir;
    this.session = session;
    this.monitors = monitors;
  }

  @Override
  public StdioSession stdio() {
    return session;
  }

  @Override
  public ExitStatus waitFor(Duration timeout) {
    try {
      ExitStatus exit = monitors.waitForExit(dir, timeout);
      RunRoot.deleteTree(dir);
      return exit;
    } catch (DeadlineExceededException e) {
      throw (DeadlineExceededException) e.withContext("wait for exec " + execId);
    }
  }

  @Override
  public void kill(int signal) {
    monitors.signal(dir, signal);
  }

  @Override
  public void close() {
    session.close();
    MonitorStatus status = monitors.statusOrNull(dir);
    if (status != null && status.stopped()) {
      RunRoot.deleteTree(dir);
    }
  }
}
