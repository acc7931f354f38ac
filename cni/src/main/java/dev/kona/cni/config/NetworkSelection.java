package dev.kona.cni.config;

/** The outcome of looking for the network config: the network, or the reason there is none. */
public sealed interface NetworkSelection {

  /** A valid network config. */
  record Found(NetworkConfigList network) implements NetworkSelection {}

  /** No usable config; {@code reason} names the directory or file and the problem. */
  record Missing(String reason) implements NetworkSelection {}
}
