// shim/fzx.cc - see shim/fzx.h: databases, stubs, writers, documents
// (queries and the match: fzx_search.cc).  Every exported function catches all
// exceptions: Xapian throws, C cannot unwind.
//
// Each entry point is `try { ... } catch (...) { rc = fail(errptr); }`:
// fail() rethrows the exception being handled and sorts it, so the mapping
// from Xapian's exception classes to fz codes and messages lives in one
// place (the "Lippincott function" idiom) instead of forty copies.
#include "shim/fzx.h"
#include "shim/fzx_impl.h"
#include "shim/fzx_test.h"

#include <algorithm>
#include <exception>
#include <fstream>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xapian.h>

#include "base/fz.h"

// The 2.4 rules: replace *errptr (if any) with a malloc'd copy of msg.  If
// even that copy fails, *errptr becomes NULL and the code still tells.
void save_error(char **errptr, const char *msg) noexcept
{
    if (errptr == NULL)
        return;
    free(*errptr);
    *errptr = strdup(msg);
}

// Whether msg's first word is an ordinary capitalised word ("Couldn't",
// "The"), not an acronym or a name ("DB", "Xapian::Database"), and so can
// be lowercased.
static bool plain_first_word(const std::string &msg)
{
    if (msg.size() < 2 || !isupper(static_cast<unsigned char>(msg[0])))
        return false;
    for (size_t i = 1; i < msg.size() && msg[i] != ' '; i++)
        if (isupper(static_cast<unsigned char>(msg[i])) || msg[i] == ':')
            return false;
    return true;
}

// Xapian's message for *errptr, returning rc.  get_description() would
// give "InvalidArgumentError: Empty termnames aren't allowed."; 2.4 wants
// fz's form, so: the message with its first word lowercased (when that is
// safe), no closing full stop, then the system's reason if there is one,
// as get_description() puts it: "couldn't stat '...' (No such file or
// directory)".  The class name is left out: the code says what kind.
static int save_xapian(char **errptr, const Xapian::Error &e, int rc) noexcept
{
    try {
        std::string msg = e.get_msg();
        if (plain_first_word(msg))
            msg[0] = static_cast<char>(
                tolower(static_cast<unsigned char>(msg[0])));
        while (!msg.empty() && msg[msg.size() - 1] == '.')
            msg.erase(msg.size() - 1);
        const char *why = e.get_error_string();
        if (why != NULL && *why != '\0')
            msg = msg + " (" + why + ")";
        if (msg.empty())
            msg = e.get_type();
        save_error(errptr, msg.c_str());
    } catch (...) {             // building the message ran out of memory
        save_error(errptr, e.get_type());
    }
    return rc;
}

// Xapian names the database in some messages ("/x/idx: mkdir failed");
// the command names it already, so an opening function drops that prefix.
static void drop_path(char **errptr, const char *dir) noexcept
{
    if (errptr == NULL || *errptr == NULL || dir == NULL)
        return;
    size_t n = strlen(dir);
    char *m = *errptr;
    if (strncmp(m, dir, n) != 0 || m[n] != ':')
        return;
    if (m[n + 1] == ' ') {
        memmove(m, m + n + 2, strlen(m + n + 2) + 1);
    } else if (isdigit(static_cast<unsigned char>(m[n + 1]))) {
        // a file, read as a stub database: "/etc/passwd:1: Bad line"
        char *fixed = NULL;
        if (asprintf(&fixed, "not an index (line %s)", m + n + 1) >= 0) {
            free(m);
            *errptr = fixed;
        }
    }
}

// The fz code for the exception being handled; its message to *errptr.
// Only call from inside a catch block.  Xapian::Error is not polymorphic
// in 1.4 (no dynamic_cast), hence one handler per class that matters.
static int fail(char **errptr) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        // "Unable to get write lock on DIR: already locked" is another
        // writer; any other reason ("Couldn't open lockfile: Permission
        // denied", a read-only file system) is not, and waiting for the
        // other writer to finish would not help.
        std::string why = e.get_msg();
        static const char held[] = ": already locked";
        size_t at = why.find(": ");
        if (why.size() >= sizeof held - 1
            && why.compare(why.size() - (sizeof held - 1), std::string::npos,
                           held) == 0) {
            save_error(errptr, "index is locked by another writer");
            return FZ_ELOCKED;
        }
        why = at == std::string::npos ? why : why.substr(at + 2);
        if (plain_first_word(why))
            why[0] = static_cast<char>(
                tolower(static_cast<unsigned char>(why[0])));
        save_error(errptr, ("cannot lock the index for writing (" + why
                            + ")").c_str());
        return FZ_EINDEX;
    } catch (const Xapian::DatabaseCorruptError &e) {
        // "rev file magic incorrect" says little to whoever gave --db
        int rc = save_xapian(errptr, e, FZ_EINDEX);
        if (errptr != NULL && *errptr != NULL) {
            std::string m = std::string("not an index, or a damaged one (")
                            + *errptr + ")";
            save_error(errptr, m.c_str());
        }
        return rc;
    } catch (const Xapian::DatabaseNotFoundError &) {
        // Raised for a missing directory and for one without a database
        // ("Couldn't detect type of database"); the caller names the path.
        save_error(errptr, "no database found");
        return FZ_ENOTFOUND;
    } catch (const Xapian::DatabaseModifiedError &e) {
        return save_xapian(errptr, e, FZ_EMODIFIED);
    } catch (const Xapian::NetworkError &e) {   // and NetworkTimeoutError
        return save_xapian(errptr, e, FZ_ENETWORK);
    } catch (const Xapian::InvalidArgumentError &e) {   // empty term, ...
        return save_xapian(errptr, e, FZ_EINVAL);
    } catch (const Xapian::InvalidOperationError &e) {  // commit, no begin
        return save_xapian(errptr, e, FZ_EINVAL);
    } catch (const Xapian::Error &e) {      // not a std::exception in 1.4
        return save_xapian(errptr, e, FZ_EINDEX);
    } catch (const std::bad_alloc &) {
        save_error(errptr, "out of memory");
        return FZ_ENOMEM;
    } catch (const std::exception &e) {
        save_error(errptr, e.what());
        return FZ_EINDEX;
    } catch (...) {
        save_error(errptr, "unexpected c++ exception");
        return FZ_EINDEX;
    }
}

