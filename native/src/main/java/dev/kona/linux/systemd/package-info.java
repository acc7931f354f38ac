/**
 * systemd's manager over D-Bus ({@link dev.kona.linux.systemd.SystemdManager}), for the systemd
 * cgroup driver: transient slices and scopes. The D-Bus library lives only in the {@code bus}
 * subpackage.
 */
package dev.kona.linux.systemd;
