package dev.kona.engine;

import dev.kona.engine.plan.ContainerPlanner;
import dev.kona.engine.plan.HostFacts;
import java.nio.file.Path;

/**
 * A stand-in daemon for the kill -9 test, run in its own JVM: creates and starts one container
 * with the native engine, prints "started", then waits to be killed.
 * Arguments: run root, shim, bundle, log path, container id.
 */
public final class DaemonStandIn {
  private DaemonStandIn() {}

  public static void main(String[] args) throws Exception {
    NativeEngine engine = new NativeEngine(new RunRoot(Path.of(args[0])), Path.of(args[1]),
        new ContainerPlanner(HostFacts.read(), null), CgroupPlacement.none(), 16384);
    ContainerId id = ContainerId.parse(args[4]);
    engine.create(new CreateRequest(id, Path.of(args[2]), Path.of(args[3]), false, false));
    engine.start(id);
    System.out.println("started");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