// fail() for a call on db: a network error also notes which shard its
// connection leads to.  Only call from inside a catch block.
int fail_on(fzx_db *db, char **errptr) noexcept
{
    if (db != NULL) {
        try {
            throw;
        } catch (const Xapian::NetworkError &e) {
            db->failed = db->remotes.empty() ? -1 : -2;
            for (const auto &r : db->remotes)
                if (r.context == e.get_context())
                    db->failed = static_cast<long>(r.k);
        } catch (...) {
            db->failed = -1;
        }
    }
    return fail(errptr);
}

void set_code(int *code, int rc) noexcept
{
    if (code != NULL)
        *code = rc;
}

// (p, len) as a std::string; p may be NULL when len is 0.
std::string str(const char *p, size_t len)
{
    return len == 0 ? std::string() : std::string(p, len);
}

// A malloc'd, NUL-terminated copy of s for C, with its length in *len.
char *dup_out(const std::string &s, size_t *len)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (p == NULL)
        throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    if (len != NULL)
        *len = s.size();
    return p;
}

// Xapian's metadata has no "present but empty": setting "" deletes the
// key.  So an empty value is the header's "absent": NULL with *len 0.
static char *metadata_out(const std::string &s, size_t *len)
{
    if (len != NULL)
        *len = 0;
    return s.empty() ? NULL : dup_out(s, len);
}

extern "C" const char *fzx_xapian_version(void) noexcept
{
    return Xapian::version_string();
}

extern "C" void fzx_on_fatal(void (*fn)(void)) noexcept
{
    std::set_terminate(fn);
}

/* ---- databases ------------------------------------------------------- */

extern "C" fzx_db *fzx_db_open(const char *dir, int *code,
                               char **errptr) noexcept
{
    try {
        fzx_db *db = new fzx_db(Xapian::Database(dir));
        // A file is read as a stub listing databases; one listing none
        // (an empty file, say) opens as nothing at all, and every search
        // would fail with "uninitialised Database".
        if (db->rep.size() == 0) {
            delete db;
            save_error(errptr, "not an index");
            set_code(code, FZ_EINDEX);
            return NULL;
        }
        set_code(code, FZ_OK);
        return db;
    } catch (...) {
        set_code(code, fail(errptr));
        drop_path(errptr, dir);
    }
    return NULL;
}

extern "C" void fzx_db_close(fzx_db *db) noexcept
{
    delete db;          // Xapian's destructors do not throw
}

extern "C" int fzx_db_reopen(fzx_db *db, char **errptr) noexcept
{
    try {
        db->rep.reopen();
        return FZ_OK;
    } catch (...) {
        return fail_on(db, errptr);
    }
}

extern "C" unsigned long fzx_db_doccount(fzx_db *db, int *code,
                                         char **errptr) noexcept
{
    try {
        unsigned long n = db->rep.get_doccount();
        set_code(code, FZ_OK);
        return n;
    } catch (...) {
        set_code(code, fail_on(db, errptr));
    }
    return 0;
}

extern "C" unsigned long fzx_db_termfreq(fzx_db *db, const char *term,
                                         size_t len, int *code,
                                         char **errptr) noexcept
{
    try {
        unsigned long n = db->rep.get_termfreq(str(term, len));
        set_code(code, FZ_OK);
        return n;
    } catch (...) {
        set_code(code, fail_on(db, errptr));
    }
    return 0;
}

extern "C" char *fzx_db_get_metadata(fzx_db *db, const char *key,
                                     size_t *len, char **errptr) noexcept
{
    try {
        return metadata_out(db->rep.get_metadata(key), len);
    } catch (...) {
        fail_on(db, errptr);
    }
    return NULL;
}

extern "C" size_t fzx_db_n_parts(const fzx_db *db) noexcept
{
    return db->parts.empty() ? 1 : db->parts.size();
}

extern "C" char *fzx_db_get_part_metadata(fzx_db *db, size_t k,
                                          const char *key, size_t *len,
                                          char **errptr) noexcept
{
    try {
        const Xapian::Database &d = db->parts.empty() ? db->rep
                                                      : db->parts.at(k);
        return metadata_out(d.get_metadata(key), len);
    } catch (...) {
        fail_on(db, errptr);
    }
    return NULL;
}

