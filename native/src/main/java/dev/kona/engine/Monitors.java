package dev.kona.engine;

import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.UnavailableException;
import dev.kona.linux.syscall.Errno;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.OwnedFd;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Talks to the monitor of one state directory (a container's or an exec's). */
final class Monitors {

  /** The status file, or null if there is none (yet). */
  MonitorStatus statusOrNull(Path dir) {
    try {
      return MonitorStatus.read(dir);
    } catch (IOException e) {
      throw new InternalException("read monitor status in " + dir, e);
    }
  }

  /** Sends a request; null when no monitor listens any more (the process has exited). */
  String request(Path dir, String request) {
    try (MonitorClient client = MonitorClient.connect(dir)) {
      String reply = client.request(request);
      if (reply == null) {
        throw new InternalException("monitor in " + dir + " closed the connection on \"" + request + "\"");
      }
      return reply;
    } catch (IOException e) {
      return null;
    }
  }

  void signal(Path dir, int signal) {
    String reply = request(dir, "kill " + signal);
    if (reply == null) {
      signalOrphan(dir, signal);
    } else if (!reply.equals("ok")) {
      throw new FailedPreconditionException("signal " + signal + " to the process of " + dir + ": " + reply);
    }
  }

  /**
   * A monitor killed from outside leaves its container running: signal the process directly,
   * through a pidfd taken after its start time matched, so a recycled pid is never hit.
   */
  private void signalOrphan(Path dir, int signal) {
    MonitorStatus status = statusOrNull(dir);
    if (status == null || status.stopped() || status.monitorAlive() || !status.processAlive()) {
      return;
    }
    try (OwnedFd pidfd = LinuxSyscalls.get().pidfdOpen(status.pid())) {
      if (status.processAlive()) {
        LinuxSyscalls.get().pidfdSendSignal(pidfd, signal);
      }
    } catch (NativeCallException e) {
      if (!e.is(Errno.ESRCH)) {
        throw e.toKonaException().withContext("signal orphaned container process " + status.pid());
      }
    }
  }

  /**
   * Blocks until the monitor reports the exit or is gone. A monitor that vanished without writing
   * an exit (killed from outside) yields exit code 255 once its orphaned process is gone too, since
   * the real code is unknowable.
   */
  ExitStatus waitForExit(Path dir, Duration timeout) {
    try (MonitorClient client = MonitorClient.connect(dir)) {
      client.send("wait");
      String reply = client.readLine(timeout);
      if (reply != null && reply.startsWith("error")) {
        throw new UnavailableException("wait for exit in " + dir + ": monitor refused: " + reply);
      }
    } catch (SocketTimeoutException e) {
      throw new DeadlineExceededException("wait for exit in " + dir + ": still running after " + timeout);
    } catch (IOException e) {
      // no monitor listening: it has finished, or died; the status file says which
    }
    for (int i = 0; i < 50; i++) {
      MonitorStatus status = statusOrNull(dir);
      if (status != null && status.stopped()) {
        return status.exit();
      }
      if (status == null || !status.monitorAlive()) {
        awaitOrphanExit(status, dir, timeout);
        return new ExitStatus(255, 0, false, Instant.now());
      }
      sleep(); // the monitor closed its socket and is about to rename the final status in
    }
    throw new InternalException("wait for exit in " + dir + ": monitor stopped listening but wrote no exit");
  }

  /** Without a monitor only the process's disappearance can be watched (its exit code is lost). */
  private static void awaitOrphanExit(MonitorStatus status, Path dir, Duration timeout) {
    long deadline = System.nanoTime() + (timeout == null ? Long.MAX_VALUE / 2 : timeout.toNanos());
    while (status != null && status.processAlive()) {
      if (System.nanoTime() > deadline) {
        throw new DeadlineExceededException("wait for exit in " + dir + ": orphaned process " + status.pid()
            + " still running after " + timeout);
      }
      sleep();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted while waiting for a monitor", e);
    }
  }
}
