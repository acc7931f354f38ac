#define _GNU_SOURCE
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "utils.h"

enum { CREATE_NONE, CREATE_DIR, CREATE_FILE };

#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#define KONA_OPEN_TREE_CLONE 1
#define KONA_MOVE_MOUNT_F_EMPTY_PATH 0x4
#define KONA_MOVE_MOUNT_T_EMPTY_PATH 0x40
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

/* The container side joins a user namespace: paths on the host are no longer its to walk. */
static int in_userns;

static int open_resolved(int rootfd, const char *path) {
  struct open_how how = {
      .flags = O_PATH | O_CLOEXEC,
      .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
  };
  int fd;
  do {
    fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
  } while (fd < 0 && (errno == EINTR || errno == EAGAIN));
  return fd;
}

/* Opens `path` inside the root as O_PATH, creating missing directories (and the last component as
 * a directory or an empty file) one component at a time under an already resolved parent. A
 * dangling symlink on the way is followed inside the root and its target created, as runc does. */
static int open_in_root_depth(int rootfd, const char *path, int create, int depth, shim_error_t *e) {
  int fd = open_resolved(rootfd, path);
  if (fd >= 0 || errno != ENOENT || create == CREATE_NONE) {
    if (fd < 0) {
      return shim_fail(e, errno, "mount", "resolve %s in rootfs", path);
    }
    return fd;
  }
  char prefix[PATH_MAX];
  size_t plen = 0;
  cleanup_close int parent = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
  const char *p = path;
  while (*p != '\0') {
    while (*p == '/') {
      p++;
    }
    const char *end = strchrnul(p, '/');
    size_t n = (size_t)(end - p);
    if (n == 0) {
      break;
    }
    if (plen + n + 2 >= sizeof prefix) {
      return shim_fail(e, ENAMETOOLONG, "mount", "path %s", path);
    }
    prefix[plen++] = '/';
    memcpy(prefix + plen, p, n);
    plen += n;
    prefix[plen] = '\0';
    char name[NAME_MAX + 1];
    snprintf(name, sizeof name, "%.*s", (int)n, p);
    int last = *end == '\0' || end[strspn(end, "/")] == '\0';
    int next = open_resolved(rootfd, prefix);
    char link[PATH_MAX];
    ssize_t linklen = next < 0 && errno == ENOENT ? readlinkat(parent, name, link, sizeof link - 1) : -1;
    if (linklen >= 0) {
      char joined[PATH_MAX];
      link[linklen] = '\0';
      if (depth >= 40) {
        return shim_fail(e, ELOOP, "mount", "resolve %s in rootfs", path);
      }
      int base = link[0] == '/' ? 0 : (int)(plen - n - 1);
      if (snprintf(joined, sizeof joined, "%.*s/%s%s", base, prefix, link, end) >= (int)sizeof joined) {
        return shim_fail(e, ENAMETOOLONG, "mount", "path %s", path);
      }
      return open_in_root_depth(rootfd, joined, create, depth + 1, e);
    }
    if (next < 0 && errno == ENOENT) {
      if (last && create == CREATE_FILE) {
        int f = openat(parent, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (f < 0 && errno != EEXIST) {
          return shim_fail(e, errno, "mount", "create file %s in rootfs", prefix);
        }
        if (f >= 0) {
          close(f);
        }
      } else if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST) {
        return shim_fail(e, errno, "mount", "create directory %s in rootfs", prefix);
      }
      next = open_resolved(rootfd, prefix);
    }
    if (next < 0) {
      return shim_fail(e, errno, "mount", "resolve %s in rootfs", prefix);
    }
    close(parent);
    parent = next;
    p = end;
  }
  int result = parent;
  parent = -1;
  return result;
}

static int open_in_root(int rootfd, const char *path, int create, shim_error_t *e) {
  return open_in_root_depth(rootfd, path, create, 0, e);
}

static void fd_path(int fd, char *buf, size_t len) {
  snprintf(buf, len, "/proc/self/fd/%d", fd);
}

/*
 * pivot_root refuses a new root whose parent mount is shared, which it is when the rootfs asks
 * for shared propagation: make just that parent private (as runc does), so the rest of the tree
 * keeps its peer groups with the host.
 */
