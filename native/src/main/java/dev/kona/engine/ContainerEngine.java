package dev.kona.engine;

import java.time.Duration;
import java.util.List;

/**
 * Runs containers below the CRI: Kona's native engine, or runc/crun through the OCI command line.
 *
 * <p>Lifecycle: {@link #create} leaves the process fully set up and waiting; {@link #start} lets it
 * run the program; the process runs until it exits or is {@link #kill killed}; {@link #delete}
 * removes a stopped container's state. A container survives the daemon: a new engine over the same
 * run root finds it with {@link #list} and {@link #state}, with exits that happened meanwhile.
 *
 * <p>Errors are the common family: NotFound for an unknown id, AlreadyExists for create of a used
 * id, FailedPrecondition for a call in the wrong state (start of a running container, delete of a
 * running one), InvalidArgument for a bad bundle, DeadlineExceeded for a wait that timed out.
 * Kill and delete of a container already gone succeed. Implementations are thread-safe.
 */
public interface ContainerEngine {

  /** Short name: "kona", "runc", "crun". */
  String name();

  /** Sets the container up and leaves it waiting for start; on failure nothing is left behind. */
  ContainerState create(CreateRequest request);

  /** Lets a created container run its program; reports a missing or unrunnable program here. */
  void start(ContainerId id);

  /** Sends a signal to the container's first process; a stopped container is not an error. */
  void kill(ContainerId id, int signal);

  ContainerState state(ContainerId id);

  /** Blocks until the container has exited (or the timeout passes) and returns its exit status. */
  ExitStatus waitForExit(ContainerId id, Duration timeout);

  /** Removes a stopped or never-started container's state; unknown ids succeed. */
  void delete(ContainerId id);

  /** Starts an extra process in a running container, stdio already attached. */
  ExecProcess exec(ContainerId id, ExecRequest request);

  /** Attaches to a created or running container's stdio. */
  StdioSession attach(ContainerId id);

  /** Reopens the container's log file after the kubelet rotated it. */
  void reopenLog(ContainerId id);

  /** Every container under this engine's run root, including ones from an earlier daemon. */
  List<ContainerState> list();

  /**
   * Containers whose setup began but never reached a state {@link #list()} can show (a daemon
   * killed mid-create): only {@link #delete} can be done with them. Asked once at start, before any
   * create is in flight.
   */
  default List<ContainerId> unfinished() {
    return List.of();
  }

  /** Sends {@code signal}, waits up to {@code grace}, then SIGKILL; returns the exit status. */
  default ExitStatus stop(ContainerId id, int signal, Duration grace) {
    kill(id, signal);
    try {
      return waitForExit(id, grace);
    } catch (dev.kona.common.error.DeadlineExceededException e) {
      kill(id, 9);
      return waitForExit(id, Duration.ofSeconds(10));
    }
  }
}
