package dev.kona.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GrpcMetricsTest {

  @Test
  void finished_countsByMethodAndCode_andRecordsBuckets() {
    try (KonaMeters meters = new KonaMeters()) {
      GrpcMetrics grpc = new GrpcMetrics(meters.registry());
      grpc.finished("runtime.v1.RuntimeService/Version", "OK", grpc.started());
      grpc.finished("runtime.v1.RuntimeService/Version", "OK", grpc.started());
      grpc.finished("runtime.v1.RuntimeService/Status", "INTERNAL", grpc.started());

      String text = meters.scrape();
      assertTrue(
          text.contains("kona_grpc_requests_total{code=\"OK\",method=\"runtime.v1.RuntimeService/Version\"} 2.0"), text);
      assertTrue(
          text.contains("kona_grpc_requests_total{code=\"INTERNAL\",method=\"runtime.v1.RuntimeService/Status\"} 1.0"), text);
      assertTrue(text.contains("kona_grpc_request_duration_seconds_bucket{method=\"runtime.v1.RuntimeService/Version\",le=\"1.0E-4\"}"), text);
      assertTrue(text.contains("kona_grpc_request_duration_seconds_bucket{method=\"runtime.v1.RuntimeService/Version\",le=\"60.0\"}"), text);
      assertTrue(text.contains("kona_grpc_requests_in_flight 0.0"), text);
      assertTrue(text.contains("jvm_memory_used_bytes"), text);
    }
  }
}