static int make_parent_mount_private(const char *rootfs, shim_error_t *e) {
  FILE *f = fopen("/proc/self/mountinfo", "re");
  if (f == NULL) {
    return shim_fail(e, errno, "mount", "open /proc/self/mountinfo");
  }
  char line[4096];
  char best[PATH_MAX] = "";
  int best_shared = 0;
  size_t rootfs_len = strlen(rootfs);
  while (fgets(line, sizeof line, f) != NULL) {
    char mp[PATH_MAX];
    /* fields: id parent major:minor root mount-point options optional... - fstype ... */
    if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1) {
      continue;
    }
    size_t n = strlen(mp);
    int contains = strcmp(mp, "/") == 0
        || (n <= rootfs_len && strncmp(rootfs, mp, n) == 0 && (rootfs[n] == '/' || rootfs[n] == '\0'));
    if (contains && n >= strlen(best)) {
      snprintf(best, sizeof best, "%s", mp);
      char *dash = strstr(line, " - ");
      char *shared = strstr(line, " shared:");
      best_shared = shared != NULL && (dash == NULL || shared < dash);
    }
  }
  fclose(f);
  if (best_shared && mount(NULL, best, NULL, MS_PRIVATE, NULL) < 0) {
    return shim_fail(e, errno, "mount", "make %s private before pivot_root", best);
  }
  return 0;
}

int rootfs_prepare(const plan_t *plan, int *rootfd, shim_error_t *e) {
  const char *rootfs = plan_str(plan, "rootfs", NULL);
  long long prop = plan_num(plan, "rootfs-propagation", MS_SLAVE | MS_REC);
  if (mount(NULL, "/", NULL, (unsigned long)prop, NULL) < 0) {
    return shim_fail(e, errno, "mount", "set propagation of / to 0x%llx", prop);
  }
  if (in_userns) {
    /* The rootfs is the working directory: its path on the host may pass through directories only
     * the host's root can search. A mount copied from the host is locked here, which pivot_root
     * refuses, so a clone of it goes on top; its fd is the new mount, which a path cannot name. */
    int tree = (int)syscall(SYS_open_tree, AT_FDCWD, ".", KONA_OPEN_TREE_CLONE | O_CLOEXEC | AT_RECURSIVE);
    if (tree < 0) {
      return shim_fail(e, errno, "mount", "clone rootfs %s", rootfs);
    }
    *rootfd = tree;
    if (syscall(SYS_move_mount, tree, "", AT_FDCWD, ".", KONA_MOVE_MOUNT_F_EMPTY_PATH) < 0) {
      return shim_fail(e, errno, "mount", "mount the clone of rootfs %s", rootfs);
    }
    if (fchdir(tree) < 0) {
      return shim_fail(e, errno, "mount", "enter the clone of rootfs %s", rootfs);
    }
    return 0;
  }
  if (make_parent_mount_private(rootfs, e) < 0) {
    return -1;
  }
  if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) {
    return shim_fail(e, errno, "mount", "bind rootfs %s onto itself", rootfs);
  }
  *rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (*rootfd < 0) {
    return shim_fail(e, errno, "mount", "open rootfs %s", rootfs);
  }
  return 0;
}

/* struct mount_attr of <linux/mount.h>, spelled out so older headers build too. */
struct kona_mount_attr {
  unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

/*
 * Sets mount attributes on the mount at fd and every mount below it (recursive read-only: a
 * submount of the bind source stays read-only too, which MS_REMOUNT|MS_RDONLY alone does not do).
 */
static int set_recursive_attr(int fd, const char *dst, unsigned long long attrs, shim_error_t *e) {
  struct kona_mount_attr attr = {.attr_set = attrs};
  if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0) {
    return shim_fail(e, errno, "mount", "mount_setattr(AT_RECURSIVE, 0x%llx) on %s", attrs, dst);
  }
  return 0;
}

#define KONA_MOUNT_ATTR_IDMAP 0x100000ULL

/* One fd per mount record (by position): a detached clone of a bind's source, or -1. */
static int *bind_fds;
static size_t bind_count;

static long long record_attrs(const plan_record_t *r) {
  long long attrs = 0;
  return r->nfields == 7 && parse_long(r->f[6].data, &attrs) == 0 ? attrs : 0;
}

