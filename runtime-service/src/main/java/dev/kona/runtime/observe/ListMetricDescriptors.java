package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.ListMetricDescriptorsResponse;

/** ListMetricDescriptors: the fixed catalogue of {@link CriMetric}s, container then network metrics. */
final class ListMetricDescriptors {

  private static final ListMetricDescriptorsResponse RESPONSE = build();

  ListMetricDescriptorsResponse handle() {
    return RESPONSE;
  }

  private static ListMetricDescriptorsResponse build() {
    ListMetricDescriptorsResponse.Builder b = ListMetricDescriptorsResponse.newBuilder();
    for (CriMetric m : CriMetric.values()) {
      b.addDescriptors(m.descriptor());
    }
    for (CriMetric.Network m : CriMetric.Network.values()) {
      b.addDescriptors(m.descriptor());
    }
    return b.build();
  }
}