extern "C" char *fzx_db_get_data_by_term(fzx_db *db, const char *term,
                                         size_t tlen, size_t *len,
                                         int *code, char **errptr) noexcept
{
    if (len != NULL)
        *len = 0;
    try {
        std::string t = str(term, tlen);
        Xapian::PostingIterator it = db->rep.postlist_begin(t);
        if (it == db->rep.postlist_end(t)) {
            set_code(code, FZ_ENOTFOUND);
            return NULL;
        }
        char *out = dup_out(db->rep.get_document(*it).get_data(), len);
        set_code(code, out ? FZ_OK : FZ_ENOMEM);
        return out;
    } catch (...) {
        set_code(code, fail_on(db, errptr));
    }
    return NULL;
}

extern "C" char *fzx_db_get_data_by_value(fzx_db *db, const char *term,
                                          size_t tlen, unsigned slot,
                                          const char *val, size_t vlen,
                                          size_t *len, char **errptr) noexcept
{
    if (len != NULL)
        *len = 0;
    try {
        std::string t = str(term, tlen), v = str(val, vlen);
        for (Xapian::PostingIterator it = db->rep.postlist_begin(t);
             it != db->rep.postlist_end(t); ++it) {
            Xapian::Document d = db->rep.get_document(*it);
            if (d.get_value(slot) == v)
                return dup_out(d.get_data(), len);
        }
    } catch (...) {
        fail(errptr);
    }
    return NULL;
}

// The data of the document indexed by term whose value in slot is least;
// "" with docid 0 when there is none.
static std::string first_data(const Xapian::Database &db,
                              const std::string &t, unsigned slot,
                              Xapian::docid *docid)
{
    std::string best, data;
    Xapian::docid at = 0;
    for (Xapian::PostingIterator it = db.postlist_begin(t);
         it != db.postlist_end(t); ++it) {
        Xapian::Document d = db.get_document(*it);
        std::string v = d.get_value(slot);
        if (at == 0 || v < best) {
            best = v;
            at = *it;
            data = d.get_data();
        }
    }
    *docid = at;
    return data;
}

// fzx_db_first_data() and fzx_writer_first_data() on either database:
// malloc'd data, or NULL when no document has term.  May throw.
static char *first_data_out(const Xapian::Database &db, const char *term,
                            size_t tlen, unsigned slot, unsigned long *docid,
                            size_t *len)
{
    if (len != NULL)
        *len = 0;
    if (docid != NULL)
        *docid = 0;
    Xapian::docid at = 0;
    std::string data = first_data(db, str(term, tlen), slot, &at);
    if (at == 0)
        return NULL;
    if (docid != NULL)
        *docid = at;
    return dup_out(data, len);
}

extern "C" char *fzx_db_first_data(fzx_db *db, const char *term,
                                   size_t tlen, unsigned slot,
                                   unsigned long *docid, size_t *len,
                                   char **errptr) noexcept
{
    try {
        return first_data_out(db->rep, term, tlen, slot, docid, len);
    } catch (...) {
        fail_on(db, errptr);
    }
    return NULL;
}

extern "C" int fzx_db_each_term(fzx_db *db, const char *prefix,
                                int (*fn)(void *ctx, const char *term,
                                          size_t len),
                                void *ctx, char **errptr) noexcept
{
    try {
        std::string pre = prefix != NULL ? prefix : "";
        Xapian::TermIterator end = db->rep.allterms_end(pre);
        for (Xapian::TermIterator it = db->rep.allterms_begin(pre);
             it != end; ++it) {
            const std::string t = *it;
            if (fn(ctx, t.c_str(), t.size()) != 0)
                break;
        }
        return FZ_OK;
    } catch (...) {
        return fail_on(db, errptr);
    }
}

extern "C" int fzx_db_each_metadata(fzx_db *db, const char *prefix,
                                    int (*fn)(void *ctx, const char *key,
                                              size_t klen, const char *val,
                                              size_t vlen),
                                    void *ctx, char **errptr) noexcept
{
    try {
        std::string pre = prefix != NULL ? prefix : "";
        Xapian::TermIterator end = db->rep.metadata_keys_end(pre);
        for (Xapian::TermIterator it = db->rep.metadata_keys_begin(pre);
             it != end; ++it) {
            const std::string k = *it, v = db->rep.get_metadata(k);
            if (fn(ctx, k.c_str(), k.size(), v.c_str(), v.size()) != 0)
                break;
        }
        return FZ_OK;
    } catch (...) {
        return fail_on(db, errptr);
    }
}

extern "C" int fzx_db_each_document(fzx_db *db,
                                    int (*fn)(void *ctx, const char *data,
                                              size_t dlen, const char *terms,
                                              size_t tlen),
                                    void *ctx, char **errptr) noexcept
{
    try {
        const std::string all;
        for (Xapian::PostingIterator it = db->rep.postlist_begin(all);
             it != db->rep.postlist_end(all); ++it) {
            Xapian::Document d = db->rep.get_document(*it);
            std::string terms;
            for (Xapian::TermIterator t = d.termlist_begin();
                 t != d.termlist_end(); ++t) {
                terms += *t;
                terms += '\n';
            }
            for (Xapian::ValueIterator v = d.values_begin();
                 v != d.values_end(); ++v) {
                terms += '#' + std::to_string(v.get_valueno()) + '=' + *v;
                terms += '\n';
            }
            std::string data = d.get_data();
            if (fn(ctx, data.data(), data.size(), terms.data(), terms.size()))
                break;
        }
        return FZ_OK;
    } catch (...) {
        return fail(errptr);
    }
}

