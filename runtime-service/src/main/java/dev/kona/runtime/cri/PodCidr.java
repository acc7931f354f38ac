package dev.kona.runtime.cri;

import java.util.concurrent.atomic.AtomicReference;

/** The node's pod CIDR as the kubelet last sent it through UpdateRuntimeConfig; empty until then. */
final class PodCidr {

  private final AtomicReference<String> cidr = new AtomicReference<>("");

  String get() {
    return cidr.get();
  }

  void set(String value) {
    cidr.set(value);
  }
}
