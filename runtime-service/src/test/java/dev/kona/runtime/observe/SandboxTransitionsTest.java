package dev.kona.runtime.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.SandboxSpec;
import dev.kona.runtime.sandbox.SandboxState;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxTransitionsTest {

  private final SandboxTransitions transitions = new SandboxTransitions();

  static SandboxRecord pod(String id, SandboxState state) {
    SandboxSpec spec = new SandboxSpec(new SandboxSpec.PodMetadata("p-" + id, "uid-" + id, "default", 0),
        null, null, null, null, null, null, null, null, null, false, null);
    return new SandboxRecord(id, spec, 1, state, "", "", "", "", "", List.of(), false);
  }

  private List<String> next(SandboxRecord... snapshot) {
    return transitions.next(List.of(snapshot)).stream()
        .map(t -> t.type().name().replace("CONTAINER_", "").replace("_EVENT", "") + " " + t.sandbox().id()
            + (t.sandbox().state() == SandboxState.READY ? "" : " notready"))
        .toList();
  }

  @Test
  void next_firstSnapshotIsTheBaseline() {
    assertEquals(List.of(), next(pod("a", SandboxState.READY), pod("b", SandboxState.NOTREADY)));
    assertEquals(List.of(), next(pod("a", SandboxState.READY), pod("b", SandboxState.NOTREADY)),
        "b was already stopped before the daemon started");
  }

  @Test
  void next_aPodsLife_eachEventOnce() {
    next();
    assertEquals(List.of("CREATED a", "STARTED a"), next(pod("a", SandboxState.READY)));
    assertEquals(List.of(), next(pod("a", SandboxState.READY)));
    assertEquals(List.of("STOPPED a notready"), next(pod("a", SandboxState.NOTREADY)));
    assertEquals(List.of(), next(pod("a", SandboxState.NOTREADY)));
    assertEquals(List.of("DELETED a notready"), next());
    assertEquals(List.of(), next());
  }

  @Test
  void next_removedBetweenSnapshots_stopsBeforeDeleting() {
    next(pod("a", SandboxState.READY));
    assertEquals(List.of("STOPPED a notready", "DELETED a notready"), next());
  }

  @Test
  void next_createdAndStoppedBetweenSnapshots() {
    next();
    assertEquals(List.of("CREATED b notready", "STARTED b notready", "STOPPED b notready"),
        next(pod("b", SandboxState.NOTREADY)));
  }
}
