// shim/fzx.cc - see shim/fzx.h.  Every exported function catches all
// exceptions: Xapian throws, C cannot unwind.
//
// Each entry point is `try { ... } catch (...) { rc = fail(errptr); }`:
// fail() rethrows the exception being handled and sorts it, so the mapping
// from Xapian's exception classes to fz codes and messages lives in one
// place (the "Lippincott function" idiom) instead of forty copies.
#include "shim/fzx.h"

#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <xapian.h>

#include "text/fz.h"

struct fzx_db { Xapian::Database rep; };
struct fzx_writer { Xapian::WritableDatabase rep; };
struct fzx_doc { Xapian::Document rep; };
struct fzx_query { Xapian::Query rep; };
// The MSet reads its documents through the database its Enquire holds.
// Keeping the Enquire beside it makes that lifetime ours to see, rather
// than resting on how MSet happens to reference its Enquire internally.
struct fzx_mset {
    Xapian::Enquire enq;
    Xapian::MSet rep;
    std::vector<std::pair<std::string, unsigned long>> spied;
};

// The 2.4 rules: replace *errptr (if any) with a malloc'd copy of msg.  If
// even that copy fails, *errptr becomes NULL and the code still tells.
static void save_error(char **errptr, const char *msg) noexcept
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
            return FZX_ELOCKED;
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
        return FZX_ENOTFOUND;
    } catch (const Xapian::DatabaseModifiedError &e) {
        return save_xapian(errptr, e, FZX_EMODIFIED);
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

static void set_code(int *code, int rc) noexcept
{
    if (code != NULL)
        *code = rc;
}

// (p, len) as a std::string; p may be NULL when len is 0.
static std::string str(const char *p, size_t len)
{
    return len == 0 ? std::string() : std::string(p, len);
}

// A malloc'd, NUL-terminated copy of s for C, with its length in *len.
static char *dup_out(const std::string &s, size_t *len)
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
        fzx_db *db = new fzx_db{Xapian::Database(dir)};
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
        return fail(errptr);
    }
}

extern "C" unsigned long fzx_db_doccount(fzx_db *db) noexcept
{
    try {
        return db->rep.get_doccount();
    } catch (...) {
        return 0;
    }
}

extern "C" unsigned long fzx_db_termfreq(fzx_db *db, const char *term,
                                         size_t len) noexcept
{
    try {
        return db->rep.get_termfreq(str(term, len));
    } catch (...) {
        return 0;
    }
}

extern "C" char *fzx_db_get_metadata(fzx_db *db, const char *key,
                                     size_t *len, char **errptr) noexcept
{
    try {
        return metadata_out(db->rep.get_metadata(key), len);
    } catch (...) {
        fail(errptr);
    }
    return NULL;
}

extern "C" char *fzx_db_get_data_by_term(fzx_db *db, const char *term,
                                         size_t tlen, size_t *len,
                                         char **errptr) noexcept
{
    if (len != NULL)
        *len = 0;
    try {
        std::string t = str(term, tlen);
        Xapian::PostingIterator it = db->rep.postlist_begin(t);
        if (it == db->rep.postlist_end(t))
            return NULL;
        return dup_out(db->rep.get_document(*it).get_data(), len);
    } catch (...) {
        fail(errptr);
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

extern "C" fzx_writer *fzx_writer_open(const char *dir, int *code,
                                       char **errptr) noexcept
{
    try {
        fzx_writer *w = new fzx_writer{
            Xapian::WritableDatabase(dir, Xapian::DB_CREATE_OR_OPEN)};
        set_code(code, FZ_OK);
        return w;
    } catch (...) {
        set_code(code, fail(errptr));
        drop_path(errptr, dir);
    }
    return NULL;
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
                        | (merge ? 0 : Xapian::DBCOMPACT_NO_RENUMBER));
        return FZ_OK;
    } catch (...) {
        return fail(errptr);
    }
}

/* ---- queries ----------------------------------------------------------- */

extern "C" fzx_query *fzx_query_term(const char *term, size_t len) noexcept
{
    try {
        // An empty term is Xapian's MatchAll: every document.
        return new fzx_query{Xapian::Query(str(term, len))};
    } catch (...) {
        return NULL;
    }
}

extern "C" fzx_query *fzx_query_wildcard(const char *prefix,
                                         size_t len) noexcept
{
    try {
        // max_expansion 0 is "no limit": a one-character Chinese prefix
        // can expand to thousands of words and all of them should count.
        // The terms are combined with Xapian's default OP_SYNONYM (as its
        // QueryParser does for wildcards), which matches exactly the
        // documents OP_OR would but weighs the expansion as one term, so
        // a prefix with many expansions does not swamp the other words.
        return new fzx_query{Xapian::Query(Xapian::Query::OP_WILDCARD,
                                           str(prefix, len), 0,
                                           Xapian::Query::WILDCARD_LIMIT_ERROR,
                                           Xapian::Query::OP_SYNONYM)};
    } catch (...) {
        return NULL;
    }
}

