package dev.kona.runtime.cdi;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kona.common.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Container Device Interface specs of this node (KEP-4009): {@code *.json}, {@code *.yaml} and
 * {@code *.yml} files in the configured directories ({@code /etc/cdi}, then {@code /var/run/cdi}),
 * read afresh for each container that asks for a device, so a DRA driver's newly written spec is
 * seen at once. A device named in a later directory wins over the same name in an earlier one, as
 * the CDI specification orders them. A file that does not parse or validate is skipped and logged
 * once (again only after it changed); it never hides the other files. Thread-safe.
 */
public final class CdiSpecs {

  private static final Logger LOG = LoggerFactory.getLogger(CdiSpecs.class);
  /** The spec versions the CDI specification has released. */
  static final Set<String> VERSIONS = Set.of("0.3.0", "0.4.0", "0.5.0", "0.5.1", "0.6.0", "0.7.0", "0.8.0",
      "1.0.0", "1.1.0");
  private static final Pattern KIND = Pattern.compile(
      "[a-z0-9]([a-z0-9.-]*[a-z0-9])?/[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9_.:-]*[a-zA-Z0-9])?");
  private static final Set<String> HOOKS = Set.of("prestart", "createRuntime", "createContainer", "startContainer",
      "poststart", "poststop");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  private static final ObjectMapper YAML = new YAMLMapper()
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private final List<Path> dirs;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  public CdiSpecs(List<Path> dirs) {
    this.dirs = List.copyOf(dirs);
  }

  public List<Path> dirs() {
    return dirs;
  }

  /**
   * The merged edits of the named devices ({@code vendor.com/class=name}), each device's spec-wide
   * edits once per spec and then the device's own. {@code devices} maps each name to the request
   * field it came from, for the error: INVALID_ARGUMENT naming the first device no spec declares.
   */
  public CdiEdits resolve(Map<String, String> devices) {
    if (devices.isEmpty()) {
      return CdiEdits.NONE;
    }
    Map<String, Declared> known = load();
    CdiEdits edits = CdiEdits.NONE;
    Set<Path> specsApplied = new HashSet<>();
    for (Map.Entry<String, String> d : devices.entrySet()) {
      Declared declared = known.get(d.getKey());
      if (declared == null) {
        throw new InvalidArgumentException(d.getValue() + ": unresolvable CDI device \"" + d.getKey()
            + "\": no CDI spec in " + dirs + " declares it");
      }
      if (specsApplied.add(declared.file())) {
        edits = edits.plus(declared.specEdits());
      }
      edits = edits.plus(declared.deviceEdits());
    }
    return edits;
  }

  /** A device as a spec file declares it. */
  record Declared(Path file, CdiEdits specEdits, CdiEdits deviceEdits) {}

