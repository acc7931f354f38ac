package dev.kona.oci.runc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.engine.CreateRequest;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.OpenFlags;
import dev.kona.linux.syscall.OwnedFd;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.oci.spec.SpecJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts conmon (CRI-O's container monitor, Debian package {@code conmon}) to run
 * {@code <runtime> create} for a container and then stay as its monitor: it holds the
 * container's stdio, writes the CRI log ({@code k8s-file}), reaps it and writes its exit code,
 * and lives on without the daemon. conmon double-forks; its create result comes back as one
 * JSON line on the "sync pipe", here a FIFO that a shell opens as fd 3, since Java cannot hand a
 * child extra descriptors.
 */
final class ConmonLauncher {
  static final Path CONMON = Path.of("/usr/bin/conmon");
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);

  private final Syscalls sys;
  private final Path conmon;

  ConmonLauncher(Syscalls sys, Path conmon) {
    this.sys = sys;
    this.conmon = conmon;
  }

  /** Creates the container through conmon; returns the container's pid. */
  int create(OciRuntime runtime, ContainerDir dir, CreateRequest request, boolean terminal) {
    sys.mkfifo(dir.syncFifo().toString(), 0600);
    try {
      // conmon links <socket dir>/<id> to the bundle, where it puts the attach socket.
      Files.createDirectories(dir.socketDir());
    } catch (IOException e) {
      throw new InternalException("create " + dir.socketDir() + ": " + e.getMessage(), e);
    }
    List<String> command = new ArrayList<>(List.of(
        "/bin/sh", "-c", "exec 3<>\"$0\"; exec \"$@\"", dir.syncFifo().toString(),
        conmon.toString(), "--api-version", "1",
        "--cid", request.id().value(), "--cuuid", request.id().value(), "--name", request.id().value(),
        "--runtime", runtime.binary().toString(),
        "--bundle", request.bundle().toString(),
        "--container-pidfile", dir.pidFile().toString(),
        "--conmon-pidfile", dir.conmonPidFile().toString(),
        "--persist-dir", dir.dir().toString(),
        "--socket-dir-path", dir.socketDir().toString(),
        "--log-level", "error",
        // conmon otherwise calls sync(2) for the whole host at each container exit, which took
        // over a second here and holds up delete; the log file is written as output arrives.
        "--no-sync-log"));
    for (String option : runtime.globalOptions()) {
      command.add("--runtime-arg");
      command.add(option);
    }
    if (request.logPath() != null) {
      command.add("--log-path");
      command.add("k8s-file:" + request.logPath());
    } else {
      command.add("--log-path");
      command.add("none:");
    }
    if (request.stdin()) {
      command.add("--stdin");
      if (!request.stdinOnce()) {
        command.add("--leave-stdin-open");
      }
    }
    if (terminal) {
      command.add("--terminal");
    }
    // conmon writes its "oom" marker into its working directory: make that the container's dir,
    // where ContainerDir looks for it (and not the daemon's cwd).
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(dir.dir().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectErrorStream(true);
    pb.environment().put("_OCI_SYNCPIPE", "3");
    try {
      Process launcher = pb.start();
      // conmon's first process forks the monitor and exits at once.
      String early = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = launcher.waitFor();
      if (rc != 0) {
        throw new InternalException("create container " + request.id() + ": conmon exited " + rc + ": " + early.strip());
      }
    } catch (IOException e) {
      throw new InternalException("create container " + request.id() + ": start conmon: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("create container " + request.id() + ": interrupted", e);
    }
    return readSync(dir, request);
  }

  private static boolean conmonAlive(ContainerDir dir) {
    try {
      long pid = Long.parseLong(Files.readString(dir.conmonPidFile()).strip());
      return Pids.running(pid);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  private int readSync(ContainerDir dir, CreateRequest request) {
    String line = readLine(dir, request);
    JsonNode json;
    try {
      json = SpecJson.mapper().readTree(line);
    } catch (IOException e) {
      throw new InternalException("create container " + request.id() + ": conmon said \"" + line + "\"", e);
    }
    int pid = json.path("data").asInt(-1);
    if (pid <= 0) {
      String message = json.path("message").asText("no message");
      throw new InvalidArgumentException("create container " + request.id() + ": " + message.strip());
    }
    return pid;
  }

  private String readLine(ContainerDir dir, CreateRequest request) {
    long deadline = System.nanoTime() + CREATE_TIMEOUT.toNanos();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    boolean monitorGone = false;
    try (OwnedFd fd = sys.open(dir.syncFifo().toString(), OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK, 0)) {
      byte[] chunk = new byte[4096];
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new DeadlineExceededException("create container " + request.id()
              + ": no answer from conmon after " + CREATE_TIMEOUT);
        }
        // A FIFO opened after its last writer died never reports hang-up: watch conmon too.
        boolean ready = sys.pollReadable(fd, (int) Math.min(left, 100));
        if (!ready && !monitorGone) {
          monitorGone = !conmonAlive(dir);
          continue;
        }
        int n;
        try {
          n = sys.read(fd, chunk);
        } catch (NativeCallException e) {
          n = monitorGone ? 0 : -1; // EAGAIN: no data yet
        }
        if (n < 0) {
          continue;
        }
        if (n == 0) {
          throw new InternalException("create container " + request.id()
              + ": conmon exited without a result" + (buffer.size() > 0 ? ": " + buffer : ""));
        }
        buffer.write(chunk, 0, n);
        String text = buffer.toString(StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        if (newline >= 0) {
          return text.substring(0, newline);
        }
      }
    }
  }
}