static bool xapian_op(enum fzx_op op, Xapian::Query::op *out)
{
    switch (op) {
    case FZX_AND:       *out = Xapian::Query::OP_AND;       return true;
    case FZX_OR:        *out = Xapian::Query::OP_OR;        return true;
    case FZX_AND_NOT:   *out = Xapian::Query::OP_AND_NOT;   return true;
    case FZX_FILTER:    *out = Xapian::Query::OP_FILTER;    return true;
    case FZX_AND_MAYBE: *out = Xapian::Query::OP_AND_MAYBE; return true;
    case FZX_PHRASE:    *out = Xapian::Query::OP_PHRASE;    return true;
    }
    return false;
}

// A NULL among subs is a constructor that ran out of memory: the result
// is NULL too, so a tree built in one expression fails as a whole rather
// than silently losing a branch.  An op outside enum fzx_op gives NULL.
extern "C" fzx_query *fzx_query_combine(enum fzx_op op, fzx_query **subs,
                                        size_t n, unsigned window) noexcept
{
    fzx_query *out = NULL;
    try {
        Xapian::Query::op xop;
        bool ok = xapian_op(op, &xop) && (subs != NULL || n == 0);
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; ok && i < n; i++) {
            if (subs[i] == NULL)
                ok = false;
            else
                v.push_back(subs[i]->rep);      // shares, does not copy
        }
        // Xapian rejects a window on anything but OP_NEAR and OP_PHRASE.
        if (ok)
            out = new fzx_query{Xapian::Query(
                xop, v.begin(), v.end(), op == FZX_PHRASE ? window : 0)};
    } catch (...) {
        out = NULL;
    }
    for (size_t i = 0; subs != NULL && i < n; i++)
        delete subs[i];
    return out;
}

// Xapian rejects a negative factor; NaN is refused here as well, since it
// would make every weight NaN.  Both give NULL, q freed.
extern "C" fzx_query *fzx_query_scale(fzx_query *q, double factor) noexcept
{
    if (q == NULL)
        return NULL;
    try {
        if (factor >= 0) {
            q->rep = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->rep,
                                   factor);
            return q;
        }
    } catch (...) {
    }
    delete q;
    return NULL;
}

extern "C" void fzx_query_free(fzx_query *q) noexcept
{
    delete q;
}

extern "C" char *fzx_query_describe(const fzx_query *q) noexcept
{
    if (q == NULL)
        return NULL;
    try {
        return dup_out(q->rep.get_description(), NULL);
    } catch (...) {
        return NULL;
    }
}

/* ---- matching ---------------------------------------------------------- */

namespace {

// The C predicate of struct fzx_search as Xapian's MatchDecider.
class CDecider : public Xapian::MatchDecider {
    int (*fn_)(void *, const char *, size_t);
    void *ctx_;
  public:
    CDecider(int (*fn)(void *, const char *, size_t), void *ctx)
        : fn_(fn), ctx_(ctx) {}
    bool operator()(const Xapian::Document &d) const override
    {
        std::string s = d.get_data();
        return fn_(ctx_, s.data(), s.size()) != 0;
    }
};

}  // namespace

extern "C" fzx_mset *fzx_search_run(fzx_db *db, const fzx_query *q,
                                    const struct fzx_search *how, int *code,
                                    char **errptr) noexcept
{
    if (q == NULL || how == NULL) {
        save_error(errptr, "no query or no search parameters");
        set_code(code, FZ_EINVAL);
        return NULL;
    }
    fzx_mset *m = NULL;
    try {
        m = new fzx_mset{Xapian::Enquire(db->rep), Xapian::MSet(), {}};
        m->enq.set_query(q->rep);
        m->enq.set_weighting_scheme(Xapian::BM25Weight());
        if (how->collapse_slot >= 0)
            m->enq.set_collapse_key(
                static_cast<Xapian::valueno>(how->collapse_slot));
        Xapian::ValueCountMatchSpy spy(how->spy_slot);
        if (how->spy)
            m->enq.add_matchspy(&spy);
        CDecider dec(how->accept, how->accept_ctx);
        m->rep = m->enq.get_mset(how->offset, how->limit,
                                 how->check_at_least, NULL,
                                 how->accept ? &dec : NULL);
        if (how->spy) {
            for (Xapian::TermIterator t = spy.values_begin();
                 t != spy.values_end(); ++t)
                m->spied.emplace_back(*t, t.get_termfreq());
            m->enq.clear_matchspies();
        }
        set_code(code, FZ_OK);
        return m;
    } catch (...) {
        set_code(code, fail(errptr));
    }
    delete m;
    return NULL;
}

