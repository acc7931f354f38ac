package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.ContainerEventType;
import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.SandboxState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns successive snapshots of the pod sandboxes into the sandbox events containerd sends (the
 * container id is the sandbox's): created and started when one appears, stopped when it turns
 * NOTREADY, deleted when it is gone; each once, and a stop never skipped before a delete. The
 * kubelet's evented PLEG drops a pod from its cache on the sandbox's deleted event.
 */
final class SandboxTransitions {

  /** One sandbox event, with the record to render it from (the last one seen, for deleted). */
  record Transition(ContainerEventType type, SandboxRecord sandbox) {}

  private Map<String, SandboxRecord> known;
  private final Set<String> stopped = new HashSet<>();

  /** The events since the previous snapshot; the first snapshot is the baseline and yields none. */
  List<Transition> next(Collection<SandboxRecord> snapshot) {
    Map<String, SandboxRecord> now = new HashMap<>();
    snapshot.forEach(s -> now.put(s.id(), s));
    List<Transition> out = new ArrayList<>();
    if (known == null) {
      now.values().stream().filter(s -> s.state() != SandboxState.READY).forEach(s -> stopped.add(s.id()));
      known = now;
      return out;
    }
    for (SandboxRecord s : snapshot) {
      if (!known.containsKey(s.id())) {
        out.add(new Transition(ContainerEventType.CONTAINER_CREATED_EVENT, s));
        out.add(new Transition(ContainerEventType.CONTAINER_STARTED_EVENT, s));
      }
      if (s.state() != SandboxState.READY && stopped.add(s.id())) {
        out.add(new Transition(ContainerEventType.CONTAINER_STOPPED_EVENT, s));
      }
    }
    for (SandboxRecord gone : known.values()) {
      if (!now.containsKey(gone.id())) {
        SandboxRecord last = gone.withState(SandboxState.NOTREADY);
        if (stopped.add(gone.id())) {
          out.add(new Transition(ContainerEventType.CONTAINER_STOPPED_EVENT, last));
        }
        out.add(new Transition(ContainerEventType.CONTAINER_DELETED_EVENT, last));
        stopped.remove(gone.id());
      }
    }
    known = now;
    return out;
  }
}
