import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The test node's test runner: runs test classes with the JUnit Platform Launcher in this JVM, without
 * Maven (whose start-up alone costs minutes under QEMU's TCG). Compiled on the host by
 * scripts/test-node.sh; run in the node by guest.sh with a module's test classpath and the module's
 * directory as working directory, as surefire runs them.
 *
 * <p>{@code java -cp CP NodeLauncher REPORTS_DIR SUMMARY_FILE TEST...}, a TEST being CLASS,
 * CLASS#METHOD or !CLASS#METHOD (left out of the classes selected; every invocation of a
 * parameterized one): writes a surefire-format {@code TEST-<class>.xml} into REPORTS_DIR as each
 * class finishes (so a run cut short keeps what finished) and appends one line per test to
 * SUMMARY_FILE ({@code PASS|FAIL|ERROR|SKIP class#test seconds}, failures followed by their message
 * and the top of their stack, indented). Exit code 0 when every test passed, 1 when one failed, 2
 * when no test ran.
 */
public final class NodeLauncher {

  private record Result(String className, String name, String status, double seconds, Throwable cause, String reason) {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: NodeLauncher REPORTS_DIR SUMMARY_FILE [!]CLASS[#METHOD]...");
      System.exit(2);
    }
    Path reports = Files.createDirectories(Path.of(args[0]));
    Path summary = Path.of(args[1]);
    List<String> tests = List.of(args).subList(2, args.length);
    List<String> excluded = tests.stream().filter(t -> t.startsWith("!")).map(t -> t.substring(1)).toList();
    Listener listener = new Listener(reports, summary);
    var request = LauncherDiscoveryRequestBuilder.request()
        .selectors(tests.stream().filter(t -> !t.startsWith("!"))
            .map(t -> t.contains("#") ? selectMethod(t) : selectClass(t)).toList())
        .filters((PostDiscoveryFilter) d -> d.getSource().orElse(null) instanceof MethodSource m
                && excluded.contains(m.getClassName() + "#" + m.getMethodName())
            ? FilterResult.excluded("excluded by the set") : FilterResult.included("selected"))
        .build();
    LauncherFactory.create().execute(request, listener);
    System.out.printf("kona-test: %d tests, %d failed, %d skipped%n", listener.run, listener.failed, listener.skipped);
    // A test that leaves a non-daemon thread behind must not keep the node waiting.
    System.exit(listener.failed > 0 ? 1 : listener.run == 0 ? 2 : 0);
  }

  private static final class Listener implements TestExecutionListener {
    private final Path reports;
    private final Path summary;
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Map<String, List<Result>> byClass = new ConcurrentHashMap<>();
    int run;
    int failed;
    int skipped;

    Listener(Path reports, Path summary) {
      this.reports = reports;
      this.summary = summary;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
      started.put(id.getUniqueId(), System.nanoTime());
      if (id.getSource().orElse(null) instanceof ClassSource c) {
        System.out.println("kona-test: " + Instant.now() + " start " + c.getClassName());
      }
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
      String className = className(id.getSource().orElse(null));
      if (id.isTest()) {
        record(new Result(className, name(id), "SKIP", 0, null, reason));
      } else if (id.getSource().orElse(null) instanceof ClassSource c) {
        record(new Result(className, c.getClassName(), "SKIP", 0, null, reason));
        writeReport(c.getClassName(), 0);
      }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
      Long t0 = started.remove(id.getUniqueId());
      double seconds = t0 == null ? 0 : (System.nanoTime() - t0) / 1e9;
      TestSource source = id.getSource().orElse(null);
      Throwable cause = result.getThrowable().orElse(null);
      String status = switch (result.getStatus()) {
        case SUCCESSFUL -> "PASS";
        case ABORTED -> "SKIP";
        case FAILED -> cause instanceof AssertionError ? "FAIL" : "ERROR";
      };
      if (id.isTest()) {
        record(new Result(className(source), name(id), status, seconds, cause, null));
      } else if (source instanceof ClassSource c) {
        if (!status.equals("PASS")) {
          // @BeforeAll, a static extension or the constructor failed: surefire reports the class itself.
          record(new Result(c.getClassName(), c.getClassName(), status, seconds, cause, null));
        }
        writeReport(c.getClassName(), seconds);
      }
    }

    private synchronized void record(Result r) {
      byClass.computeIfAbsent(r.className(), k -> new ArrayList<>()).add(r);
      switch (r.status()) {
        case "SKIP" -> skipped++;
        case "PASS" -> run++;
        default -> {
          run++;
          failed++;
        }
      }
      StringBuilder line = new StringBuilder();
      line.append(r.status()).append(' ').append(r.className()).append('#').append(r.name())
          .append(String.format(" %.1f s%n", r.seconds()));
      if (r.cause() != null && !r.status().equals("PASS")) {
        line.append("    ").append(r.cause().getClass().getName()).append(": ")
            .append(message(r.cause()).replace("\n", "\n    ")).append('\n');
        appendStackTop(line, r.cause());
        Throwable root = r.cause();
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        if (root != r.cause()) {
          line.append("    root cause ").append(root.getClass().getName()).append(": ").append(root.getMessage()).append('\n');
          if (root.getStackTrace().length > 0) {
            line.append("      at ").append(root.getStackTrace()[0]).append('\n');
          }
        }
      } else if (r.reason() != null) {
        line.append("    ").append(r.reason()).append('\n');
      }
      System.out.print("kona-test: " + line);
      try {
        Files.writeString(summary, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    /** TEST-<class>.xml as surefire writes it: one testsuite, a testcase per test. */
    private void writeReport(String className, double seconds) {
      List<Result> results = byClass.getOrDefault(className, List.of());
      long failures = results.stream().filter(r -> r.status().equals("FAIL")).count();
      long errors = results.stream().filter(r -> r.status().equals("ERROR")).count();
      long skips = results.stream().filter(r -> r.status().equals("SKIP")).count();
      StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
      xml.append(String.format("<testsuite name=\"%s\" time=\"%.3f\" tests=\"%d\" errors=\"%d\" skipped=\"%d\" failures=\"%d\">%n",
          esc(className), seconds, results.size(), errors, skips, failures));
      for (Result r : results) {
        xml.append(String.format("  <testcase name=\"%s\" classname=\"%s\" time=\"%.3f\"",
            esc(r.name()), esc(r.className()), r.seconds()));
        switch (r.status()) {
          case "PASS" -> xml.append("/>\n");
          case "SKIP" -> xml.append(">\n    <skipped message=\"").append(esc(r.reason() != null ? r.reason()
              : r.cause() != null ? String.valueOf(r.cause().getMessage()) : "")).append("\"/>\n  </testcase>\n");
          default -> {
            String tag = r.status().equals("FAIL") ? "failure" : "error";
            xml.append(">\n    <").append(tag).append(" message=\"").append(esc(String.valueOf(r.cause().getMessage())))
                .append("\" type=\"").append(esc(r.cause().getClass().getName())).append("\">")
                .append(esc(stackTrace(r.cause()))).append("</").append(tag).append(">\n  </testcase>\n");
          }
        }
      }
      xml.append("</testsuite>\n");
      try {
        Files.writeString(reports.resolve("TEST-" + className + ".xml"), xml);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private static String className(TestSource source) {
      return switch (source) {
        case MethodSource m -> m.getClassName();
        case ClassSource c -> c.getClassName();
        case null, default -> "unknown";
      };
    }

    /** The method's name as surefire shows it; parameterized invocations keep their index. */
    private static String name(TestIdentifier id) {
      String name = id.getLegacyReportingName();
      return name.endsWith("()") ? name.substring(0, name.length() - 2) : name;
    }
  }

  /**
   * The top of a failure's stack down to the test method, without JUnit's assertion frames: the
   * first two frames, then the project's own first frames when the JDK's come first.
   */
  private static void appendStackTop(StringBuilder line, Throwable t) {
    List<StackTraceElement> frames = new ArrayList<>();
    for (StackTraceElement frame : t.getStackTrace()) {
      String c = frame.getClassName();
      if (c.startsWith("java.lang.reflect.") || c.startsWith("jdk.internal.reflect.")) {
        break;
      }
      if (!c.startsWith("org.junit.") && !c.startsWith("org.opentest4j.")) {
        frames.add(frame);
      }
    }
    int own = 0;
    while (own < frames.size() && frames.get(own).getClassName().matches("(java|javax|sun|jdk|com\\.sun)\\..*")) {
      own++;
    }
    int firstPart = Math.min(2, frames.size());
    int from = own >= firstPart ? own : firstPart;
    for (int i = 0; i < firstPart; i++) {
      line.append("      at ").append(frames.get(i)).append('\n');
    }
    if (from > firstPart && from < frames.size()) {
      line.append("      ...\n");
    }
    for (int i = from; i < Math.min(frames.size(), from + 4); i++) {
      line.append("      at ").append(frames.get(i)).append('\n');
    }
  }

  /**
   * A failure's message for the summary: at most 20 lines; for assertEquals of long texts, where
   * expected and actual first differ instead of both in full.
   */
  private static String message(Throwable t) {
    String message = String.valueOf(t.getMessage()).strip();
    if (t instanceof org.opentest4j.AssertionFailedError a && a.isExpectedDefined() && a.isActualDefined()
        && message.length() > 300) {
      String expected = String.valueOf(a.getExpected().getValue());
      String actual = String.valueOf(a.getActual().getValue());
      int i = 0;
      while (i < Math.min(expected.length(), actual.length()) && expected.charAt(i) == actual.charAt(i)) {
        i++;
      }
      int from = Math.max(0, i - 80);
      message = "expected and actual (" + expected.length() + " and " + actual.length() + " chars) first differ at char " + i
          + " (line breaks shown as \\n)"
          + "\nexpected: ..." + expected.substring(from, Math.min(expected.length(), i + 80)).replace("\n", "\\n")
          + "\nactual:   ..." + actual.substring(from, Math.min(actual.length(), i + 80)).replace("\n", "\\n");
    }
    String[] lines = message.split("\n", -1);
    if (lines.length > 20) {
      message = String.join("\n", java.util.Arrays.copyOf(lines, 20)) + "\n... (" + (lines.length - 20) + " more lines)";
    }
    return message;
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** Text for an XML attribute or element: markup escaped, characters XML 1.0 forbids dropped. */
  private static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        default -> {
          if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c > 0xFFFF) {
            b.appendCodePoint(c);
          }
        }
      }
    });
    return b.toString();
  }
}
