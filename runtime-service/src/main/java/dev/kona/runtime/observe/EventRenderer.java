package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.ContainerEventResponse;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.Containers;
import dev.kona.runtime.cri.ContainerProtos;
import dev.kona.runtime.cri.SandboxProtos;
import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.Sandboxes;
import java.util.function.Function;

/**
 * An event as the kubelet's evented PLEG reads it: the pod sandbox status and the statuses of the
 * pod's containers, so it can update its cache without asking back. A deleted container is no
 * longer among them. A sandbox event carries the sandbox as last seen; a container event of a pod
 * removed meanwhile leaves the sandbox status out, and the kubelet skips it.
 */
final class EventRenderer implements Function<ContainerEventHub.Event, ContainerEventResponse> {

  private final Sandboxes sandboxes;
  private final Containers containers;

  EventRenderer(Sandboxes sandboxes, Containers containers) {
    this.sandboxes = sandboxes;
    this.containers = containers;
  }

  @Override
  public ContainerEventResponse apply(ContainerEventHub.Event e) {
    String podId = e.sandboxId();
    ContainerEventResponse.Builder b = ContainerEventResponse.newBuilder()
        .setContainerId(e.id())
        .setContainerEventType(e.type())
        .setCreatedAt(e.atNanos());
    SandboxRecord pod = sandboxes.find(podId);
    if (pod == null) {
      pod = e.sandbox();
    }
    if (pod != null) {
      b.setPodSandboxStatus(SandboxProtos.toStatus(pod));
    }
    for (ContainerRecord c : containers.all()) {
      if (c.sandboxId().equals(podId)) {
        b.addContainersStatuses(ContainerProtos.toStatus(c, containers.stateOf(c)));
      }
    }
    return b.build();
  }
}
