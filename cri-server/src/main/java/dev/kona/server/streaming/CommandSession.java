package dev.kona.server.streaming;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A running exec or an attach as the streaming server drives it. The server reads {@link
 * #stdout()} and {@link #stderr()} to EOF on their own threads (dropping a stream the client did
 * not ask for, so the process never blocks on it), writes {@link #stdin()} from another only if
 * the client asked for stdin, and calls {@link #awaitExit()} once the requested output has ended.
 * {@link #close()} ends the session when the command is over, and at once when the client goes
 * away mid-stream; it may come more than once and from any thread.
 */
public interface CommandSession extends AutoCloseable {

  /** The process's stdin; writes block while the process does not read. */
  OutputStream stdin();

  /** The process's stdout (with a terminal: everything). EOF when the process closed it. */
  InputStream stdout();

  /** The process's stderr; never read with a terminal. */
  InputStream stderr();

  /** EOF for the reader inside: the client finished its stdin. */
  void closeStdin();

  /** Resizes the terminal; only called for sessions with one. */
  void resize(TerminalSize size);

  /**
   * Blocks until the command ended and returns its exit code (128+n for signal n). For attach the
   * value is not reported to the client.
   */
  int awaitExit() throws InterruptedException;

  /**
   * Ends the session: an exec's process is killed if it still runs; an attach only detaches.
   * Idempotent.
   */
  @Override
  void close();
}
