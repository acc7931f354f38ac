package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.ContainerFilter;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.ListContainersResponse;
import dev.kona.engine.ContainerState;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.Containers;

/** ListContainers with the id, sandbox, state and label filters. */
final class ListContainers {

  private final Containers containers;

  ListContainers(Containers containers) {
    this.containers = containers;
  }

  ListContainersResponse handle(ListContainersRequest request) {
    ContainerFilter f = request.getFilter();
    ListContainersResponse.Builder response = ListContainersResponse.newBuilder();
    for (ContainerRecord r : containers.all()) {
      if (!f.getId().isEmpty() && !r.id().startsWith(f.getId())) {
        continue;
      }
      if (!f.getPodSandboxId().isEmpty() && !r.sandboxId().startsWith(f.getPodSandboxId())) {
        continue;
      }
      if (!ListPodSandbox.matches(f.getLabelSelectorMap(), r.spec().labels())) {
        continue;
      }
      ContainerState state = containers.stateOf(r);
      if (f.hasState() && ContainerProtos.state(state) != f.getState().getState()) {
        continue;
      }
      response.addContainers(ContainerProtos.toListItem(r, state));
    }
    return response.build();
  }
}
