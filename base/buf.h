/* base/buf.h - growable byte buffers, the one place text is assembled.
 *
 * Invariant: data is NULL when cap is 0; otherwise data[len] == '\0', so a
 * non-empty buffer is always a C string too.  Appends return FZ_ENOMEM on
 * failure and leave the buffer as it was.
 * Memory:  the buffer owns data; fz_buf_release() frees it and returns the
 *          buffer to FZ_BUF_INIT; fz_buf_detach() hands it to the caller.
 * Threads: a buffer is used by one thread at a time. */
#ifndef FZ_BUF_H
#define FZ_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct fz_buf {
    char *data;
    size_t len, cap;
};
#define FZ_BUF_INIT { NULL, 0, 0 }

/* Make room for at least extra more bytes (plus the NUL).  FZ_OK or
 * FZ_ENOMEM. */
int fz_buf_grow(struct fz_buf *b, size_t extra);
int fz_buf_append(struct fz_buf *b, const void *p, size_t len);
int fz_buf_appends(struct fz_buf *b, const char *s);
int fz_buf_appendc(struct fz_buf *b, char c);
/* Append code point cp (must be a Unicode scalar value) as UTF-8. */
int fz_buf_append_cp(struct fz_buf *b, uint32_t cp);
int fz_buf_appendf(struct fz_buf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
int fz_buf_vappendf(struct fz_buf *b, const char *fmt, va_list ap);
/* Set len to 0, keeping the allocation. */
void fz_buf_reset(struct fz_buf *b);
/* The contents as a C string: "" when empty, never NULL.  Borrowed until
 * the next call that changes b. */
const char *fz_buf_cstr(const struct fz_buf *b);
/* Hand the contents to the caller (free() them) and reset b to
 * FZ_BUF_INIT.  Returns a malloc'd "" for an empty buffer, NULL only when
 * that allocation fails; *len (if not NULL) receives the length. */
char *fz_buf_detach(struct fz_buf *b, size_t *len);
/* Append the whole of the file at path.  0, or -1 with errno set (the
 * buffer keeps what it had). */
int fz_buf_read_file(struct fz_buf *b, const char *path);
/* The same for input that is not trusted: only a regular file, not
 * through a symbolic link at the end of path, and of at most max bytes.
 * 0, or -1 with errno set and the buffer as it was: ELOOP (path is a
 * symbolic link), EISDIR, EINVAL (a FIFO, device or socket: never
 * opened for long, so it cannot block), EFBIG (more than max bytes),
 * ENOMEM, or what open() or read() said. */
int fz_buf_read_file_max(struct fz_buf *b, const char *path, size_t max);
/* Free the contents; back to FZ_BUF_INIT.  NULL-safe. */
void fz_buf_release(struct fz_buf *b);

#endif
