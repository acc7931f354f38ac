/* The process's terminal, the runc way: the pty is opened inside the container, from the
 * container's own devpts instance (its /dev/pts, mounted newinstance), so that the process's tty
 * is a /dev/pts/N the container can see. The master goes back to the monitor over a socket. */
#ifndef KONA_CONSOLE_H
#define KONA_CONSOLE_H

#include <sys/types.h>

#include "error.h"

/* Container side, once "/" is the container's root (after pivot_root, or after joining its mount
 * namespace for an exec): opens a pty from /dev/pts/ptmx, makes its replica the controlling
 * terminal and fds 0-2, owned by `uid`; binds it on /dev/console when `bind_console` is set;
 * sends the master over `sock`. */
int console_setup(int sock, int bind_console, uid_t uid, shim_error_t *e);

/* Monitor side: receives the master the container side sent; -1 if none came or it is not one. */
int console_receive(int sock, shim_error_t *e);

#endif
