package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** {@code linux}: namespaces, id mappings, cgroup resources and path, sysctls, seccomp, devices. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Linux(
    List<IdMapping> uidMappings,
    List<IdMapping> gidMappings,
    Map<String, String> sysctl,
    Resources resources,
    String cgroupsPath,
    List<LinuxNamespace> namespaces,
    List<LinuxDevice> devices,
    Seccomp seccomp,
    String rootfsPropagation,
    List<String> maskedPaths,
    List<String> readonlyPaths,
    String mountLabel) {

  public Linux {
    uidMappings = Copies.list(uidMappings);
    gidMappings = Copies.list(gidMappings);
    sysctl = Copies.map(sysctl);
    namespaces = Copies.list(namespaces);
    devices = Copies.list(devices);
    maskedPaths = Copies.list(maskedPaths);
    readonlyPaths = Copies.list(readonlyPaths);
  }

  /** The namespace entry of {@code type} ({@code "network"}, {@code "pid"}, ...), or null. */
  public LinuxNamespace namespace(String type) {
    for (LinuxNamespace ns : namespaces) {
      if (ns.type().equals(type)) {
        return ns;
      }
    }
    return null;
  }

  public Linux withNamespaces(List<LinuxNamespace> n) {
    return new Linux(uidMappings, gidMappings, sysctl, resources, cgroupsPath, n, devices, seccomp,
        rootfsPropagation, maskedPaths, readonlyPaths, mountLabel);
  }

  public Linux withResources(Resources r) {
    return new Linux(uidMappings, gidMappings, sysctl, r, cgroupsPath, namespaces, devices, seccomp,
        rootfsPropagation, maskedPaths, readonlyPaths, mountLabel);
  }

  public Linux withCgroupsPath(String p) {
    return new Linux(uidMappings, gidMappings, sysctl, resources, p, namespaces, devices, seccomp,
        rootfsPropagation, maskedPaths, readonlyPaths, mountLabel);
  }

  public Linux withSeccomp(Seccomp s) {
    return new Linux(uidMappings, gidMappings, sysctl, resources, cgroupsPath, namespaces, devices, s,
        rootfsPropagation, maskedPaths, readonlyPaths, mountLabel);
  }

  public Linux withSysctl(Map<String, String> s) {
    return new Linux(uidMappings, gidMappings, s, resources, cgroupsPath, namespaces, devices, seccomp,
        rootfsPropagation, maskedPaths, readonlyPaths, mountLabel);
  }
}
