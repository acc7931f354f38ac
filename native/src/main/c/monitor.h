/* The monitor: the process that clones the container, holds its stdio, writes its log, serves the
 * control socket and records its exit. It is started by `kona-shim create <dir>`, detaches from
 * the daemon (setsid, parent exits) and lives until the container has exited. */
#ifndef KONA_MONITOR_H
#define KONA_MONITOR_H

#include <stdint.h>
#include <sys/types.h>

#include "crilog.h"
#include "plan.h"

#define MAX_CLIENTS 64
#define FRAME_HEADER 5
#define FRAME_MAX 8192

enum { ST_CREATED, ST_RUNNING, ST_STOPPED };
enum { CLIENT_FREE, CLIENT_COMMAND, CLIENT_ATTACH, CLIENT_WAIT };
/* Attach frames: 1 byte type, 4 bytes big-endian length, payload. */
enum { FRAME_STDIN = 0, FRAME_STDOUT = 1, FRAME_STDERR = 2, FRAME_EXIT = 3, FRAME_CLOSE_STDIN = 4, FRAME_RESIZE = 5 };

#define CLIENT_BUF (FRAME_HEADER + FRAME_MAX)

/* The buffers live apart (control.c), so scanning the clients touches one page, not one each:
 * untouched memory costs the monitor no resident size. */
typedef struct client {
  int fd;
  int mode;
  int sent_stdin;
  size_t len;
  char *buf;
} client_t;

typedef struct monitor {
  const plan_t *plan;
  pid_t pid;
  unsigned long long pid_start; /* the container process's start time, against pid reuse */
  int status;
  int64_t created, started, finished;
  int exit_code, exit_signal, oom;
  int exited;
  int sigfd, listen_fd;
  int oom_fd; /* inotify on the plan's oom-file, or -1 */
  int out_fd, err_fd, in_fd; /* with a terminal, out_fd and in_fd are the same master */
  int tty;
  int stdin_once;
  int stdin_stalled; /* the process did not read its stdin for a second: input is dropped */
  int sync_fd, start_fd;
  crilog_t log;
  client_t clients[MAX_CLIENTS];
} monitor_t;

/* `kona-shim create <dir>`: prints "created <monitor-pid> <pid>" or "error <errno> <message>". */
int monitor_create(const char *dir);

#define CONTROL_SOCKET "ctl.sock"

/* spawn.c: clones the container; its pid once it waits for start, or -1 with `e` filled. */
pid_t monitor_spawn(monitor_t *m, shim_error_t *e);

/* Used by the control socket. */
void monitor_start(monitor_t *m, char *reply, size_t len);
void monitor_write_status(monitor_t *m);

/* control.c */
int control_listen(monitor_t *m, shim_error_t *e);
void control_accept(monitor_t *m);
void control_readable(monitor_t *m, client_t *c);
void control_output(monitor_t *m, int type, const char *data, size_t len);
void control_finish(monitor_t *m);
void client_drop(monitor_t *m, client_t *c);

#endif