  private Map<String, Declared> load() {
    Map<String, Declared> known = new LinkedHashMap<>();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> files;
      try (Stream<Path> list = Files.list(dir)) {
        files = list.filter(CdiSpecs::isSpecFile).sorted().toList();
      } catch (IOException e) {
        reportOnce(dir.toString(), "CDI spec directory " + dir + " unreadable: " + e.getMessage());
        continue;
      }
      for (Path file : files) {
        try {
          known.putAll(parse(file));
        } catch (IOException | RuntimeException e) {
          reportOnce(identity(file), "CDI spec " + file + " ignored: " + e.getMessage());
        }
      }
    }
    return known;
  }

  private static boolean isSpecFile(Path p) {
    String name = p.getFileName().toString();
    return (name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml")) && Files.isRegularFile(p);
  }

  /** The file as it is now: a changed file is reported again. */
  private static String identity(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return file + "@" + a.lastModifiedTime().toMillis() + "/" + a.size();
    } catch (IOException e) {
      return file.toString();
    }
  }

  private void reportOnce(String key, String message) {
    if (reported.add(key)) {
      LOG.warn(message);
    }
  }

  /** The devices of one spec file, by fully-qualified name. */
  static Map<String, Declared> parse(Path file) throws IOException {
    ObjectMapper mapper = file.getFileName().toString().endsWith(".json") ? JSON : YAML;
    CdiSpecJson spec = mapper.readValue(file.toFile(), CdiSpecJson.class);
    if (spec == null) {
      throw new IllegalArgumentException("empty document");
    }
    if (spec.cdiVersion() == null || !VERSIONS.contains(spec.cdiVersion())) {
      throw new IllegalArgumentException("cdiVersion \"" + spec.cdiVersion() + "\" is not one of " + VERSIONS);
    }
    if (spec.kind() == null || !KIND.matcher(spec.kind()).matches()) {
      throw new IllegalArgumentException("kind \"" + spec.kind() + "\" is not vendor/class");
    }
    if (spec.devices() == null || spec.devices().isEmpty()) {
      throw new IllegalArgumentException("devices: a spec declares at least one device");
    }
    CdiEdits specEdits = edits(List.of(), spec.containerEdits(), "containerEdits");
    Map<String, Declared> devices = new LinkedHashMap<>();
    for (int i = 0; i < spec.devices().size(); i++) {
      CdiSpecJson.DeviceJson d = spec.devices().get(i);
      if (d == null || d.name() == null || !NAME.matcher(d.name()).matches()) {
        throw new IllegalArgumentException("devices[" + i + "].name \"" + (d == null ? null : d.name())
            + "\" is not a device name");
      }
      String qualified = spec.kind() + "=" + d.name();
      if (devices.containsKey(qualified)) {
        throw new IllegalArgumentException("devices[" + i + "]: " + qualified + " is declared twice");
      }
      devices.put(qualified, new Declared(file, specEdits,
          edits(List.of(qualified), d.containerEdits(), "devices[" + i + "].containerEdits")));
    }
    return devices;
  }

  private static CdiEdits edits(List<String> from, CdiSpecJson.EditsJson e, String field) {
    if (e == null) {
      return new CdiEdits(from, List.of(), List.of(), List.of(), List.of(), List.of());
    }
    List<String> env = new ArrayList<>();
    for (String kv : orEmpty(e.env())) {
      if (kv == null || kv.indexOf('=') <= 0) {
        throw new IllegalArgumentException(field + ".env: \"" + kv + "\" is not KEY=VALUE");
      }
      env.add(kv);
    }
    List<CdiEdits.DeviceNode> nodes = new ArrayList<>();
    for (CdiSpecJson.DeviceNodeJson n : orEmpty(e.deviceNodes())) {
      absolute(n == null ? null : n.path(), field + ".deviceNodes[].path");
      String host = n.hostPath() == null || n.hostPath().isEmpty() ? n.path() : n.hostPath();
      absolute(host, field + ".deviceNodes[].hostPath");
      String permissions = n.permissions() == null || n.permissions().isEmpty() ? "rwm" : n.permissions();
      if (!permissions.matches("[rwm]{1,3}") || permissions.chars().distinct().count() != permissions.length()) {
        throw new IllegalArgumentException(field + ".deviceNodes[" + n.path() + "].permissions \"" + permissions
            + "\" is not a combination of r, w and m");
      }
      String type = n.type() == null || n.type().isEmpty() ? null : n.type();
      if (type != null && !type.equals("c") && !type.equals("u") && !type.equals("b") && !type.equals("p")) {
        throw new IllegalArgumentException(field + ".deviceNodes[" + n.path() + "].type \"" + type
            + "\" is not one of c, u, b, p");
      }
      if ((n.major() != null && n.major() < 0) || (n.minor() != null && n.minor() < 0)) {
        throw new IllegalArgumentException(field + ".deviceNodes[" + n.path() + "]: negative major or minor");
      }
      nodes.add(new CdiEdits.DeviceNode(n.path(), host, permissions, n.fileMode(), n.uid(), n.gid(), type, n.major(),
          n.minor()));
    }
    List<CdiEdits.Mount> mounts = new ArrayList<>();
    for (CdiSpecJson.MountJson m : orEmpty(e.mounts())) {
      absolute(m == null ? null : m.hostPath(), field + ".mounts[].hostPath");
      absolute(m.containerPath(), field + ".mounts[].containerPath");
      if (m.type() != null && !m.type().isEmpty() && !m.type().equals("bind")) {
        throw new IllegalArgumentException(field + ".mounts[" + m.containerPath() + "].type \"" + m.type()
            + "\": only bind mounts are supported");
      }
      mounts.add(new CdiEdits.Mount(m.hostPath(), m.containerPath(), orEmpty(m.options())));
    }
    List<CdiEdits.Hook> hooks = new ArrayList<>();
    for (CdiSpecJson.HookJson h : orEmpty(e.hooks())) {
      if (h == null || !HOOKS.contains(h.hookName())) {
        throw new IllegalArgumentException(field + ".hooks[].hookName \"" + (h == null ? null : h.hookName())
            + "\" is not one of " + HOOKS);
      }
      absolute(h.path(), field + ".hooks[].path");
      hooks.add(new CdiEdits.Hook(h.hookName(), h.path(), orEmpty(h.args()), orEmpty(h.env()), h.timeout()));
    }
    List<Long> gids = new ArrayList<>();
    for (Long gid : orEmpty(e.additionalGids())) {
      if (gid == null || gid < 0 || gid > 0xFFFF_FFFEL) {
        throw new IllegalArgumentException(field + ".additionalGids: " + gid + " is not a gid");
      }
      gids.add(gid);
    }
    return new CdiEdits(from, env, nodes, mounts, hooks, gids);
  }

  private static void absolute(String path, String field) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException(field + " \"" + path + "\" must be an absolute path");
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
