package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.NotFoundException;
import dev.kona.oci.spec.LinuxNamespace;
import dev.kona.oci.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pod-level PID namespace with Kona's init as PID 1, on the real kernel (needs root). */
class PodInitsTest extends NativeEngineTestBase {

  @Test
  void containersOfThePodSeeInitAsPid1() throws IOException {
    PodInits inits = engine.podInits();
    int pid = inits.start("pod1", List.of());
    try {
      Path pidNs = inits.pidNamespace("pod1");
      assertEquals(Path.of("/proc/" + pid + "/ns/pid"), pidNs);
      Spec spec = BusyboxBundle.spec(rootfs, false, "sh", "-c", "cat /proc/1/cmdline; echo; echo $$");
      List<LinuxNamespace> namespaces = new ArrayList<>(spec.linux().namespaces());
      namespaces.replaceAll(ns -> ns.type().equals(LinuxNamespace.PID) ? LinuxNamespace.join(LinuxNamespace.PID, pidNs.toString()) : ns);
      ContainerId id = create("member", spec.withLinux(spec.linux().withNamespaces(namespaces)), false);
      engine.start(id);
      assertEquals(0, engine.waitForExit(id, WAIT).code());
      List<String> lines = log("member").lines().toList();
      assertTrue(lines.get(0).contains("kona-shim") && lines.get(0).contains("pod-init/pod1"), lines.get(0));
      assertFalse(lines.get(1).endsWith(" 1"), "the container is not PID 1: " + lines.get(1));
      engine.delete(id);
    } finally {
      inits.stop("pod1");
    }
    assertFalse(Files.exists(runRoot.resolve("pod-init/pod1")));
    assertThrows(NotFoundException.class, () -> inits.pidNamespace("pod1"));
  }

  @Test
  void init_reapsOrphansOfThePod() throws Exception {
    PodInits inits = engine.podInits();
    int initPid = inits.start("pod2", List.of());
    try {
      Spec spec = BusyboxBundle.spec(rootfs, false, "sh", "-c", "sleep 0.2 & exit 0");
      List<LinuxNamespace> namespaces = new ArrayList<>(spec.linux().namespaces());
      namespaces.replaceAll(ns -> ns.type().equals(LinuxNamespace.PID)
          ? LinuxNamespace.join(LinuxNamespace.PID, inits.pidNamespace("pod2").toString()) : ns);
      ContainerId id = create("parent", spec.withLinux(spec.linux().withNamespaces(namespaces)), false);
      engine.start(id);
      assertEquals(0, engine.waitForExit(id, WAIT).code());
      Thread.sleep(600); // the orphaned sleep ends, re-parented to the pod's init
      assertEquals(List.of(), childrenOf(initPid), "the pod's init left zombies or strays");
      engine.delete(id);
    } finally {
      inits.stop("pod2");
    }
  }

  private static List<String> childrenOf(int pid) throws IOException {
    List<String> children = new ArrayList<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        try {
          String status = Files.readString(p.resolve("status"));
          if (status.contains("\nPPid:\t" + pid + "\n")) {
            children.add(p.getFileName() + " " + status.lines().filter(l -> l.startsWith("State:")).findFirst().orElse(""));
          }
        } catch (IOException e) {
          // gone meanwhile
        }
      }
    }
    return children;
  }
}
