package dev.kona.image.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A parsed {@code WWW-Authenticate} header: its scheme and parameters (realm, service, scope, ...). */
public record BearerChallenge(String scheme, Map<String, String> params) {

  public BearerChallenge {
    params = Map.copyOf(params);
  }

  public static Optional<BearerChallenge> parse(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String text = header.trim();
    int space = text.indexOf(' ');
    String scheme = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
    Map<String, String> params = new LinkedHashMap<>();
    int i = space < 0 ? text.length() : space + 1;
    while (i < text.length()) {
      while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == ',')) {
        i++;
      }
      int equals = text.indexOf('=', i);
      if (equals < 0) {
        break;
      }
      String key = text.substring(i, equals).trim().toLowerCase(Locale.ROOT);
      i = equals + 1;
      String value;
      if (i < text.length() && text.charAt(i) == '"') {
        StringBuilder quoted = new StringBuilder();
        i++;
        while (i < text.length() && text.charAt(i) != '"') {
          if (text.charAt(i) == '\\' && i + 1 < text.length()) {
            i++;
          }
          quoted.append(text.charAt(i++));
        }
        i++;
        value = quoted.toString();
      } else {
        int comma = text.indexOf(',', i);
        int end = comma < 0 ? text.length() : comma;
        value = text.substring(i, end).trim();
        i = end;
      }
      params.put(key, value);
    }
    return Optional.of(new BearerChallenge(scheme, params));
  }

  public String realm() {
    return params.getOrDefault("realm", "");
  }

  public boolean isBearer() {
    return scheme.equals("bearer");
  }

  public boolean isBasic() {
    return scheme.equals("basic");
  }
}
