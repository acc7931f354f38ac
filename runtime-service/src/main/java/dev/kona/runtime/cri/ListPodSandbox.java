package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.ListPodSandboxResponse;
import dev.kona.cri.api.v1.PodSandboxFilter;
import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.Sandboxes;
import java.util.Map;

/** ListPodSandbox with the id (or prefix), state and label-selector filters; all in memory. */
final class ListPodSandbox {

  private final Sandboxes sandboxes;

  ListPodSandbox(Sandboxes sandboxes) {
    this.sandboxes = sandboxes;
  }

  ListPodSandboxResponse handle(ListPodSandboxRequest request) {
    PodSandboxFilter filter = request.getFilter();
    ListPodSandboxResponse.Builder response = ListPodSandboxResponse.newBuilder();
    for (SandboxRecord r : sandboxes.all()) {
      if (!filter.getId().isEmpty() && !r.id().startsWith(filter.getId())) {
        continue;
      }
      if (filter.hasState() && SandboxProtos.state(r.state()) != filter.getState().getState()) {
        continue;
      }
      if (!matches(filter.getLabelSelectorMap(), r.spec().labels())) {
        continue;
      }
      response.addItems(SandboxProtos.toListItem(r));
    }
    return response.build();
  }

  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    for (Map.Entry<String, String> want : selector.entrySet()) {
      if (!want.getValue().equals(labels.get(want.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
