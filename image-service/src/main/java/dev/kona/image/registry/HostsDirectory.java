package dev.kona.image.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.image.ref.ImageReference;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * containerd's hosts directory ({@code images.config_path}, default {@code /etc/kona/certs.d}):
 * {@code <dir>/<registry>/hosts.toml}, read at each pull so that an edit applies to the next pull
 * without a restart. A file Kona cannot read whole (an unknown key, a wrong type, TOML syntax, a
 * client certificate) fails the pull with FAILED_PRECONDITION naming the file and the key, instead
 * of being silently ignored.
 */
public final class HostsDirectory {

  public static final Path DEFAULT = Path.of("/etc/kona/certs.d");
  static final List<String> ALL_CAPABILITIES = List.of("pull", "resolve", "push");
  private static final Set<String> HOST_KEYS = Set.of("capabilities", "skip_verify", "ca", "client", "header",
      "override_path", "username", "password", "identity_token", "registry_token");
  private static final Set<String> TOP_KEYS;
  private static final TomlMapper TOML = new TomlMapper();

  static {
    Set<String> top = new TreeSet<>(HOST_KEYS);
    top.add("server");
    top.add("host");
    TOP_KEYS = Set.copyOf(top);
  }

  private final Path dir;

  public HostsDirectory(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** The registry's hosts.toml, or empty when there is none. */
  public Optional<HostsFile> read(String registry) {
    if (dir == null || registry.contains("/") || registry.startsWith(".")) {
      return Optional.empty();
    }
    Path file = dir.resolve(registry).resolve("hosts.toml");
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new FailedPreconditionException("read " + file + ": " + e.getMessage(), e);
    }
    return Optional.of(parse(file, registry, text));
  }

  static HostsFile parse(Path file, String registry, String text) {
    Map<String, Object> root;
    try {
      root = TOML.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new FailedPreconditionException("read " + file + ": not valid TOML: " + e.getMessage(), e);
    }
    unknownKeys(file, "", root, TOP_KEYS);
    List<HostsFile.Host> hosts = new ArrayList<>();
    Object hostTables = root.get("host");
    if (hostTables != null) {
      for (Map.Entry<String, Object> e : table(file, "host", hostTables).entrySet()) {
        String key = "host.\"" + e.getKey() + "\"";
        Map<String, Object> t = table(file, key, e.getValue());
        unknownKeys(file, key + ".", t, HOST_KEYS);
        hosts.add(host(file, key, url(file, key, e.getKey()), t));
      }
    }
    HostsFile.Host server = null;
    if (root.containsKey("server")) {
      server = host(file, "server", url(file, "server", string(file, "server", root.get("server"))), root);
    } else if (root.keySet().stream().anyMatch(k -> !k.equals("host"))) {
      // settings for the default server, as containerd applies them
      String host = registry.equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : registry;
      server = host(file, "server", URI.create("https://" + host), root);
    }
    return new HostsFile(file, hosts, server);
  }

  private static HostsFile.Host host(Path file, String key, URI base, Map<String, Object> t) {
    String prefix = key.equals("server") ? "" : key + ".";
    if (t.containsKey("client")) {
      throw new FailedPreconditionException(file + ": " + prefix + "client: client certificates are not supported"
          + " by Kona yet; remove the key, or the host");
    }
    List<String> capabilities = t.containsKey("capabilities")
        ? strings(file, prefix + "capabilities", t.get("capabilities")) : ALL_CAPABILITIES;
    for (String c : capabilities) {
      if (!ALL_CAPABILITIES.contains(c)) {
        throw new FailedPreconditionException(file + ": " + prefix + "capabilities: \"" + c
            + "\" is not one of pull, resolve, push");
      }
    }
    List<Path> ca = new ArrayList<>();
    if (t.containsKey("ca")) {
      for (String p : strings(file, prefix + "ca", t.get("ca"))) {
        Path path = Path.of(p);
        ca.add(path.isAbsolute() ? path : file.getParent().resolve(path));
      }
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (t.containsKey("header")) {
      table(file, prefix + "header", t.get("header")).forEach((name, value) ->
          headers.put(name, strings(file, prefix + "header." + name, value)));
    }
    Credentials credentials = new Credentials(optional(file, prefix + "username", t.get("username")),
        optional(file, prefix + "password", t.get("password")),
        optional(file, prefix + "identity_token", t.get("identity_token")),
        optional(file, prefix + "registry_token", t.get("registry_token")));
    return new HostsFile.Host(base, capabilities, bool(file, prefix + "skip_verify", t.get("skip_verify")), ca,
        headers, bool(file, prefix + "override_path", t.get("override_path")), credentials);
  }

  private static URI url(Path file, String key, String text) {
    String withScheme = text.contains("://") ? text : "https://" + text;
    if (!withScheme.startsWith("http://") && !withScheme.startsWith("https://")) {
      throw new FailedPreconditionException(file + ": " + key + ": \"" + text + "\" must be http:// or https://");
    }
    try {
      URI uri = URI.create(withScheme);
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new FailedPreconditionException(file + ": " + key + ": \"" + text + "\" is not a URL: " + e.getMessage());
    }
  }

  private static void unknownKeys(Path file, String prefix, Map<String, Object> t, Set<String> known) {
    for (String k : t.keySet()) {
      if (!known.contains(k)) {
        throw new FailedPreconditionException(file + ": " + prefix + k + ": unknown key; expected one of "
            + new TreeSet<>(known));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> table(Path file, String key, Object value) {
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new FailedPreconditionException(file + ": " + key + ": expected a table");
  }

  private static String string(Path file, String key, Object value) {
    if (value instanceof String s) {
      return s;
    }
    throw new FailedPreconditionException(file + ": " + key + ": expected a string");
  }

  private static String optional(Path file, String key, Object value) {
    return value == null ? null : string(file, key, value);
  }

  private static boolean bool(Path file, String key, Object value) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw new FailedPreconditionException(file + ": " + key + ": expected true or false");
  }

  /** A string or an array of strings. */
  private static List<String> strings(Path file, String key, Object value) {
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      for (Object o : list) {
        out.add(string(file, key, o));
      }
      return out;
    }
    throw new FailedPreconditionException(file + ": " + key + ": expected a string or an array of strings");
  }
}
