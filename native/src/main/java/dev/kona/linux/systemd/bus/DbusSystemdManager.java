package dev.kona.linux.systemd.bus;

import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.UnavailableException;
import dev.kona.linux.systemd.SystemdManager;
import dev.kona.linux.systemd.UnitProperty;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SystemdManager} over the system bus with dbus-java (its JDK unix-socket transport). It
 * subscribes to the manager's signals once; every {@code JobRemoved} for a unit some call waits on
 * completes that call's future, matched by job path (the signal may arrive before the call's reply).
 */
public final class DbusSystemdManager implements SystemdManager {
  private static final Logger log = LoggerFactory.getLogger(DbusSystemdManager.class);
  private static final String BUS_NAME = "org.freedesktop.systemd1";
  private static final String PATH = "/org/freedesktop/systemd1";
  private static final String UNIT_INTERFACE = "org.freedesktop.systemd1.Unit";
  private static final String NO_SUCH_UNIT = "org.freedesktop.systemd1.NoSuchUnit";
  private static final String NOT_LOADED = "org.freedesktop.systemd1.LoadFailed";

  private final DBusConnection connection;
  private final Systemd1Manager manager;
  /** unit name → job path → result, for the units a call is waiting on. */
  private final Map<String, Map<String, CompletableFuture<String>>> waiting = new ConcurrentHashMap<>();
  private final AutoCloseable signals;

  private DbusSystemdManager(DBusConnection connection) throws DBusException {
    this.connection = connection;
    this.manager = connection.getRemoteObject(BUS_NAME, PATH, Systemd1Manager.class);
    this.signals = connection.addSigHandler(Systemd1Manager.JobRemoved.class, this::jobRemoved);
    manager.subscribe();
  }

  public static DbusSystemdManager connect() {
    DBusConnection connection = null;
    try {
      connection = DBusConnectionBuilder.forSystemBus().withShared(false).build();
      DbusSystemdManager m = new DbusSystemdManager(connection);
      m.version(); // systemd answers, not only the bus
      return m;
    } catch (DBusException | DBusExecutionException | KonaException e) {
      if (connection != null) {
        connection.disconnect();
      }
      throw new UnavailableException("connect to systemd on the system bus: " + e.getMessage(), e);
    }
  }

  private void jobRemoved(Systemd1Manager.JobRemoved signal) {
    Map<String, CompletableFuture<String>> jobs = waiting.get(signal.unit());
    if (jobs != null) {
      jobs.computeIfAbsent(signal.job().getPath(), k -> new CompletableFuture<>()).complete(signal.result());
    }
  }

  @Override
  public String version() {
    try {
      Properties props = connection.getRemoteObject(BUS_NAME, PATH, Properties.class);
      return text(props.Get("org.freedesktop.systemd1.Manager", "Version"));
    } catch (DBusException | DBusExecutionException e) {
      throw failure("read systemd's version", e);
    }
  }

  @Override
  public void startTransientUnit(String name, List<UnitProperty> properties) {
    runJob("start unit " + name + " " + properties, name,
        () -> manager.startTransientUnit(name, "replace", toDbus(properties), List.of()));
  }

  @Override
  public void stopUnit(String name) {
    try {
      runJob("stop unit " + name, name, () -> manager.stopUnit(name, "replace"));
    } catch (KonaException e) {
      if (!(e.getCause() instanceof DBusExecutionException d && isNoSuchUnit(d))) {
        throw e;
      }
    }
  }

  @Override
  public void resetFailedUnit(String name) {
    try {
      manager.resetFailedUnit(name);
    } catch (DBusExecutionException e) {
      if (!isNoSuchUnit(e)) {
        log.debug("reset failed unit {}: {}", name, e.getMessage());
      }
    }
  }

  @Override
  public void setUnitProperties(String name, List<UnitProperty> properties) {
    try {
      manager.setUnitProperties(name, true, toDbus(properties));
    } catch (DBusExecutionException e) {
      throw failure("set properties of unit " + name + " " + properties, e);
    }
  }

  @Override
  public Optional<String> activeState(String name) {
    return unitProperty(name, "ActiveState");
  }

