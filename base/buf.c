#include "base/buf.h"
#include "base/fz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *fz_strerror(int code)
{
    switch (code) {
    case FZ_OK:        return "success";
    case FZ_ENOMEM:    return "out of memory";
    case FZ_EIO:       return "input/output error";
    case FZ_EINVAL:    return "invalid input";
    case FZ_EINDEX:    return "index error";
    case FZ_ELOCKED:   return "index is locked by another writer";
    case FZ_ENOTFOUND: return "not found";
    case FZ_EMODIFIED: return "index changed while being read";
    case FZ_ENOTSTUB:  return "not a list of shards";
    case FZ_ENETWORK:  return "a remote shard did not answer";
    case FZ_EUNREADABLE: return "no readable text";
    }
    return "unknown error";
}

int fz_set_error(char **errptr, const char *fmt, ...)
{
    if (errptr == NULL)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    /* one line, whatever input a message quotes (a query "\n", a region
     * name from a JSON record): its control characters become spaces */
    for (char *c = msg; c && *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7F)
            *c = ' ';
    free(*errptr);
    *errptr = msg;      /* NULL if even that failed: the code still tells */
    return -1;
}

int fz_buf_grow(struct fz_buf *b, size_t extra)
{
    if (extra >= SIZE_MAX - b->len - 1)
        return FZ_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return FZ_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (p == NULL)
        return FZ_ENOMEM;
    if (b->data == NULL)
        p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return FZ_OK;
}

int fz_buf_append(struct fz_buf *b, const void *p, size_t len)
{
    if (fz_buf_grow(b, len) != FZ_OK)
        return FZ_ENOMEM;
    if (len)
        memcpy(b->data + b->len, p, len);
    b->len += len;
    b->data[b->len] = '\0';
    return FZ_OK;
}

int fz_buf_appends(struct fz_buf *b, const char *s)
{
    return fz_buf_append(b, s, strlen(s));
}

int fz_buf_appendc(struct fz_buf *b, char c)
{
    return fz_buf_append(b, &c, 1);
}

int fz_buf_append_cp(struct fz_buf *b, uint32_t cp)
{
    unsigned char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (unsigned char)(0xF0 | (cp >> 18));
        u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return fz_buf_append(b, u, n);
}

int fz_buf_vappendf(struct fz_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || fz_buf_grow(b, (size_t)n) != FZ_OK)
        return FZ_ENOMEM;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return FZ_OK;
}

int fz_buf_appendf(struct fz_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = fz_buf_vappendf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void fz_buf_reset(struct fz_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

const char *fz_buf_cstr(const struct fz_buf *b)
{
    return b->data ? b->data : "";
}

char *fz_buf_detach(struct fz_buf *b, size_t *len)
{
    char *p = b->data;
    if (len)
        *len = b->len;
    if (p == NULL)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void fz_buf_release(struct fz_buf *b)
{
    if (b == NULL)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int fz_buf_read_file(struct fz_buf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    size_t old = b->len, n;
    char chunk[65536];
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (fz_buf_append(b, chunk, n) != FZ_OK) {
            errno = ENOMEM;
            rc = -1;
            break;
        }
    if (rc == 0 && ferror(f))
        rc = -1;
    int saved = errno;
    fclose(f);
    if (rc != 0) {
        b->len = old;
        if (b->data)
            b->data[old] = '\0';
        errno = saved;
    }
    return rc;
}

int fz_buf_read_file_max(struct fz_buf *b, const char *path, size_t max)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer (it is
     * refused below, like any file that is not regular). */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t old = b->len;
    struct stat st;
    int err = 0;
    if (fstat(fd, &st) != 0)
        err = errno;
    else if (S_ISDIR(st.st_mode))
        err = EISDIR;
    else if (!S_ISREG(st.st_mode))
        err = EINVAL;
    else if ((uintmax_t)st.st_size > max)
        err = EFBIG;
    else if (fz_buf_grow(b, (size_t)st.st_size) != FZ_OK)
        err = ENOMEM;
    char chunk[65536];
    while (err == 0) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? errno : 0;
            break;
        }
        /* the file may have grown since fstat() */
        if (b->len - old + (size_t)n > max)
            err = EFBIG;
        else if (fz_buf_append(b, chunk, (size_t)n) != FZ_OK)
            err = ENOMEM;
    }
    close(fd);
    if (err != 0) {
        b->len = old;
        if (b->data)
            b->data[old] = '\0';
        errno = err;
        return -1;
    }
    return 0;
}