/* ---- shards ------------------------------------------------------------- */

static bool exists(const std::string &path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0;
}

static char *dup_c(const std::string &s)
{
    return dup_out(s, NULL);
}

extern "C" void fzx_shards_free(struct fzx_shard *v, size_t n) noexcept
{
    for (size_t k = 0; v != NULL && k < n; k++) {
        free(v[k].name);
        free(v[k].path);
        free(v[k].args);
        free(v[k].host);
    }
    free(v);
}

// One line of a stub as Xapian 1.4 reads it (backends/databasehelpers.h:
// read_stub_file): "TYPE REST", paths relative to the stub's folder, a
// remote program after a colon, a TCP remote as HOST:PORT ([IPv6]:PORT).
// False for a line Xapian would reject or that is no shard we open
// (inmemory): fzx_db_open is left to say what it makes of the file.
static bool stub_line(const std::string &line, const std::string &dir,
                      struct fzx_shard *s)
{
    size_t sp = line.find(' ');
    std::string type = line.substr(0, sp);
    std::string rest = sp == std::string::npos ? "" : line.substr(sp + 1);
    if ((type == "auto" || type == "glass" || type == "chert")
        && !rest.empty()) {
        std::string path = rest[0] == '/' ? rest : dir + rest;
        s->kind = FZX_SHARD_LOCAL;
        s->name = dup_c(path);
        s->path = dup_c(path);
        return true;
    }
    if (type != "remote" || rest.empty())
        return false;
    if (rest[0] == ':') {
        size_t a = rest.find(' ');
        s->kind = FZX_SHARD_PROG;
        s->path = dup_c(rest.substr(1, a == std::string::npos ? a : a - 1));
        s->args = dup_c(a == std::string::npos ? "" : rest.substr(a + 1));
        s->name = dup_c(rest.substr(1));
        return true;
    }
    size_t colon = rest.rfind(':');
    if (colon == std::string::npos || colon + 1 == rest.size())
        return false;
    char *end;
    unsigned long port = strtoul(rest.c_str() + colon + 1, &end, 10);
    if (*end != '\0' || port > 65535 || !isdigit((unsigned char)rest[colon + 1]))
        return false;
    std::string host = rest.substr(0, colon);
    if (host.size() >= 2 && host[0] == '[' && host[host.size() - 1] == ']')
        host = host.substr(1, host.size() - 2);
    s->kind = FZX_SHARD_TCP;
    s->host = dup_c(host);
    s->port = static_cast<unsigned>(port);
    s->name = dup_c(rest);
    return true;
}

static void free_shard(struct fzx_shard *s)
{
    free(s->name);
    free(s->path);
    free(s->args);
    free(s->host);
}

// The stub file (the only parser of one in fz): its shards into got, its
// comment lines, without "# ", into notes.  FZ_OK; FZ_ENOTSTUB when file
// cannot be opened; FZ_EINVAL when a line is none stub_line() reads.
// Throws std::bad_alloc.
static int parse_stub(const std::string &file,
                      std::vector<struct fzx_shard> &got, std::string *notes)
{
    std::ifstream in(file);
    if (!in)
        return FZ_ENOTSTUB;
    size_t slash = file.rfind('/');
    std::string dir = slash == std::string::npos
                      ? "" : file.substr(0, slash + 1);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty())
            continue;
        if (line[0] == '#') {
            if (notes != NULL)
                *notes += line.substr(line.compare(0, 2, "# ") == 0 ? 2 : 1)
                          + "\n";
            continue;
        }
        got.push_back(fzx_shard());     // zeroed: freed on failure
        if (!stub_line(line, dir, &got.back()))
            return FZ_EINVAL;
    }
    return in.bad() ? FZ_EINVAL : FZ_OK;
}

static const char STUB_NAME[] = FZX_STUB_NAME;  // backends/dbfactory.cc

extern "C" int fzx_stub_read(const char *path, struct fzx_shard **v,
                             size_t *n, char **errptr) noexcept
{
    std::vector<struct fzx_shard> got;
    int rc = FZ_ENOTSTUB;
    *v = NULL;
    *n = 0;
    try {
        // Xapian's order (backends/dbfactory.cc): a folder is a database
        // if it has its marker file, else a stub if it has XAPIANDB
        std::string file = path;
        struct stat st;
        if (stat(path, &st) != 0)
            return FZ_ENOTSTUB;
        if (S_ISDIR(st.st_mode)) {
            if (exists(file + "/iamglass") || exists(file + "/iamchert"))
                return FZ_ENOTSTUB;
            file = file + "/" + STUB_NAME;
        } else if (!S_ISREG(st.st_mode)) {
            return FZ_ENOTSTUB;
        }
        // a line Xapian would reject: fzx_db_open says what it is
        if (parse_stub(file, got, NULL) == FZ_OK) {
            struct fzx_shard *out = static_cast<struct fzx_shard *>(
                calloc(got.size() + 1, sizeof *out));
            if (out == NULL)
                throw std::bad_alloc();
            for (size_t k = 0; k < got.size(); k++)
                out[k] = got[k];
            *v = out;
            *n = got.size();
            return FZ_OK;
        }
    } catch (...) {
        rc = fail(errptr);
    }
    for (auto &s : got)
        free_shard(&s);
    return rc;
}

