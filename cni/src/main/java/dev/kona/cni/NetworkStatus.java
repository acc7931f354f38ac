package dev.kona.cni;

/**
 * The NetworkReady condition for the CRI Status RPC.
 *
 * @param ready whether pods can get a network now
 * @param reason a CamelCase reason when not ready ("NetworkPluginNotReady"), empty when ready
 * @param message what is wrong: the file or plugin and the problem; empty when ready
 */
public record NetworkStatus(boolean ready, String reason, String message) {

  public static final String NOT_READY = "NetworkPluginNotReady";

  public static NetworkStatus ok() {
    return new NetworkStatus(true, "", "");
  }

  public static NetworkStatus notReady(String message) {
    return new NetworkStatus(false, NOT_READY, message);
  }
}
