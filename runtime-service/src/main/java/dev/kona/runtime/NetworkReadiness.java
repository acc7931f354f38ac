package dev.kona.runtime;

/** Whether pods can get a network now; feeds the NetworkReady condition of {@code Status}. */
@FunctionalInterface
public interface NetworkReadiness {

  Readiness check();

  /** @param reason a CamelCase reason when not ready, as the kubelet shows it; empty when ready */
  record Readiness(boolean ready, String reason, String message) {
    public static Readiness ok() {
      return new Readiness(true, "", "");
    }
  }
}