int mounts_prepare(const plan_t *plan, int userns_fd, shim_error_t *e) {
  in_userns = userns_fd >= 0;
  const char *rootfs = plan_str(plan, "rootfs", NULL);
  /* The working directory follows into the new mount namespace: the rootfs is "." from now on. */
  if (in_userns && rootfs != NULL && chdir(rootfs) < 0) {
    return shim_fail(e, errno, "mount", "chdir to rootfs %s", rootfs);
  }
  bind_count = plan_count(plan, "mount");
  bind_fds = malloc((bind_count + 1) * sizeof(int));
  if (bind_fds == NULL) {
    return shim_fail(e, ENOMEM, "mount", "allocate bind table");
  }
  size_t i = 0;
  PLAN_FOREACH(plan, "mount", r) {
    bind_fds[i] = -1;
    long long flags = 0;
    int idmap = (record_attrs(r) & KONA_MOUNT_ATTR_IDMAP) != 0;
    int bind = r->nfields >= 4 && parse_long(r->f[3].data, &flags) == 0 && (flags & MS_BIND) && !(flags & MS_REMOUNT);
    if (idmap && (!in_userns || !bind)) {
      return shim_fail(e, EINVAL, "mount", "idmapped mount of %s: only binds in a user namespace can be idmapped",
                       r->f[0].data);
    }
    if (in_userns && bind) {
      unsigned int rec = (flags & MS_REC) ? AT_RECURSIVE : 0;
      int fd = (int)syscall(SYS_open_tree, AT_FDCWD, r->f[0].data, KONA_OPEN_TREE_CLONE | O_CLOEXEC | rec);
      if (fd < 0) {
        return shim_fail(e, errno, "mount", "open_tree(OPEN_TREE_CLONE) %s", r->f[0].data);
      }
      bind_fds[i] = fd;
      struct kona_mount_attr attr = {.attr_set = KONA_MOUNT_ATTR_IDMAP, .userns_fd = (unsigned long long)userns_fd};
      if (idmap && syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | rec, &attr, sizeof attr) < 0) {
        return shim_fail(e, errno, "mount", "idmap %s (mount_setattr MOUNT_ATTR_IDMAP; does its filesystem support idmapped mounts?)",
                         r->f[0].data);
      }
    }
    i++;
  }
  return 0;
}

/* A bind remount inside a user namespace must keep the flags the source mount has locked. */
static int remount_bind(const char *target, const char *dst, unsigned long f, shim_error_t *e) {
  if (mount(NULL, target, NULL, f | MS_REMOUNT, NULL) == 0) {
    return 0;
  }
  struct statvfs sv;
  if (errno == EPERM && statvfs(target, &sv) == 0) {
    unsigned long locked = ((sv.f_flag & ST_NOSUID) ? MS_NOSUID : 0) | ((sv.f_flag & ST_NODEV) ? MS_NODEV : 0) |
                           ((sv.f_flag & ST_NOEXEC) ? MS_NOEXEC : 0) | ((sv.f_flag & ST_NOATIME) ? MS_NOATIME : 0) |
                           ((sv.f_flag & ST_NODIRATIME) ? MS_NODIRATIME : 0) | ((sv.f_flag & ST_RELATIME) ? MS_RELATIME : 0);
    if (mount(NULL, target, NULL, f | locked | MS_REMOUNT, NULL) == 0) {
      return 0;
    }
  }
  return shim_fail(e, errno, "mount", "remount bind %s with flags 0x%lx", dst, f);
}

