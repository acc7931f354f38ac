package dev.kona.linux.systemd.bus;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * The methods and the signal of {@code org.freedesktop.systemd1.Manager} that Kona calls, as
 * dbus-java binds them (public only because dbus-java reflects on them; use
 * {@link dev.kona.linux.systemd.SystemdManager}).
 */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
public interface Systemd1Manager extends DBusInterface {

  @DBusMemberName("StartTransientUnit")
  DBusPath startTransientUnit(String name, String mode, List<Property> properties, List<AuxUnit> aux);

  @DBusMemberName("StopUnit")
  DBusPath stopUnit(String name, String mode);

  @DBusMemberName("ResetFailedUnit")
  void resetFailedUnit(String name);

  @DBusMemberName("SetUnitProperties")
  void setUnitProperties(String name, boolean runtime, List<Property> properties);

  @DBusMemberName("GetUnit")
  DBusPath getUnit(String name);

  @DBusMemberName("Subscribe")
  void subscribe();

  /** {@code (sv)}: a unit property. */
  final class Property extends Struct {
    @Position(0)
    private final String name;
    @Position(1)
    private final Variant<?> value;

    public Property(String name, Variant<?> value) {
      this.name = name;
      this.value = value;
    }

    public String getName() {
      return name;
    }

    public Variant<?> getValue() {
      return value;
    }
  }

  /** {@code (sa(sv))}: an auxiliary unit of StartTransientUnit (Kona passes none). */
  final class AuxUnit extends Struct {
    @Position(0)
    private final String name;
    @Position(1)
    private final List<Property> properties;

    public AuxUnit(String name, List<Property> properties) {
      this.name = name;
      this.properties = properties;
    }

    public String getName() {
      return name;
    }

    public List<Property> getProperties() {
      return properties;
    }
  }

  /** {@code JobRemoved(u id, o job, s unit, s result)}: a job ended with "done", "failed", .... */
  class JobRemoved extends DBusSignal {
    private final DBusPath job;
    private final String unit;
    private final String result;

    public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result) throws DBusException {
      super(path, id, job, unit, result);
      this.job = job;
      this.unit = unit;
      this.result = result;
    }

    public DBusPath job() {
      return job;
    }

    public String unit() {
      return unit;
    }

    public String result() {
      return result;
    }
  }
}
