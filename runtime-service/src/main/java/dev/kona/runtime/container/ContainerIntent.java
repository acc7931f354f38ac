package dev.kona.runtime.container;

import dev.kona.runtime.state.Journal;

/**
 * A container operation in progress, as the {@link Journal} keeps it: the record (bundle, rootfs,
 * runtime handler whose engine holds its monitor and cgroups) of the container being created or
 * removed.
 */
public record ContainerIntent(Journal.Action action, ContainerRecord record) {}
