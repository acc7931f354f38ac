package dev.kona.runtime.sandbox;

import dev.kona.common.error.InternalException;
import dev.kona.common.fs.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The files every container of a pod bind-mounts: /etc/hostname, /etc/hosts and /etc/resolv.conf.
 * resolv.conf comes from the pod's DNS config, or is the host's when the pod gave none.
 */
final class PodFiles {

  static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

  private PodFiles() {}

  static void write(Path dir, String hostname, SandboxSpec.DnsConfig dns) {
    try {
      Files.createDirectories(dir);
      // Atomic writes name the file on a failure (a full disk: which filesystem), and leave no part of one.
      AtomicFile.write(dir.resolve("hostname"), (hostname + "\n").getBytes(StandardCharsets.UTF_8), AtomicFile.PUBLIC);
      AtomicFile.write(dir.resolve("hosts"), hosts(hostname).getBytes(StandardCharsets.UTF_8), AtomicFile.PUBLIC);
      AtomicFile.write(dir.resolve("resolv.conf"),
          (dns.isEmpty() ? hostResolvConf() : resolvConf(dns)).getBytes(StandardCharsets.UTF_8), AtomicFile.PUBLIC);
    } catch (IOException e) {
      throw new InternalException("write pod files in " + dir + ": " + e.getMessage(), e);
    }
  }

  static String resolvConf(SandboxSpec.DnsConfig dns) {
    StringBuilder out = new StringBuilder();
    if (!dns.searches().isEmpty()) {
      out.append("search ").append(String.join(" ", dns.searches())).append('\n');
    }
    for (String server : dns.servers()) {
      out.append("nameserver ").append(server).append('\n');
    }
    if (!dns.options().isEmpty()) {
      out.append("options ").append(String.join(" ", dns.options())).append('\n');
    }
    return out.toString();
  }

  private static String hostResolvConf() throws IOException {
    try {
      return Files.readString(HOST_RESOLV_CONF);
    } catch (NoSuchFileException e) {
      return "";
    }
  }

  private static String hosts(String hostname) {
    return String.join("\n", List.of(
        "127.0.0.1\tlocalhost",
        "::1\tlocalhost ip6-localhost ip6-loopback",
        "fe00::0\tip6-localnet",
        "fe00::0\tip6-mcastprefix",
        "fe00::1\tip6-allnodes",
        "fe00::2\tip6-allrouters",
        "")) + (hostname.isEmpty() ? "" : "127.0.1.1\t" + hostname + "\n");
  }
}