static int mount_one(int rootfd, const plan_record_t *r, int bind_fd, shim_error_t *e) {
  if (r->nfields != 6 && r->nfields != 7) {
    return shim_fail(e, EINVAL, "mount", "mount record needs 6 or 7 fields, has %d", r->nfields);
  }
  const char *src = r->f[0].data, *dst = r->f[1].data, *type = r->f[2].data, *data = r->f[5].data;
  long long flags, pflags, rattrs = 0;
  if (parse_long(r->f[3].data, &flags) < 0 || parse_long(r->f[4].data, &pflags) < 0 ||
      (r->nfields == 7 && parse_long(r->f[6].data, &rattrs) < 0)) {
    return shim_fail(e, EINVAL, "mount", "flags of %s", dst);
  }
  int create = CREATE_DIR;
  struct stat st;
  if ((flags & MS_BIND) && (bind_fd >= 0 ? fstat(bind_fd, &st) : stat(src, &st)) == 0 && !S_ISDIR(st.st_mode)) {
    create = CREATE_FILE;
  }
  char target[64];
  cleanup_close int fd = open_in_root(rootfd, dst, (flags & MS_REMOUNT) ? CREATE_NONE : create, e);
  if (fd < 0) {
    return -1;
  }
  fd_path(fd, target, sizeof target);
  unsigned long f = (unsigned long)flags;
  if (f & MS_REMOUNT) {
    if (mount(NULL, target, NULL, f, *data ? data : NULL) < 0) {
      return shim_fail(e, errno, "mount", "remount %s", dst);
    }
  } else if (f & MS_BIND) {
    if (bind_fd >= 0) {
      /* Onto the resolved target itself: move_mount follows no magic link in a path. */
      if (syscall(SYS_move_mount, bind_fd, "", fd, "", KONA_MOVE_MOUNT_F_EMPTY_PATH | KONA_MOVE_MOUNT_T_EMPTY_PATH) < 0) {
        return shim_fail(e, errno, "mount", "move the clone of %s onto %s", src, dst);
      }
    } else if (mount(src, target, NULL, f & (MS_BIND | MS_REC), NULL) < 0) {
      return shim_fail(e, errno, "mount", "bind %s on %s", src, dst);
    }
    if (f & ~(unsigned long)(MS_BIND | MS_REC)) {
      /* Options of a bind apply only through a remount of the new mount, so reopen the path. */
      cleanup_close int top = open_in_root(rootfd, dst, CREATE_NONE, e);
      if (top < 0) {
        return -1;
      }
      fd_path(top, target, sizeof target);
      if (remount_bind(target, dst, f, e) < 0) {
        return -1;
      }
    }
  } else if (mount(src, target, type, f, *data ? data : NULL) < 0) {
    return shim_fail(e, errno, "mount", "mount %s (%s) on %s", src, type, dst);
  }
  rattrs &= ~(long long)KONA_MOUNT_ATTR_IDMAP;
  if (rattrs != 0) {
    cleanup_close int top = open_in_root(rootfd, dst, CREATE_NONE, e);
    if (top < 0 || set_recursive_attr(top, dst, (unsigned long long)rattrs, e) < 0) {
      return -1;
    }
  }
  if (pflags != 0) {
    cleanup_close int top = open_in_root(rootfd, dst, CREATE_NONE, e);
    if (top < 0) {
      return -1;
    }
    fd_path(top, target, sizeof target);
    if (mount(NULL, target, NULL, (unsigned long)pflags, NULL) < 0) {
      return shim_fail(e, errno, "mount", "set propagation 0x%llx on %s", pflags, dst);
    }
  }
  return 0;
}

int mounts_apply(const plan_t *plan, int rootfd, shim_error_t *e) {
  size_t i = 0;
  PLAN_FOREACH(plan, "mount", r) {
    int bind_fd = bind_fds != NULL && i < bind_count ? bind_fds[i] : -1;
    i++;
    if (mount_one(rootfd, r, bind_fd, e) < 0) {
      return -1;
    }
  }
  return 0;
}

/* Splits "dir/name" into an opened parent (created if missing) and the last component. */
static int open_parent(int rootfd, const char *path, const char **name, shim_error_t *e) {
  char dir[PATH_MAX];
  const char *slash = strrchr(path, '/');
  if (slash == NULL || slash[1] == '\0') {
    return shim_fail(e, EINVAL, "devices", "path %s has no file name", path);
  }
  snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
  *name = slash + 1;
  return open_in_root(rootfd, dir[0] ? dir : "/", CREATE_DIR, e);
}

