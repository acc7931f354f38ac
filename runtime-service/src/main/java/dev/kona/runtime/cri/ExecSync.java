package dev.kona.runtime.cri;

import com.google.protobuf.ByteString;
import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ExecSyncResponse;
import dev.kona.engine.ContainerId;
import dev.kona.engine.ContainerStatus;
import dev.kona.engine.ExecProcess;
import dev.kona.engine.ExecRequest;
import dev.kona.engine.ExitStatus;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.Containers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ExecSync: runs a command in the container and returns its output and exit code; what exec
 * probes and lifecycle hooks use. Output is capped like the kubelet's; a timeout kills the process.
 */
final class ExecSync {

  /** The kubelet reads at most this much of each stream. */
  static final int MAX_OUTPUT = 16 * 1024 * 1024;
  private static final Duration NO_TIMEOUT = Duration.ofDays(365);

  private final Containers containers;

  ExecSync(Containers containers) {
    this.containers = containers;
  }

  ExecSyncResponse handle(ExecSyncRequest request) {
    if (request.getCmdCount() == 0) {
      throw new InvalidArgumentException("cmd is required");
    }
    ContainerRecord record = containers.get(request.getContainerId());
    ContainerId id = new ContainerId(record.id());
    if (containers.stateOf(record).status() != ContainerStatus.RUNNING) {
      throw new FailedPreconditionException("exec in container " + record.id() + ": it is not running");
    }
    Duration timeout = request.getTimeout() > 0 ? Duration.ofSeconds(request.getTimeout()) : NO_TIMEOUT;
    try (ExecProcess process = containers.engineOf(record).exec(id,
        new ExecRequest(request.getCmdList(), List.of(), false, false))) {
      CompletableFuture<byte[]> stdout = drain(process.stdio().stdout());
      CompletableFuture<byte[]> stderr = drain(process.stdio().stderr());
      ExitStatus exit;
      try {
        exit = process.waitFor(timeout);
      } catch (DeadlineExceededException e) {
        process.kill(9);
        process.waitFor(Duration.ofSeconds(10));
        throw new DeadlineExceededException("exec " + request.getCmdList() + " in container " + record.id()
            + ": timed out after " + request.getTimeout() + " s; the process was killed");
      }
      return ExecSyncResponse.newBuilder()
          .setStdout(ByteString.copyFrom(stdout.join()))
          .setStderr(ByteString.copyFrom(stderr.join()))
          .setExitCode(exit.code())
          .build();
    }
  }

  /** Reads to EOF on a virtual thread, keeping the first {@link #MAX_OUTPUT} bytes. */
  private static CompletableFuture<byte[]> drain(InputStream in) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          int room = MAX_OUTPUT - kept.size();
          if (room > 0) {
            kept.write(buf, 0, Math.min(n, room));
          }
        }
      } catch (IOException e) {
        // the session ended; what was read is the output
      }
      result.complete(kept.toByteArray());
    });
    return result;
  }
}
