package dev.kona.server.streaming;

import java.time.Duration;

/** What every connection of one streaming server shares. */
record StreamingContext(
    StreamingConfig config, StreamingRuntime runtime, RequestCache cache, StreamingMetrics metrics) {

  /** How long we wait for a client to close after our last frame before closing ourselves. */
  Duration closeGrace() {
    return Duration.ofSeconds(10);
  }
}
