package dev.kona.runtime.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdiSpecsTest {

  @TempDir Path temp;

  private static Map<String, String> ask(String... names) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], "config.CDI_devices[" + i + "]");
    }
    return m;
  }

  @Test
  void resolve_jsonAndYaml_specEditsOncePerSpec_laterDirectoryWins_brokenFileSkipped() throws Exception {
    Path etc = Files.createDirectories(temp.resolve("etc"));
    Path run = Files.createDirectories(temp.resolve("run"));
    Files.writeString(etc.resolve("a.json"), """
        {"cdiVersion": "0.6.0", "kind": "example.com/gpu",
         "containerEdits": {"env": ["SPEC=1"]},
         "devices": [
           {"name": "0", "containerEdits": {"deviceNodes": [{"path": "/dev/gpu0", "permissions": "rw"}]}},
           {"name": "1", "containerEdits": {"env": ["FROM_ETC=1"]}}]}
        """);
    Files.writeString(run.resolve("b.yaml"), """
        cdiVersion: "1.0.0"
        kind: example.com/gpu
        devices:
          - name: "1"
            containerEdits:
              env: [FROM_RUN=1]
              additionalGids: [44]
              mounts: [{hostPath: /opt/lib, containerPath: /usr/lib/gpu, options: [ro, rbind]}]
              hooks: [{hookName: createContainer, path: /usr/bin/hook, args: [hook, x]}]
        """);
    Files.writeString(run.resolve("c.yml"), "cdiVersion: [");
    CdiSpecs specs = new CdiSpecs(List.of(etc, run, temp.resolve("absent")));

    CdiEdits edits = specs.resolve(ask("example.com/gpu=0", "example.com/gpu=1"));
    assertEquals(List.of("example.com/gpu=0", "example.com/gpu=1"), edits.devices());
    assertEquals(List.of("SPEC=1", "FROM_RUN=1"), edits.env(), "a.json's edits once; device 1 is run's");
    assertEquals(List.of(new CdiEdits.DeviceNode("/dev/gpu0", "/dev/gpu0", "rw", null, null, null)),
        edits.deviceNodes());
    assertEquals(List.of(new CdiEdits.Mount("/opt/lib", "/usr/lib/gpu", List.of("ro", "rbind"))), edits.mounts());
    assertEquals(List.of(44L), edits.additionalGids());
    assertEquals("createContainer", edits.hooks().getFirst().hookName());
    assertEquals(CdiEdits.NONE, specs.resolve(Map.of()));
  }

  @Test
  void resolve_unknownDevice_invalidArgumentNamingDeviceAndField() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("cdi"));
    Files.writeString(dir.resolve("bad.json"), "{\"cdiVersion\": \"0.6.0\", \"kind\": \"nope\", \"devices\": []}");
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> new CdiSpecs(List.of(dir)).resolve(ask("example.com/gpu=0")));
    assertTrue(e.getMessage().startsWith("config.CDI_devices[0]: unresolvable CDI device \"example.com/gpu=0\""),
        e.getMessage());
  }

  @Test
  void parse_invalidSpecs_refusedWithTheField() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("cdi"));
    Map<String, String> bad = Map.of(
        "version.json", "{\"cdiVersion\": \"0.1.0\", \"kind\": \"a.b/c\", \"devices\": [{\"name\": \"x\"}]}",
        "kind.json", "{\"cdiVersion\": \"0.6.0\", \"kind\": \"nokind\", \"devices\": [{\"name\": \"x\"}]}",
        "relative.json", "{\"cdiVersion\": \"0.6.0\", \"kind\": \"a.b/c\", \"devices\": [{\"name\": \"x\","
            + " \"containerEdits\": {\"deviceNodes\": [{\"path\": \"dev/x\"}]}}]}",
        "tmpfs.json", "{\"cdiVersion\": \"0.6.0\", \"kind\": \"a.b/c\", \"devices\": [{\"name\": \"x\","
            + " \"containerEdits\": {\"mounts\": [{\"hostPath\": \"/a\", \"containerPath\": \"/b\", \"type\": \"tmpfs\"}]}}]}");
    Map<String, String> why = Map.of("version.json", "cdiVersion", "kind.json", "kind", "relative.json",
        "deviceNodes[].path", "tmpfs.json", "only bind mounts");
    for (var entry : bad.entrySet()) {
      Path file = dir.resolve(entry.getKey());
      Files.writeString(file, entry.getValue());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CdiSpecs.parse(file));
      assertTrue(e.getMessage().contains(why.get(entry.getKey())), entry.getKey() + ": " + e.getMessage());
    }
  }
}
