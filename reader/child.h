/* reader/child.h - run a filter program over a file's bytes, bounded.
 *
 * Promise: fz_child_filter() runs argv (argv[0] found on PATH) with the
 *          bytes readable at /dev/fd/3 (an unlinked private temporary
 *          file: nothing is left behind, whatever happens to the child),
 *          stdin at /dev/null, and returns what it writes on stdout.  The
 *          child is killed (SIGKILL, its whole process group) when it
 *          runs past seconds of wall time or writes more than max_out
 *          bytes; it also gets RLIMIT_CPU of seconds, a 1 GiB address
 *          space and no core dump.  Its stderr is kept for the message.
 * Memory:  out is appended to; the caller releases it.
 * Threads: safe to call from several threads (fork then only
 *          async-signal-safe calls before exec); SIGPIPE must not kill
 *          the caller (it is not raised: the pipes are read, not
 *          written). */
#ifndef FZ_CHILD_H
#define FZ_CHILD_H

#include <stddef.h>

#include "base/buf.h"

/* FZ_OK when the child exited 0.  FZ_EUNREADABLE with *errptr one line:
 * "NAME not installed", "NAME did not finish in N seconds", "NAME wrote
 * more than N MiB", "NAME failed: <first line of its stderr>", "NAME
 * killed by signal N".  FZ_ENOMEM, FZ_EIO (no temporary file, no fork). */
int fz_child_filter(const char *const argv[], const char *bytes, size_t len,
                    unsigned seconds, size_t max_out, struct fz_buf *out,
                    char **errptr);

#endif
