package dev.kona.linux.systemd;

import java.util.List;
import java.util.Objects;

/**
 * One property of a transient unit as systemd's D-Bus API takes it: a name and a value of one of
 * the D-Bus types systemd uses for unit properties. Constructors per type, so that callers never
 * see the D-Bus library: {@link #string} (s), {@link #bool} (b), {@link #uint64} (t; -1 is
 * "infinity", i.e. 2^64-1), {@link #pids} (au), {@link #bytes} (ay, e.g. a CPU bitmask).
 */
public record UnitProperty(String name, Type type, Object value) {

  public enum Type { STRING, BOOLEAN, UINT64, UINT32_ARRAY, BYTE_ARRAY }

  /** systemd's "infinity" for uint64 limits (MemoryMax, TasksMax, CPUQuotaPerSecUSec). */
  public static final long INFINITY = -1L;

  public UnitProperty {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }

  public static UnitProperty string(String name, String value) {
    return new UnitProperty(name, Type.STRING, value);
  }

  public static UnitProperty bool(String name, boolean value) {
    return new UnitProperty(name, Type.BOOLEAN, value);
  }

  /** An unsigned 64-bit value; {@link #INFINITY} (-1) is 2^64-1. */
  public static UnitProperty uint64(String name, long value) {
    return new UnitProperty(name, Type.UINT64, value);
  }

  public static UnitProperty pids(String name, List<Long> pids) {
    return new UnitProperty(name, Type.UINT32_ARRAY, List.copyOf(pids));
  }

  public static UnitProperty bytes(String name, byte[] value) {
    return new UnitProperty(name, Type.BYTE_ARRAY, value.clone());
  }

  @Override
  public String toString() {
    Object shown = switch (type) {
      case BYTE_ARRAY -> java.util.HexFormat.of().formatHex((byte[]) value);
      case UINT64 -> (long) value == INFINITY ? "infinity" : Long.toUnsignedString((long) value);
      default -> value;
    };
    return name + "=" + shown;
  }
}
