package dev.kona.engine;

import java.time.Duration;

/**
 * A started exec. Its stdio session was attached before the process started, so no output is
 * lost. {@link #close()} detaches and lets the process run on; {@link #kill} ends it.
 */
public interface ExecProcess extends AutoCloseable {

  StdioSession stdio();

  /** Blocks until exit or the timeout; throws DeadlineExceededException on timeout. */
  ExitStatus waitFor(Duration timeout);

  void kill(int signal);

  @Override
  void close();
}
