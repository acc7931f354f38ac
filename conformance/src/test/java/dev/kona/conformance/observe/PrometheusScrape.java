package dev.kona.conformance.observe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (no Prometheus parser is on this
 * module's classpath): every line must be a HELP, a TYPE, another comment, or a well-formed sample
 * of a family whose TYPE came first; anything else fails the test that scraped it.
 */
public record PrometheusScrape(Map<String, String> types, List<Sample> samples) {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
  private static final Pattern TYPE = Pattern.compile(
      "# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE = Pattern.compile(
      "(" + NAME + ")(?:\\{(.*)\\})? ([-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|Inf|NaN))(?: -?[0-9]+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"(,|$)");
  private static final Set<String> SUFFIXES = Set.of("_total", "_created", "_bucket", "_count", "_sum", "_max");

  static PrometheusScrape parse(String text) {
    Map<String, String> types = new LinkedHashMap<>();
    List<Sample> samples = new ArrayList<>();
    int n = 0;
    for (String line : text.split("\n")) {
      n++;
      if (line.isEmpty() || HELP.matcher(line).matches()) {
        continue;
      }
      Matcher t = TYPE.matcher(line);
      if (t.matches()) {
        if (types.put(t.group(1), t.group(2)) != null) {
          throw new AssertionError("line " + n + ": second TYPE for " + t.group(1));
        }
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      Matcher s = SAMPLE.matcher(line);
      if (!s.matches()) {
        throw new AssertionError("line " + n + ": not a sample: " + line);
      }
      String name = s.group(1);
      if (family(name, types) == null) {
        throw new AssertionError("line " + n + ": sample of " + name + " before its TYPE");
      }
      samples.add(new Sample(name, labels(s.group(2), n), Double.parseDouble(s.group(3).replace("Inf", "Infinity"))));
    }
    return new PrometheusScrape(types, samples);
  }

  private static String family(String name, Map<String, String> types) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : SUFFIXES) {
      if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return null;
  }

  private static Map<String, String> labels(String text, int line) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return labels;
    }
    Matcher m = LABEL.matcher(text);
    int at = 0;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new AssertionError("line " + line + ": bad labels {" + text + "}");
      }
      labels.put(m.group(1), m.group(2));
      at = m.end();
    }
    return labels;
  }

  /** The value of the sample with this name and exactly these labels, or null. */
  Double value(String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
        .map(Sample::value).findFirst().orElse(null);
  }

  public static PrometheusScrape scrape(int port) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("GET /metrics: expected 200, got " + r.statusCode());
      }
      return parse(r.body());
    }
  }

  /** Waits until the unlabelled sample {@code name} reads {@code value}. */
  static void awaitSample(int port, String name, double value) throws InterruptedException {
    ObservedPod.await(name + " = " + value, () -> {
      try {
        Double v = scrape(port).value(name, Map.of());
        return v != null && v == value;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    });
  }
}
