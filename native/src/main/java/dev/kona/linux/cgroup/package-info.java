/**
 * Linux cgroups for pods and containers: {@link dev.kona.linux.cgroup.CgroupManager} over v1 or
 * v2 ({@link dev.kona.linux.cgroup.CgroupLayout#detect()}), paths from the kubelet's cgroup_parent
 * under either driver ({@link dev.kona.linux.cgroup.CgroupDriver}), limits in OCI units
 * ({@link dev.kona.linux.cgroup.CgroupLimits}) and usage ({@link dev.kona.linux.cgroup.CgroupStats}).
 */
package dev.kona.linux.cgroup;
