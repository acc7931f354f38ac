#define _GNU_SOURCE
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "utils.h"

/* The container's /dev/pts/ptmx, refusing symlinks on the way: a hostile image or exec'd process
 * cannot point it at another file. Checked to be a devpts multiplexer. */
static int open_master(shim_error_t *e) {
  struct open_how how = {
      .flags = O_RDWR | O_NOCTTY | O_CLOEXEC,
      .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
  };
  int fd;
  do {
    fd = (int)syscall(SYS_openat2, AT_FDCWD, "/dev/pts/ptmx", &how, sizeof how);
  } while (fd < 0 && (errno == EINTR || errno == EAGAIN));
  if (fd < 0) {
    return shim_fail(e, errno, "terminal", "open /dev/pts/ptmx in the container");
  }
  struct statfs fs;
  int n;
  if (fstatfs(fd, &fs) < 0 || fs.f_type != DEVPTS_SUPER_MAGIC || ioctl(fd, TIOCGPTN, &n) < 0) {
    close(fd);
    return shim_fail(e, ENOTTY, "terminal", "/dev/pts/ptmx in the container is not a devpts multiplexer");
  }
  return fd;
}

static int send_fd(int sock, int fd, shim_error_t *e) {
  char byte = 'T';
  struct iovec iov = {.iov_base = &byte, .iov_len = 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  memset(&u, 0, sizeof u);
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof(int));
  ssize_t n;
  do {
    n = sendmsg(sock, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n == 1 ? 0 : shim_fail(e, errno, "terminal", "send the terminal to the monitor");
}

int console_setup(int sock, int bind_console, uid_t uid, shim_error_t *e) {
  cleanup_close int master = open_master(e);
  if (master < 0) {
    return -1;
  }
  int unlock = 0;
  if (ioctl(master, TIOCSPTLCK, &unlock) < 0) {
    return shim_fail(e, errno, "terminal", "unlock the terminal");
  }
  cleanup_close int replica = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (replica < 0) {
    return shim_fail(e, errno, "terminal", "open the terminal's replica");
  }
  if (fchown(replica, uid, (gid_t)-1) < 0) {
    return shim_fail(e, errno, "terminal", "chown the terminal to %u", (unsigned)uid);
  }
  if (bind_console) {
    /* /dev is the container's fresh tmpfs; never follow a link for the target. */
    cleanup_close int target = open("/dev/console", O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
    char source[64];
    snprintf(source, sizeof source, "/proc/self/fd/%d", replica);
    if (target < 0 || mount(source, "/dev/console", NULL, MS_BIND, NULL) < 0) {
      return shim_fail(e, errno, "terminal", "bind the terminal on /dev/console");
    }
  }
  if (ioctl(replica, TIOCSCTTY, 0) < 0) {
    return shim_fail(e, errno, "terminal", "make the terminal controlling");
  }
  for (int fd = 0; fd < 3; fd++) {
    if (dup2(replica, fd) < 0) {
      return shim_fail(e, errno, "terminal", "dup terminal to %d", fd);
    }
  }
  return send_fd(sock, master, e);
}

int console_receive(int sock, shim_error_t *e) {
  char byte;
  struct iovec iov = {.iov_base = &byte, .iov_len = 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  ssize_t n;
  do {
    n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  struct cmsghdr *c = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
  if (c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)) ||
      (msg.msg_flags & MSG_CTRUNC)) {
    return shim_fail(e, n < 0 ? errno : EPROTO, "terminal", "receive the terminal from the container");
  }
  int fd;
  memcpy(&fd, CMSG_DATA(c), sizeof fd);
  int ptn;
  if (ioctl(fd, TIOCGPTN, &ptn) < 0) {
    close(fd);
    return shim_fail(e, ENOTTY, "terminal", "the container sent something that is not a terminal");
  }
  return fd;
}
