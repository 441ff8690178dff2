/* shim/fzx.h - the C API over Xapian: the only door to C++ in fz.
 *
 * Conventions (leveldb's): opaque handles, pointer + length strings,
 * `char **errptr` last (see text/fz.h); every function is noexcept: no C++
 * exception ever crosses into C.  Strings handed to C are malloc'd (the
 * caller free()s them) or borrowed until the next call on the handle.
 * Like Xapian objects, handles are used by one thread at a time.
 *
 * This first slice only links Xapian in and names its version; databases,
 * documents and queries arrive with the index and search issue. */
#ifndef FZ_FZX_H
#define FZ_FZX_H

#ifdef __cplusplus
#define FZX_NOEXCEPT noexcept
extern "C" {
#else
#define FZX_NOEXCEPT
#endif

/* The version of the Xapian library linked in, e.g. "1.4.22". */
const char *fzx_xapian_version(void) FZX_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif
