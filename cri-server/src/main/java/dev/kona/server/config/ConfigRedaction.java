package dev.kona.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The effective config as {@code crictl info} (Status verbose) shows it, without secrets: the value
 * of every key that holds a credential (registry {@code password}, {@code identity_token},
 * {@code registry_token}, and any key whose name says password, secret, token, auth or
 * credential, when it is text or a table: {@code streaming.token_ttl_seconds} is a number) becomes
 * {@value #PLACEHOLDER}, the key itself stays so the reader sees it is set;
 * the password of a {@code user:password@} in any URL likewise. Paths (such as
 * {@code ca_file} or {@code streaming.tls_key_file}) stay: they name a file, not its contents.
 */
public final class ConfigRedaction {

  public static final String PLACEHOLDER = "<redacted>";

  private static final List<String> SECRET_WORDS = List.of("password", "secret", "token", "auth", "credential");
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/@:\\s]*):[^/@\\s]*@");

  private ConfigRedaction() {}

  /** Redacts {@code tree} in place and returns it. */
  public static JsonNode redact(JsonNode tree) {
    if (tree instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        JsonNode value = field.getValue();
        if (isSecretKey(field.getKey()) && (value.isTextual() || value.isContainerNode())) {
          field.setValue(TextNode.valueOf(PLACEHOLDER));
        } else {
          field.setValue(redactValue(value));
        }
      }
      return object;
    }
    return redactValue(tree);
  }

  private static JsonNode redactValue(JsonNode value) {
    if (value instanceof ObjectNode) {
      return redact(value);
    }
    if (value instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, redactValue(array.get(i)));
      }
      return array;
    }
    if (value.isTextual() && value.asText().contains("@")) {
      return TextNode.valueOf(URL_PASSWORD.matcher(value.asText()).replaceAll("$1:" + PLACEHOLDER + "@"));
    }
    return value;
  }

  static boolean isSecretKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return SECRET_WORDS.stream().anyMatch(k::contains);
  }
}
