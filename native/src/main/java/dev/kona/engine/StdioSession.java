package dev.kona.engine;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * One connection to a process's stdio through its monitor (an attach, or an exec's own stdio).
 * Several sessions may be open on one container; each sees the output produced while it is open.
 * With a terminal, everything arrives on {@link #stdout()} and {@link #stderr()} stays empty.
 * {@link #close()} detaches; it never signals the process.
 */
public interface StdioSession extends AutoCloseable {

  /**
   * Writes to the process's stdin (discarded if the process has none); an {@link java.io.IOException}
   * once the session or the process is over.
   */
  OutputStream stdin();

  /** Ends at EOF once the process's output is closed (it exited) or the session is closed. */
  InputStream stdout();

  InputStream stderr();

  /** Closes the process's stdin (EOF for the reader inside); nothing once the session is over. */
  void closeStdin();

  /** Resizes the terminal; ignored without one, or once the session is over. */
  void resize(int columns, int rows);

  @Override
  void close();
}
