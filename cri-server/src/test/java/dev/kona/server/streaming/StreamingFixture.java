package dev.kona.server.streaming;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** A started streaming server over {@link ProcessRuntime}, with a clock the test can move. */
final class StreamingFixture implements AutoCloseable {

  final ProcessRuntime runtime = new ProcessRuntime();
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final StreamingServer server;

  StreamingFixture() {
    this(StreamingConfig.defaults());
  }

  StreamingFixture(StreamingConfig config) {
    InstantSource clock = now::get;
    server = new StreamingServer(config, runtime, meters, clock);
    server.start();
  }

  void advance(Duration d) {
    now.updateAndGet(t -> t.plus(d));
  }

  URI exec(StdioOptions stdio, String... command) {
    return server.register(new ExecSpec("c1", List.of(command), stdio));
  }

  URI shell(StdioOptions stdio, String script) {
    return exec(stdio, "/bin/sh", "-c", script);
  }

  static StdioOptions out() {
    return new StdioOptions(false, true, true, false);
  }

  static StdioOptions inOut() {
    return new StdioOptions(true, true, false, false);
  }

  @Override
  public void close() {
    server.close();
    for (ProcessRuntime.Session s : runtime.sessions) {
      s.process.descendants().forEach(ProcessHandle::destroyForcibly);
      s.process.destroyForcibly();
    }
  }
}
