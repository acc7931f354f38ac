package dev.kona.linux.systemd;

import dev.kona.common.error.UnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The part of systemd's manager ({@code org.freedesktop.systemd1.Manager} on the system bus) that
 * the systemd cgroup driver uses: transient units, started and stopped as jobs whose end
 * ({@code JobRemoved}) each call waits for. {@link #connect} opens the real one (dbus-java behind
 * it; nothing else in Kona sees the library); close it at shutdown.
 *
 * <p>Errors are the Kona family: a job that ends other than "done" is FailedPrecondition naming
 * the unit and systemd's result, a job not finished within the timeout DeadlineExceeded, systemd
 * refusing the call (a bad property, "Scope has no PIDs") InvalidArgument or FailedPrecondition
 * with systemd's message, the bus gone Unavailable. Stop and reset of a unit that is not loaded
 * are success.
 */
public interface SystemdManager extends AutoCloseable {

  /** How long a job may take before a call gives up (TCG nodes are slow; systemd is usually ms). */
  Duration JOB_TIMEOUT = Duration.ofSeconds(90);

  /** systemd's version string, e.g. "252.30-1~deb12u2"; a cheap proof that it answers. */
  String version();

  /** {@code StartTransientUnit(name, "replace", properties)}, then waits for its job's result. */
  void startTransientUnit(String name, List<UnitProperty> properties);

  /** {@code StopUnit(name, "replace")} and waits; a unit that is not loaded is already stopped. */
  void stopUnit(String name);

  /** Forgets a failed unit's state ({@code ResetFailedUnit}); missing or not failed is fine. */
  void resetFailedUnit(String name);

  /** {@code SetUnitProperties(name, runtime=true, ...)}: changes a running unit's properties. */
  void setUnitProperties(String name, List<UnitProperty> properties);

  /** The unit's {@code ActiveState} ("active", "failed", ...), empty when systemd has no such unit loaded. */
  Optional<String> activeState(String name);

  /** A string property of the unit's {@code org.freedesktop.systemd1.Unit} interface, empty when not loaded. */
  Optional<String> unitProperty(String name, String property);

  @Override
  void close();

  /** Connects to systemd on the system bus; Unavailable with the reason when it is not there. */
  static SystemdManager connect() throws UnavailableException {
    return dev.kona.linux.systemd.bus.DbusSystemdManager.connect();
  }
}