int devices_create(const plan_t *plan, int rootfd, shim_error_t *e) {
  PLAN_FOREACH(plan, "device", r) {
    long long mode, major, minor, uid, gid;
    if (r->nfields != 6 || parse_long(r->f[1].data, &mode) < 0 || parse_long(r->f[2].data, &major) < 0 ||
        parse_long(r->f[3].data, &minor) < 0 || parse_long(r->f[4].data, &uid) < 0 ||
        parse_long(r->f[5].data, &gid) < 0) {
      return shim_fail(e, EINVAL, "devices", "bad device record");
    }
    const char *name;
    cleanup_close int dir = open_parent(rootfd, r->f[0].data, &name, e);
    if (dir < 0) {
      return -1;
    }
    /* The O_PATH parent needs a real directory fd for mknodat and fchownat. */
    char dpath[64];
    fd_path(dir, dpath, sizeof dpath);
    cleanup_close int real = open(dpath, O_DIRECTORY | O_CLOEXEC);
    if (real < 0) {
      return shim_fail(e, errno, "devices", "open parent of %s", r->f[0].data);
    }
    /* Never unlink what is there: it is not ours (a bind-mounted file, or a host directory's
     * node); leave it as it is, as runc does. */
    if (mknodat(real, name, (mode_t)mode, makedev(major, minor)) < 0) {
      if (errno == EEXIST) {
        continue;
      }
      return shim_fail(e, errno, "devices", "mknod %s", r->f[0].data);
    }
    if (fchmodat(real, name, (mode_t)mode & 07777, 0) < 0 ||
        fchownat(real, name, (uid_t)uid, (gid_t)gid, AT_SYMLINK_NOFOLLOW) < 0) {
      return shim_fail(e, errno, "devices", "chmod/chown %s", r->f[0].data);
    }
  }
  PLAN_FOREACH(plan, "symlink", r) {
    const char *name;
    if (r->nfields != 2) {
      return shim_fail(e, EINVAL, "devices", "bad symlink record");
    }
    cleanup_close int dir = open_parent(rootfd, r->f[1].data, &name, e);
    if (dir < 0) {
      return -1;
    }
    char dpath[64];
    fd_path(dir, dpath, sizeof dpath);
    cleanup_close int real = open(dpath, O_DIRECTORY | O_CLOEXEC);
    if (real < 0 || (symlinkat(r->f[0].data, real, name) < 0 && errno != EEXIST)) {
      return shim_fail(e, errno, "devices", "symlink %s -> %s", r->f[1].data, r->f[0].data);
    }
  }
  return 0;
}

int rootfs_pivot(const char *rootfs, shim_error_t *e) {
  cleanup_close int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (oldroot < 0) {
    return shim_fail(e, errno, "pivot_root", "open old root");
  }
  if (!in_userns && chdir(rootfs) < 0) {
    return shim_fail(e, errno, "pivot_root", "chdir %s", rootfs);
  }
  if (syscall(SYS_pivot_root, ".", ".") < 0) {
    return shim_fail(e, errno, "pivot_root", "pivot_root into %s", rootfs);
  }
  /*
   * The old root is stacked on the new one. Step onto it explicitly (the kernel does not promise
   * what "." is after pivot_root): making "." rslave must reach only the old tree, or the
   * container's own shared volumes would stop propagating back to the host.
   */
  if (fchdir(oldroot) < 0) {
    return shim_fail(e, errno, "pivot_root", "fchdir to old root");
  }
  if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) {
    return shim_fail(e, errno, "pivot_root", "make old root slave");
  }
  if (umount2(".", MNT_DETACH) < 0) {
    return shim_fail(e, errno, "pivot_root", "detach old root");
  }
  if (chdir("/") < 0) {
    return shim_fail(e, errno, "pivot_root", "chdir /");
  }
  return 0;
}

static int mask_path(const char *path, shim_error_t *e) {
  struct stat st;
  if (lstat(path, &st) < 0) {
    return errno == ENOENT ? 0 : shim_fail(e, errno, "masked paths", "stat %s", path);
  }
  int rc = S_ISDIR(st.st_mode) ? mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL)
                               : mount("/dev/null", path, NULL, MS_BIND, NULL);
  if (rc < 0 && errno != ENOENT) {
    return shim_fail(e, errno, "masked paths", "mask %s", path);
  }
  return 0;
}

static int readonly_path(const char *path, shim_error_t *e) {
  if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
    return errno == ENOENT ? 0 : shim_fail(e, errno, "readonly paths", "bind %s", path);
  }
  /* Keep nosuid, nodev and noexec of the mount underneath: a remount replaces all flags. */
  struct statvfs sv;
  unsigned long keep = 0;
  if (statvfs(path, &sv) == 0) {
    keep |= (sv.f_flag & ST_NOSUID) ? MS_NOSUID : 0;
    keep |= (sv.f_flag & ST_NODEV) ? MS_NODEV : 0;
    keep |= (sv.f_flag & ST_NOEXEC) ? MS_NOEXEC : 0;
  }
  if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | keep, NULL) < 0) {
    return shim_fail(e, errno, "readonly paths", "remount %s read-only", path);
  }
  return 0;
}

int paths_protect(const plan_t *plan, shim_error_t *e) {
  PLAN_FOREACH(plan, "masked", r) {
    if (mask_path(r->f[0].data, e) < 0) {
      return -1;
    }
  }
  PLAN_FOREACH(plan, "readonly", r) {
    if (readonly_path(r->f[0].data, e) < 0) {
      return -1;
    }
  }
  if (plan_num(plan, "readonly-root", 0) &&
      mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0) {
    return shim_fail(e, errno, "readonly root", "remount / read-only");
  }
  return 0;
}
