package dev.kona.runtime.sandbox;

import dev.kona.runtime.state.Journal;

/**
 * A pod sandbox operation in progress, as the {@link Journal} keeps it: for CREATE, the record with
 * every resource the set-up may make (pins, shm, files, pod init, a CNI attachment to delete); for
 * REMOVE, the record being removed.
 */
public record SandboxIntent(Journal.Action action, SandboxRecord record) {}
