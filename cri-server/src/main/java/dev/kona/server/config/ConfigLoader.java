package dev.kona.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the configuration in three layers: the embedded defaults, the TOML file (optional unless
 * named explicitly), then {@code --key=value} flags. Every key of the defaults is settable by a
 * flag: {@code --state_root=/x}, {@code --log.level=debug}, {@code --metrics.enabled=false}.
 * Errors say where (file or flag), which key, and what was expected.
 */
public final class ConfigLoader {

  public static final Path DEFAULT_FILE = Path.of("/etc/kona/kona.toml");
  private static final String DEFAULTS_RESOURCE = "/kona-default.toml";

  private static final java.util.regex.Pattern KEYED_PROBLEM =
      java.util.regex.Pattern.compile("([a-z_][a-z0-9_.]*): (.*)", java.util.regex.Pattern.DOTALL);

  private final TomlMapper mapper;

  public ConfigLoader() {
    this.mapper =
        TomlMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Optional keys (no default) may be absent; every other key comes from the defaults.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
  }

  /** The embedded defaults, as shipped (comments included): what {@code kona config default} prints. */
  public static String defaultsText() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + DEFAULTS_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("read " + DEFAULTS_RESOURCE, e);
    }
  }

  /**
   * @param file the config file; {@code null} means the default path, read only if it exists
   * @param flags {@code key -> value} from the command line, keys dotted as in the file
   */
  public KonaConfig load(Path file, Map<String, String> flags) throws ConfigException {
    ObjectNode merged = parse(defaultsText(), "embedded defaults");
    ObjectNode fromFile = null;
    Path source = file == null ? DEFAULT_FILE : file;
    try {
      fromFile = parse(Files.readString(source), "config " + source);
    } catch (NoSuchFileException e) {
      if (file != null) {
        throw new ConfigException("config " + source + ": file does not exist");
      }
    } catch (IOException e) {
      throw new ConfigException("config " + source + ": cannot read: " + e.getMessage());
    }
    if (fromFile != null) {
      merge(merged, fromFile);
    }
    ObjectNode defaults = parse(defaultsText(), "embedded defaults");
    for (Map.Entry<String, String> flag : flags.entrySet()) {
      applyFlag(merged, defaults, flag.getKey(), flag.getValue());
    }
    try {
      return mapper.treeToValue(merged, KonaConfig.class);
    } catch (JsonProcessingException e) {
      throw new ConfigException(describe(e, fromFile != null ? "config " + source : null, flags));
    }
  }

  private ObjectNode parse(String toml, String origin) throws ConfigException {
    try {
      JsonNode node = mapper.readTree(toml);
      return node instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : ": line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(origin + where + ": syntax error: " + e.getOriginalMessage());
    }
  }

  private static void merge(ObjectNode target, ObjectNode overlay) {
    for (Iterator<Map.Entry<String, JsonNode>> it = overlay.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode base && e.getValue() instanceof ObjectNode add) {
        merge(base, add);
      } else {
        target.set(e.getKey(), e.getValue());
      }
    }
  }

  private static void applyFlag(ObjectNode merged, ObjectNode defaults, String key, String value)
      throws ConfigException {
    String[] path = key.replace('-', '_').split("\\.");
    ObjectNode target = merged;
    JsonNode shape = defaults;
    for (int i = 0; i < path.length - 1; i++) {
      shape = shape == null ? null : shape.get(path[i]);
      if (!(shape instanceof ObjectNode) || !(target.get(path[i]) instanceof ObjectNode next)) {
        throw new ConfigException("flag --" + key + ": unknown key; see `kona config default`");
      }
      target = next;
    }
    String leaf = path[path.length - 1];
    JsonNode kind = shape == null ? null : shape.get(leaf);
    if (kind != null && kind.isObject()) {
      throw new ConfigException("flag --" + key + ": is a table; set its keys, e.g. --" + key + ".<key>=...");
    }
    if (kind == null && path.length == 1) {
      throw new ConfigException("flag --" + key + ": unknown key; see `kona config default`");
    }
    // Optional keys (no default) inside a known table are taken as text; binding rejects unknown ones.
    target.set(leaf, kind == null ? JsonNodeFactory.instance.textNode(value) : typed(kind, value, key));
  }

  /** A flag's text read as the type the defaults have at that key. */
  private static JsonNode typed(JsonNode kind, String value, String key) throws ConfigException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (kind.isBoolean()) {
      return switch (value) {
        case "true" -> f.booleanNode(true);
        case "false" -> f.booleanNode(false);
        default -> throw new ConfigException("flag --" + key + ": expected true or false, got \"" + value + "\"");
      };
    }
    if (kind.isIntegralNumber()) {
      try {
        return f.numberNode(Long.parseLong(value));
      } catch (NumberFormatException e) {
        throw new ConfigException("flag --" + key + ": expected an integer, got \"" + value + "\"");
      }
    }
    if (kind.isArray()) {
      ArrayNode array = f.arrayNode();
      for (String part : value.isEmpty() ? new String[0] : value.split(",")) {
        array.add(part.trim());
      }
      return array;
    }
    return f.textNode(value);
  }

  private static String describe(JsonProcessingException e, String fileOrigin, Map<String, String> flags) {
    String key = e instanceof JsonMappingException m ? dotted(m.getPath()) : "";
    String origin = originOf(key, fileOrigin, flags);
    if (e instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
      return origin + ": unknown key \"" + key + "\"; expected one of: " + known;
    }
    if (e instanceof ValueInstantiationException v) {
      // Config records validate in their constructors and start the message with the key.
      String problem = (v.getCause() == null ? v : v.getCause()).getMessage();
      java.util.regex.Matcher m = KEYED_PROBLEM.matcher(problem);
      if (m.matches()) {
        String leaf = m.group(1);
        String full = leaf.contains(".") || key.isEmpty() ? leaf : key + "." + leaf;
        return originOf(full, fileOrigin, flags) + ": key \"" + full + "\": " + m.group(2);
      }
      return origin + ": " + (key.isEmpty() ? "" : "key \"" + key + "\": ") + problem;
    }
    if (e instanceof InvalidFormatException f) {
      String detail = f.getCause() != null ? f.getCause().getMessage() : "got " + f.getValue();
      return origin + ": key \"" + key + "\": " + detail;
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return origin + ": key \"" + key + "\": expected " + typeName(m.getTargetType()) + ", got another type";
    }
    return origin + ": " + (key.isEmpty() ? "" : "key \"" + key + "\": ") + e.getOriginalMessage();
  }

  private static String originOf(String key, String fileOrigin, Map<String, String> flags) {
    for (String flag : flags.keySet()) {
      if (flag.replace('-', '_').equals(key)) {
        return "flag --" + flag;
      }
    }
    return fileOrigin != null ? fileOrigin : "configuration";
  }

  private static String dotted(List<JsonMappingException.Reference> path) {
    List<String> parts = new ArrayList<>();
    for (JsonMappingException.Reference ref : path) {
      if (ref.getFieldName() != null) {
        parts.add(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        parts.add("[" + ref.getIndex() + "]");
      }
    }
    return String.join(".", parts).replace(".[", "[");
  }

  private static String typeName(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class || type.isEnum()) {
      return "a string";
    }
    if (type.isRecord()) {
      return "a table";
    }
    if (List.class.isAssignableFrom(type)) {
      return "an array";
    }
    return type.getSimpleName();
  }
}