/* ---- an index folder ------------------------------------------------- */

extern "C" char *fzx_shard_path(const char *dir, size_t k) noexcept
{
    char *p;
    return asprintf(&p, "%s/s%04zu", dir, k) < 0 ? NULL : p;
}

extern "C" int fzx_stub_write(const char *dir, const char *notes, size_t n,
                              char **errptr) noexcept
{
    char *tmp, *stub;
    if (asprintf(&tmp, "%s/%s.tmp", dir, STUB_NAME) < 0)
        return FZ_ENOMEM;
    if (asprintf(&stub, "%s/%s", dir, STUB_NAME) < 0) {
        free(tmp);
        return FZ_ENOMEM;
    }
    FILE *f = fopen(tmp, "w");
    int rc = FZ_OK;
    if (f != NULL) {
        for (const char *p = notes; p != NULL && *p != '\0';) {
            const char *e = strchr(p, '\n');
            int len = (int)(e ? e - p : (long)strlen(p));
            fprintf(f, "# %.*s\n", len, p);
            p = e ? e + 1 : p + len;
        }
        for (size_t k = 0; k < n; k++)
            fprintf(f, "glass s%04zu\n", k);
    }
    // the new stub is on disk before it replaces the old one
    if (f == NULL || fflush(f) != 0 || fsync(fileno(f)) != 0
        || fclose(f) != 0 || rename(tmp, stub) != 0) {
        char *msg = NULL;
        if (asprintf(&msg, "%s: %s", stub, strerror(errno)) >= 0) {
            save_error(errptr, msg);
            free(msg);
        }
        rc = FZ_EIO;
    }
    free(tmp);
    free(stub);
    return rc;
}

extern "C" int fzx_stub_notes(const char *dir, char **notes, size_t *n,
                              char **errptr) noexcept
{
    std::vector<struct fzx_shard> got;
    int rc;
    *notes = NULL;
    *n = 0;
    try {
        std::string text;
        rc = parse_stub(std::string(dir) + "/" + STUB_NAME, got, &text);
        if (rc == FZ_EINVAL)
            save_error(errptr, "not a stub file Xapian reads");
        if (rc == FZ_OK) {
            *notes = dup_c(text);
            *n = got.size();
        }
    } catch (...) {
        rc = fail(errptr);
    }
    for (auto &s : got)
        free_shard(&s);
    return rc;
}

extern "C" unsigned fzx_dir_holds(const char *dir) noexcept
{
    try {
        std::string d = dir;
        unsigned has = 0;
        if (exists(d + "/iamglass"))
            has |= FZX_HAS_DB;
        if (exists(d + "/" + STUB_NAME))
            has |= FZX_HAS_STUB;
        return has;
    } catch (...) {
        return 0;
    }
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), e = strlen(suf);
    return n > e && strcasecmp(s + n - e, suf) == 0;
}

extern "C" enum fzx_name fzx_dir_name(const char *d) noexcept
{
    if (strcmp(d, "iamglass") == 0 || strcmp(d, STUB_NAME) == 0)
        return FZX_NAME_MARK;
    // glass's tables and lock file, its change sets, the stub's temporary
    // file and anything beginning like the stub, shards (s0000) and the
    // copies of them compaction makes and swaps in (s0000.compact-PID)
    if (strcmp(d, "flintlock") == 0 || has_suffix(d, ".glass")
        || has_suffix(d, ".tmp") || strncmp(d, "changes", 7) == 0
        || strncmp(d, STUB_NAME, sizeof STUB_NAME - 1) == 0
        || (d[0] == 's' && strspn(d + 1, "0123456789") == 4))
        return FZX_NAME_PART;
    return FZX_NAME_OTHER;
}

