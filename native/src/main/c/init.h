/* A tiny PID 1 for a pod's shared PID namespace: reaps every orphan, exits on SIGTERM/SIGINT. */
#ifndef KONA_INIT_H
#define KONA_INIT_H

__attribute__((noreturn)) void init_run(void);

#endif
