// A file system that cannot exchange two paths in one step or make hard links, as Handout
// meets one on a clinic's network share (SMB/CIFS, NFS), a vfat stick or a FUSE mount:
// loaded with LD_PRELOAD, every renameat2() fails with EINVAL and every link() and linkat()
// with EPERM, as those file systems answer. Plain rename() is left alone: it works there.
// With HANDOUT_SHIM_LOG set, each refusal appends its name to that file, so a test can see
// the fallbacks were taken.
//
// Built by the tests that use it: cc -shared -fPIC -o refuse_exchange.so refuse_exchange.c
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void note(const char *what) {
    const char *path = getenv("HANDOUT_SHIM_LOG");
    if (path == NULL) return;
    int saved = errno;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ssize_t ignored = write(fd, what, strlen(what));
        (void)ignored;
        close(fd);
    }
    errno = saved;
}

int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags) {
    (void)olddirfd; (void)oldpath; (void)newdirfd; (void)newpath; (void)flags;
    note("renameat2\n");
    errno = EINVAL;
    return -1;
}

int link(const char *oldpath, const char *newpath) {
    (void)oldpath; (void)newpath;
    note("link\n");
    errno = EPERM;
    return -1;
}

int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags) {
    (void)olddirfd; (void)oldpath; (void)newdirfd; (void)newpath; (void)flags;
    note("linkat\n");
    errno = EPERM;
    return -1;
}