extern "C" int fzx_db_remove(const char *dir, char **errptr) noexcept
{
    DIR *d = opendir(dir);
    int rc = 0, e = 0;
    if (d == NULL) {
        e = errno;
        rc = -1;
    }
    struct dirent *ent;
    while (d != NULL && (ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        char *p;
        if (asprintf(&p, "%s/%s", dir, ent->d_name) < 0) {
            closedir(d);
            return FZ_ENOMEM;
        }
        if (unlink(p) != 0 && rc == 0) {
            e = errno;
            rc = -1;
        }
        free(p);
    }
    if (d != NULL) {
        closedir(d);
        if (rmdir(dir) != 0 && rc == 0) {
            e = errno;
            rc = -1;
        }
    }
    if (rc == 0)
        return FZ_OK;
    save_error(errptr, strerror(e));
    return FZ_EIO;
}

static Xapian::Database open_remote(const fzx_remote &r)
{
    if (r.kind == FZX_SHARD_TCP)
        return Xapian::Remote::open(r.where, r.port, r.timeout_ms,
                                    r.connect_ms);
    return Xapian::Remote::open(r.where, r.args, r.timeout_ms);
}

// The context Xapian 1.4 gives errors on a remote connection
// (net/tcpclient.cc get_tcpcontext(), net/progclient.cc get_progcontext()).
static std::string remote_context(const struct fzx_shard *s)
{
    if (s->kind == FZX_SHARD_TCP)
        return "remote:tcp(" + std::string(s->host) + ":"
               + std::to_string(s->port) + ")";
    return "remote:prog(" + std::string(s->path) + " "
           + std::string(s->args) + ")";
}

extern "C" fzx_db *fzx_db_open_shards(const struct fzx_shard *v, size_t n,
                                      const unsigned char *skip,
                                      unsigned timeout_ms,
                                      unsigned connect_ms, int *codes,
                                      char **msgs) noexcept
{
    fzx_db *db = NULL;
    try {
        db = new fzx_db(Xapian::Database());
        db->remotes.reserve(n);     // push_back below cannot throw then
        db->parts.reserve(n);
    } catch (...) {
        delete db;
        return NULL;
    }
    for (size_t k = 0; k < n; k++) {
        const struct fzx_shard *s = &v[k];
        if (skip != NULL && skip[k]) {
            codes[k] = -1;
            continue;
        }
        try {
            fzx_remote r;
            if (s->kind != FZX_SHARD_LOCAL) {
                r.k = k;
                r.kind = s->kind;
                r.where = s->kind == FZX_SHARD_TCP ? s->host : s->path;
                r.args = s->kind == FZX_SHARD_TCP ? "" : s->args;
                r.port = s->port;
                r.timeout_ms = timeout_ms;
                r.connect_ms = connect_ms;
                r.context = remote_context(s);
            }
            Xapian::Database part = s->kind == FZX_SHARD_LOCAL
                                    ? Xapian::Database(s->path)
                                    : open_remote(r);
            db->rep.add_database(part);
            db->parts.push_back(part);          // reserved: cannot throw
            if (s->kind != FZX_SHARD_LOCAL)     // reserved: cannot throw
                db->remotes.push_back(std::move(r));
            codes[k] = FZ_OK;
        } catch (...) {
            codes[k] = fail(&msgs[k]);
            if (s->kind == FZX_SHARD_LOCAL)
                drop_path(&msgs[k], s->path);
        }
    }
    return db;
}

extern "C" long fzx_db_failed_shard(fzx_db *db) noexcept
{
    if (db == NULL)
        return -1;
    // Ask each remote shard again, on a connection of its own (the old
    // ones may be out of step): the first that does not answer it is.
    for (size_t i = 0; db->failed == -2 && i < db->remotes.size(); i++) {
        try {
            open_remote(db->remotes[i]).get_metadata("fz:probe");
        } catch (...) {
            db->failed = static_cast<long>(db->remotes[i].k);
        }
    }
    if (db->failed == -2)
        db->failed = -1;
    return db->failed;
}

extern "C" fzx_writer *fzx_writer_open(const char *dir, int *code,
                                       char **errptr) noexcept
{
    return fzx_writer_open_with(dir, 0, code, errptr);
}

extern "C" fzx_writer *fzx_writer_open_with(const char *dir, unsigned flags,
                                            int *code, char **errptr) noexcept
{
    try {
        // DB_NO_TERMLIST matters only when the database is made: one
        // that exists keeps its term lists, or opens without any
        struct stat sb;
        std::string d(dir);
        bool exists = stat((d + "/iamglass").c_str(), &sb) == 0
                      || stat((d + "/XAPIANDB").c_str(), &sb) == 0;
        int how = Xapian::DB_CREATE_OR_OPEN;
        if ((flags & FZX_NO_TERMLIST) || exists)
            how |= Xapian::DB_NO_TERMLIST;
        fzx_writer *w = new fzx_writer{
            Xapian::WritableDatabase(dir, how, FZX_BLOCK_SIZE)};
        set_code(code, FZ_OK);
        return w;
    } catch (...) {
        set_code(code, fail(errptr));
        drop_path(errptr, dir);
    }
    return NULL;
}

extern "C" void fzx_writer_defaults(void) noexcept
{
    char n[16];
    snprintf(n, sizeof n, "%d", FZX_FLUSH_DOCS);
    setenv("XAPIAN_FLUSH_THRESHOLD", n, 0);
}

// close() commits unless a transaction is open, which it cancels: the
// header's promise that only a successful commit makes a transaction
// visible.  w is freed whatever close() says, like fclose().
extern "C" int fzx_writer_close(fzx_writer *w, char **errptr) noexcept
{
    if (w == NULL)
        return FZ_OK;
    int rc = FZ_OK;
    try {
        w->rep.close();
    } catch (...) {
        rc = fail(errptr);
    }
    delete w;
    return rc;
}

extern "C" int fzx_writer_begin(fzx_writer *w, char **errptr) noexcept
{
    try {
        // flushed: changes made before begin are committed first, so a
        // cancel drops exactly what was done inside the transaction.
        w->rep.begin_transaction(true);
        return FZ_OK;
    } catch (...) {
        return fail(errptr);
    }
}

extern "C" int fzx_writer_commit(fzx_writer *w, char **errptr) noexcept
{
    try {
        w->rep.commit_transaction();
        return FZ_OK;
    } catch (...) {
        return fail(errptr);
    }
}

extern "C" int fzx_writer_cancel(fzx_writer *w, char **errptr) noexcept
{
    try {
        w->rep.cancel_transaction();
        return FZ_OK;
    } catch (...) {
        return fail(errptr);
    }
}

extern "C" int fzx_writer_delete(fzx_writer *w, const char *term, size_t len,
                                 char **errptr) noexcept
{
    try {
        w->rep.delete_document(str(term, len));
        return FZ_OK;
    } catch (...) {
        return fail(errptr);
    }
}

extern "C" int fzx_writer_set_metadata(fzx_writer *w, const char *key,
                                       const char *val, size_t len,
                                       char **errptr) noexcept
{
    try {
        w->rep.set_metadata(key, str(val, len));
        return FZ_OK;
    } catch (...) {
        return fail(errptr);
    }
}

extern "C" char *fzx_writer_get_metadata(fzx_writer *w, const char *key,
                                         size_t *len, char **errptr) noexcept
{
    try {
        return metadata_out(w->rep.get_metadata(key), len);
    } catch (...) {
        fail(errptr);
    }
    return NULL;
}

extern "C" int fzx_writer_has_term(fzx_writer *w, const char *term,
                                   size_t len, char **errptr) noexcept
{
    try {
        return w->rep.term_exists(str(term, len)) ? 1 : 0;
    } catch (...) {
        fail(errptr);
    }
    return -1;
}

extern "C" long fzx_writer_termfreq(fzx_writer *w, const char *term,
                                    size_t len, char **errptr) noexcept
{
    try {
        return static_cast<long>(w->rep.get_termfreq(str(term, len)));
    } catch (...) {
        fail(errptr);
    }
    return -1;
}

extern "C" char *fzx_writer_first_data(fzx_writer *w, const char *term,
                                       size_t tlen, unsigned slot,
                                       unsigned long *docid, size_t *len,
                                       char **errptr) noexcept
{
    try {
        return first_data_out(w->rep, term, tlen, slot, docid, len);
    } catch (...) {
        fail(errptr);
    }
    return NULL;
}

extern "C" unsigned long fzx_writer_lastdocid(fzx_writer *w,
                                               char **errptr) noexcept
{
    try {
        return w->rep.get_lastdocid();
    } catch (...) {
        fail(errptr);
    }
    return 0;
}

extern "C" int fzx_writer_postings(fzx_writer *w, const char *term,
                                   size_t tlen, unsigned long **ids,
                                   size_t *n, char **errptr) noexcept
{
    *ids = NULL;
    *n = 0;
    try {
        std::vector<unsigned long> v;
        const std::string t = str(term, tlen);
        for (Xapian::PostingIterator it = w->rep.postlist_begin(t);
             it != w->rep.postlist_end(t); ++it)
            v.push_back(*it);
        if (v.empty())
            return FZ_OK;
        *ids = static_cast<unsigned long *>(malloc(v.size() * sizeof **ids));
        if (*ids == NULL)
            return FZ_ENOMEM;
        std::copy(v.begin(), v.end(), *ids);
        *n = v.size();
        return FZ_OK;
    } catch (...) {
        return fail(errptr);
    }
}

extern "C" fzx_doc *fzx_writer_doc(fzx_writer *w, unsigned long docid,
                                   int *code, char **errptr) noexcept
{
    try {
        Xapian::Document old =
            w->rep.get_document(static_cast<Xapian::docid>(docid));
        fzx_doc *d = new fzx_doc;
        d->rep.set_data(old.get_data());
        // slot by slot: a database without term lists cannot list the
        // slots a document uses (glass keeps that beside its terms)
        for (Xapian::valueno slot = 0; slot < FZX_DOC_SLOTS; ++slot) {
            std::string v = old.get_value(slot);
            if (!v.empty())
                d->rep.add_value(slot, v);
        }
        set_code(code, FZ_OK);
        return d;
    } catch (const Xapian::DocNotFoundError &) {
        set_code(code, FZ_ENOTFOUND);
    } catch (...) {
        set_code(code, fail(errptr));
    }
    return NULL;
}

extern "C" char *fzx_doc_get_data(const fzx_doc *d, size_t *len) noexcept
{
    try {
        return dup_out(d->rep.get_data(), len);
    } catch (...) {
        return NULL;
    }
}

extern "C" char *fzx_doc_get_value(const fzx_doc *d, unsigned slot,
                                   size_t *len) noexcept
{
    try {
        return dup_out(d->rep.get_value(slot), len);
    } catch (...) {
        return NULL;
    }
}

extern "C" int fzx_writer_set_data(fzx_writer *w, unsigned long docid,
                                   const char *data, size_t len,
                                   char **errptr) noexcept
{
    try {
        Xapian::docid id = static_cast<Xapian::docid>(docid);
        Xapian::Document d = w->rep.get_document(id);
        d.set_data(str(data, len));
        w->rep.replace_document(id, d);
        return FZ_OK;
    } catch (const Xapian::DocNotFoundError &) {
        save_error(errptr, "no such document");
        return FZ_ENOTFOUND;
    } catch (...) {
        return fail(errptr);
    }
}

extern "C" int fzx_writer_each_term(fzx_writer *w, const char *prefix,
                                    int (*fn)(void *ctx, const char *term,
                                              size_t len),
                                    void *ctx, char **errptr) noexcept
{
    try {
        std::string pre = prefix != NULL ? prefix : "";
        Xapian::TermIterator end = w->rep.allterms_end(pre);
        for (Xapian::TermIterator it = w->rep.allterms_begin(pre); it != end;
             ++it) {
            const std::string t = *it;
            if (fn(ctx, t.c_str(), t.size()) != 0)
                break;
        }
        return FZ_OK;
    } catch (...) {
        return fail(errptr);
    }
}

extern "C" int fzx_writer_each_metadata_key(fzx_writer *w, const char *prefix,
                                            int (*fn)(void *ctx,
                                                      const char *key,
                                                      size_t len),
                                            void *ctx, char **errptr) noexcept
{
    try {
        std::string pre = prefix != NULL ? prefix : "";
        // collected first: fn may change the metadata it is shown
        std::vector<std::string> keys;
        Xapian::TermIterator end = w->rep.metadata_keys_end(pre);
        for (Xapian::TermIterator it = w->rep.metadata_keys_begin(pre);
             it != end; ++it)
            keys.push_back(*it);
        for (const std::string &k : keys)
            if (fn(ctx, k.c_str(), k.size()) != 0)
                break;
        return FZ_OK;
    } catch (...) {
        return fail(errptr);
    }
}

/* ---- documents -------------------------------------------------------- */

extern "C" fzx_doc *fzx_doc_new(void) noexcept
{
    try {
        return new fzx_doc{Xapian::Document()};
    } catch (...) {
        return NULL;
    }
}

extern "C" void fzx_doc_free(fzx_doc *d) noexcept
{
    delete d;
}

// The document calls have no errptr: the code alone says what failed.
extern "C" int fzx_doc_add_term(fzx_doc *d, const char *term, size_t len,
                                unsigned wdf_inc) noexcept
{
    try {
        d->rep.add_term(str(term, len), wdf_inc);
        return FZ_OK;
    } catch (...) {
        return fail(NULL);
    }
}

extern "C" int fzx_doc_add_posting(fzx_doc *d, const char *term, size_t len,
                                   unsigned pos) noexcept
{
    try {
        d->rep.add_posting(str(term, len), pos);
        return FZ_OK;
    } catch (...) {
        return fail(NULL);
    }
}

extern "C" int fzx_doc_add_boolean(fzx_doc *d, const char *term,
                                   size_t len) noexcept
{
    try {
        d->rep.add_boolean_term(str(term, len));
        return FZ_OK;
    } catch (...) {
        return fail(NULL);
    }
}

extern "C" int fzx_doc_set_value(fzx_doc *d, unsigned slot, const char *val,
                                 size_t len) noexcept
{
    try {
        d->rep.add_value(slot, str(val, len));
        return FZ_OK;
    } catch (...) {
        return fail(NULL);
    }
}

extern "C" int fzx_doc_set_data(fzx_doc *d, const char *data,
                                size_t len) noexcept
{
    try {
        d->rep.set_data(str(data, len));
        return FZ_OK;
    } catch (...) {
        return fail(NULL);
    }
}

extern "C" int fzx_writer_replace(fzx_writer *w, const char *id,
                                  size_t idlen, fzx_doc *d,
                                  char **errptr) noexcept
{
    try {
        std::string idterm = str(id, idlen);
        d->rep.add_boolean_term(idterm);
        w->rep.replace_document(idterm, d->rep);
        return FZ_OK;
    } catch (...) {
        return fail(errptr);
    }
}

extern "C" int fzx_writer_add(fzx_writer *w, const char *id, size_t idlen,
                              fzx_doc *d, char **errptr) noexcept
{
    try {
        if (idlen)
            d->rep.add_boolean_term(str(id, idlen));
        w->rep.add_document(d->rep);
        return FZ_OK;
    } catch (...) {
        return fail(errptr);
    }
}

extern "C" int fzx_compact(const char *src, const char *dst, int merge,
                           char **errptr) noexcept
{
    try {
        Xapian::Database db(src);
        // shards' docids overlap: merging renumbers them, in shard order
        db.compact(dst, Xapian::Compactor::FULL
                        | (merge ? 0 : Xapian::DBCOMPACT_NO_RENUMBER),
                   FZX_BLOCK_SIZE);
        return FZ_OK;
    } catch (...) {
        return fail(errptr);
    }
}

// Glass keeps each document's terms in termlist.glass for replacing and
// deleting it; searching never reads it (backends/glass/glass_database.h).
extern "C" int fzx_freeze(const char *dir, char **errptr) noexcept
{
    char *tl;
    if (asprintf(&tl, "%s/termlist.glass", dir) < 0) {
        save_error(errptr, "out of memory");
        return FZ_ENOMEM;
    }
    int u = unlink(tl), e = errno;
    free(tl);
    if (u != 0 && e != ENOENT) {
        std::string m = std::string("cannot drop the term list: ")
                        + strerror(e);
        save_error(errptr, m.c_str());
        return FZ_EIO;
    }
    return FZ_OK;
}

/* ---- queries ----------------------------------------------------------- */

