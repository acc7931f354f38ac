package dev.kona.cni.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Fails the test class if a network namespace it created is still there after it. */
public final class NetnsLeakCheck implements AfterAllCallback {

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> left = TestNetns.LIVE.stream().filter(n -> Files.exists(Path.of("/run/netns", n))).sorted().toList();
    TestNetns.LIVE.clear();
    assertEquals(List.of(), left, "network namespaces left behind by " + context.getDisplayName());
  }
}