extern "C" void fzx_mset_free(fzx_mset *m) noexcept
{
    delete m;
}

// These read numbers the MSet already holds, but Xapian does not promise
// that they cannot throw, so they are guarded like everything else.
extern "C" size_t fzx_mset_size(const fzx_mset *m) noexcept
{
    try {
        return m != NULL ? m->rep.size() : 0;
    } catch (...) {
        return 0;
    }
}

extern "C" unsigned long fzx_mset_estimated(const fzx_mset *m) noexcept
{
    try {
        return m != NULL ? m->rep.get_matches_estimated() : 0;
    } catch (...) {
        return 0;
    }
}

extern "C" unsigned long fzx_mset_lower(const fzx_mset *m) noexcept
{
    try {
        return m != NULL ? m->rep.get_matches_lower_bound() : 0;
    } catch (...) {
        return 0;
    }
}

extern "C" unsigned long fzx_mset_upper(const fzx_mset *m) noexcept
{
    try {
        return m != NULL ? m->rep.get_matches_upper_bound() : 0;
    } catch (...) {
        return 0;
    }
}

// MSet::operator[] does not check its index: every caller does, here.
static bool in_range(const fzx_mset *m, size_t i)
{
    return i < fzx_mset_size(m);
}

extern "C" double fzx_mset_weight(const fzx_mset *m, size_t i) noexcept
{
    try {
        if (in_range(m, i))
            return m->rep[static_cast<Xapian::doccount>(i)].get_weight();
    } catch (...) {
    }
    return 0.0;
}

extern "C" char *fzx_mset_data(const fzx_mset *m, size_t i, size_t *len,
                               int *code, char **errptr) noexcept
{
    if (!in_range(m, i)) {
        save_error(errptr, "hit index out of range");
        set_code(code, FZ_EINVAL);
        return NULL;
    }
    try {
        Xapian::Document d =
            m->rep[static_cast<Xapian::doccount>(i)].get_document();
        char *p = dup_out(d.get_data(), len);
        set_code(code, FZ_OK);
        return p;
    } catch (...) {
        set_code(code, fail(errptr));     // FZX_EMODIFIED: reopen, rerun
    }
    return NULL;
}

extern "C" char *fzx_mset_value(const fzx_mset *m, size_t i, unsigned slot,
                                size_t *len, char **errptr) noexcept
{
    if (!in_range(m, i)) {
        save_error(errptr, "hit index out of range");
        return NULL;
    }
    try {
        Xapian::Document d =
            m->rep[static_cast<Xapian::doccount>(i)].get_document();
        return dup_out(d.get_value(slot), len);
    } catch (...) {
        fail(errptr);
    }
    return NULL;
}

extern "C" size_t fzx_mset_spy_size(const fzx_mset *m) noexcept
{
    return m != NULL ? m->spied.size() : 0;
}

extern "C" const char *fzx_mset_spy_value(const fzx_mset *m, size_t k,
                                          size_t *len,
                                          unsigned long *count) noexcept
{
    if (m == NULL || k >= m->spied.size())
        return NULL;
    if (len != NULL)
        *len = m->spied[k].first.size();
    if (count != NULL)
        *count = m->spied[k].second;
    return m->spied[k].first.c_str();
}

/* ---- more like this ----------------------------------------------------- */

namespace {

// Terms without a prefix: the text's own tokens.
class NoPrefix : public Xapian::ExpandDecider {
  public:
    bool operator()(const std::string &t) const override
    {
        return !t.empty() && !(t[0] >= 'A' && t[0] <= 'Z');
    }
};

}  // namespace

extern "C" fzx_query *fzx_query_like(fzx_db *db, const char *id,
                                     size_t idlen, unsigned nterms,
                                     int *code, char **errptr) noexcept
{
    try {
        std::string term = str(id, idlen);
        Xapian::PostingIterator p = db->rep.postlist_begin(term);
        if (term.empty() || p == db->rep.postlist_end(term)) {
            save_error(errptr, "no such passage");
            set_code(code, FZX_ENOTFOUND);
            return NULL;
        }
        Xapian::RSet rs;
        rs.add_document(*p);
        Xapian::Enquire enq(db->rep);
        NoPrefix keep;
        Xapian::ESet es = enq.get_eset(nterms, rs, &keep);
        std::vector<std::string> terms;
        for (Xapian::ESetIterator t = es.begin(); t != es.end(); ++t)
            terms.push_back(*t);
        fzx_query *q = new fzx_query{
            Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end())};
        set_code(code, FZ_OK);
        return q;
    } catch (...) {
        set_code(code, fail(errptr));
    }
    return NULL;
}
