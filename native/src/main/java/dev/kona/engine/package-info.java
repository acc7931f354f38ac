/**
 * Container engines below the CRI: the {@link dev.kona.engine.ContainerEngine} interface and
 * Kona's {@link dev.kona.engine.NativeEngine}.
 *
 * <p>The native engine drives {@code kona-shim} (C, {@code native/src/main/c}), packaged in this
 * jar and installed by {@link dev.kona.engine.ShimBinary}. Java decides everything and writes a
 * launch plan ({@link dev.kona.engine.plan}); {@code kona-shim create <dir>} forks a monitor that
 * detaches (new session, parent exits), clones the container process, carries the plan out and
 * reports "created" once the process waits for start, or the failed step with its errno.
 *
 * <p>Run root layout: {@code containers/<id>/} holds {@code plan}, {@code bundle},
 * {@code config.json} (a copy), {@code status} (written by the monitor, temp file + rename, at
 * created, running and stopped) and {@code ctl.sock}; {@code exec/<exec-id>/} the same for an exec;
 * {@code pod-init/<pod-id>/} for a pod's PID 1; {@code bin/} the installed helper.
 *
 * <p>Control socket: one request line, one reply line: {@code start}, {@code kill <n>},
 * {@code reopen}, {@code state} answer {@code ok} or {@code error <errno> <message>};
 * {@code wait} answers {@code exited <code> <signal> <oom>} at the exit; {@code attach} answers
 * {@code ok} and then carries frames both ways (type byte, 4-byte big-endian length, payload:
 * 0 stdin, 1 stdout, 2 stderr, 3 exit, 4 close stdin, 5 resize as columns and rows, 2 bytes each).
 */
package dev.kona.engine;