  @Override
  public Optional<String> unitProperty(String name, String property) {
    try {
      DBusPath unit = manager.getUnit(name);
      Properties props = connection.getRemoteObject(BUS_NAME, unit.getPath(), Properties.class);
      return Optional.of(text(props.Get(UNIT_INTERFACE, property)));
    } catch (DBusExecutionException e) {
      if (isNoSuchUnit(e)) {
        return Optional.empty();
      }
      throw failure("read " + property + " of unit " + name, e);
    } catch (DBusException e) {
      throw failure("read " + property + " of unit " + name, e);
    }
  }

  private interface JobCall {
    DBusPath call();
  }

  /** Makes the call, then waits for JobRemoved of the job it returned; anything but "done" fails. */
  private void runJob(String what, String unit, JobCall call) {
    Map<String, CompletableFuture<String>> jobs = new ConcurrentHashMap<>();
    // One caller per unit at a time (the cgroup driver serializes by container); a second one would
    // share the map, which is still correct as results are matched by job path.
    Map<String, CompletableFuture<String>> existing = waiting.putIfAbsent(unit, jobs);
    Map<String, CompletableFuture<String>> mine = existing == null ? jobs : existing;
    try {
      DBusPath job;
      try {
        job = call.call();
      } catch (DBusExecutionException e) {
        throw failure(what, e);
      }
      String result;
      try {
        result = mine.computeIfAbsent(job.getPath(), k -> new CompletableFuture<>())
            .get(JOB_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new DeadlineExceededException(what + ": systemd job " + job.getPath() + " not finished after " + JOB_TIMEOUT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InternalException(what + ": interrupted while waiting for systemd", e);
      } catch (ExecutionException e) {
        throw new InternalException(what, e.getCause());
      }
      mine.remove(job.getPath());
      if (!result.equals("done")) {
        throw new FailedPreconditionException(what + ": systemd job result \"" + result + "\", expected \"done\"");
      }
    } finally {
      if (existing == null) {
        waiting.remove(unit, jobs);
      }
    }
  }

  /** A property's value as text, whether the library hands it over unwrapped or as its Variant. */
  private static String text(Object value) {
    return String.valueOf(value instanceof Variant<?> v ? v.getValue() : value);
  }

  static boolean isNoSuchUnit(DBusExecutionException e) {
    String type = e.getType();
    return NO_SUCH_UNIT.equals(type) || NOT_LOADED.equals(type)
        || (e.getMessage() != null && e.getMessage().contains("not loaded"));
  }

  private static KonaException failure(String what, Exception e) {
    String type = e instanceof DBusExecutionException d && d.getType() != null ? d.getType() + ": " : "";
    String message = what + ": " + type + e.getMessage();
    if (e instanceof DBusExecutionException d && "org.freedesktop.DBus.Error.InvalidArgs".equals(d.getType())) {
      return new InvalidArgumentException(message, e);
    }
    if (e instanceof DBusExecutionException) {
      return new FailedPreconditionException(message, e);
    }
    return new UnavailableException(message, e);
  }

  static List<Systemd1Manager.Property> toDbus(List<UnitProperty> properties) {
    List<Systemd1Manager.Property> out = new ArrayList<>();
    for (UnitProperty p : properties) {
      Variant<?> v = switch (p.type()) {
        case STRING -> new Variant<>((String) p.value());
        case BOOLEAN -> new Variant<>((Boolean) p.value());
        case UINT64 -> new Variant<>(new UInt64(new BigInteger(Long.toUnsignedString((Long) p.value()))));
        case UINT32_ARRAY -> {
          @SuppressWarnings("unchecked")
          List<Long> pids = (List<Long>) p.value();
          yield new Variant<>(pids.stream().map(UInt32::new).toList(), "au");
        }
        case BYTE_ARRAY -> new Variant<>((byte[]) p.value());
      };
      out.add(new Systemd1Manager.Property(p.name(), v));
    }
    return out;
  }

  @Override
  public void close() {
    try {
      signals.close();
    } catch (Exception e) {
      log.debug("remove JobRemoved handler: {}", e.getMessage());
    }
    try {
      connection.close();
    } catch (IOException e) {
      log.debug("close the system bus connection: {}", e.getMessage());
    }
  }
}
