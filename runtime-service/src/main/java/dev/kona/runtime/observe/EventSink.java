package dev.kona.runtime.observe;

/**
 * Where one subscriber's events go: the gRPC stream in the daemon, a recording fake in tests.
 * {@link #isReady} is false while the transport holds what the client has not read yet.
 */
interface EventSink<T> {

  boolean isReady();

  void send(T event);

  /** Ends the stream with an error; nothing is sent after. */
  void fail(RuntimeException error);

  /** Runs {@code handler} whenever {@link #isReady} turns true. */
  void onReady(Runnable handler);

  /** Runs {@code handler} once when the client goes away. */
  void onCancel(Runnable handler);
}
