// shim/fzx_search.cc - see shim/fzx.h: queries, the match and its
// results, and the query for --like.  As in fzx.cc, every exported
// function catches all exceptions (fail(), fzx_impl.h).
#include "shim/fzx.h"
#include "shim/fzx_impl.h"
#include "shim/fzx_test.h"

#include <map>
#include <new>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include <stdlib.h>
#include <string.h>

#include <xapian.h>

#include "base/fz.h"

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

extern "C" fzx_query *fzx_query_expand(fzx_db *db, const char *prefix,
                                       size_t len, int *code,
                                       char **errptr) noexcept
{
    try {
        std::string pre = str(prefix, len);
        std::vector<std::string> terms;
        Xapian::TermIterator end = db->rep.allterms_end(pre);
        for (Xapian::TermIterator t = db->rep.allterms_begin(pre); t != end;
             ++t)
            terms.push_back(*t);
        // OP_OR: exact statistics per term, the same on shards (see
        // fzx.h); with no term, MatchNothing
        fzx_query *q = new fzx_query{Xapian::Query(
            Xapian::Query::OP_OR, terms.begin(), terms.end())};
        set_code(code, FZ_OK);
        return q;
    } catch (...) {
        set_code(code, fail_on(db, errptr));
    }
    return NULL;
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

extern "C" fzx_query *fzx_query_value_range(unsigned slot, const char *lo,
                                            const char *hi) noexcept
{
    if (lo == NULL || hi == NULL)
        return NULL;
    try {
        return new fzx_query{Xapian::Query(Xapian::Query::OP_VALUE_RANGE,
                                           slot, lo, hi)};
    } catch (...) {
        return NULL;
    }
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

// The C predicate of struct fzx_search as Xapian's MatchDecider.  When
// the match collapses and checks every candidate, it also counts the
// matches as collapsing will: one per distinct key among the accepted
// candidates (each with an empty key counts alone).  Xapian's own bounds
// on a collapsed count differ unless every key is in the MSet, and
// making them meet costs the caller another match or two, each checking
// every candidate again.  A report id (16 hex digits) is kept as the
// number it spells, the key of a large match in 8 bytes.
class CDecider : public Xapian::MatchDecider {
    int (*fn_)(void *, const char *, size_t);
    void *ctx_;
    Xapian::valueno slot_;
  public:
    mutable std::unordered_set<unsigned long long> ids;
    mutable std::unordered_set<std::string> keys;
    mutable unsigned long unkeyed = 0;
    CDecider(int (*fn)(void *, const char *, size_t), void *ctx,
             Xapian::valueno slot)
        : fn_(fn), ctx_(ctx), slot_(slot) {}
    bool operator()(const Xapian::Document &d) const override
    {
        if (fn_ != NULL) {
            std::string s = d.get_data();
            if (fn_(ctx_, s.data(), s.size()) == 0)
                return false;
        }
        if (slot_ != Xapian::BAD_VALUENO)
            note(d.get_value(slot_));
        return true;
    }
    unsigned long count() const
    {
        return static_cast<unsigned long>(ids.size() + keys.size())
               + unkeyed;
    }
  private:
    void note(const std::string &k) const
    {
        if (k.empty()) {
            unkeyed++;
            return;
        }
        unsigned long long v = 0;
        bool hex = k.size() == 16;
        for (size_t i = 0; hex && i < 16; i++) {
            char c = k[i];
            int d = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            hex = d >= 0;
            v = v << 4 | static_cast<unsigned>(d < 0 ? 0 : d);
        }
        if (hex)
            ids.insert(v);
        else
            keys.insert(k);
    }
};

}  // namespace

// The candidates of the match, checked here rather than inside it: see
// struct fzx_search.  Xapian's own order of events is kept (matcher/
// multimatch.cc, 1.4): the decider first, then the spy sees every
// accepted candidate, then collapsing keeps the first of each key (the
// candidates come best first, ties already broken as the match breaks
// them, so the first is the one Xapian keeps), then offset and limit.
// An empty key is never collapsed, an empty value never spied.
//
// Documents are read one by one: MSet::fetch() would be the way to
// pipeline them, but in Xapian 1.4 the remote backend has no prefetch
// (Database::Internal::request_document does nothing there), so each is
// one round trip to its server.
static void check_on_client(fzx_mset *m, const struct fzx_search *how,
                            Xapian::doccount all)
{
    Xapian::MSet cand = m->enq.get_mset(0, all, all);
    std::map<std::string, unsigned long> spied;
    std::unordered_set<std::string> seen;
    unsigned long kept = 0;
    for (Xapian::MSetIterator it = cand.begin(); it != cand.end(); ++it) {
        Xapian::Document d = it.get_document();
        std::string data = d.get_data();
        if (!how->accept(how->accept_ctx, data.data(), data.size()))
            continue;
        if (how->spy) {
            std::string v = d.get_value(how->spy_slot);
            if (!v.empty())
                spied[v]++;
        }
        if (how->collapse_slot >= 0) {
            std::string key = d.get_value(
                static_cast<Xapian::valueno>(how->collapse_slot));
            if (!key.empty() && !seen.insert(key).second)
                continue;
        }
        if (kept >= how->offset && kept - how->offset < how->limit)
            m->hits.emplace_back(it.get_weight(), d);
        kept++;
    }
    m->spied.assign(spied.begin(), spied.end());
    m->matches = kept;
    m->client = true;
}

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
        m = new fzx_mset(db);
        m->enq.set_query(q->rep);
        m->enq.set_weighting_scheme(Xapian::BM25Weight());
        if (how->sort) {
            // a document without the value sorts last either way
            m->sorter.add_value(how->sort_slot, how->sort_desc != 0,
                                how->sort_desc ? std::string()
                                               : std::string(1, '\xff'));
            m->enq.set_sort_by_key_then_relevance(&m->sorter, false);
        }
        bool client = how->accept != NULL && how->client_check;
        if (!client) {
            if (how->collapse_slot >= 0)
                m->enq.set_collapse_key(
                    static_cast<Xapian::valueno>(how->collapse_slot));
            Xapian::ValueCountMatchSpy spy(how->spy_slot);
            if (how->spy)
                m->enq.add_matchspy(&spy);
            // a collapsed count is made exact by the decider (CDecider),
            // one with nothing to check but the count when accept is NULL
            Xapian::doccount all = db->rep.get_doccount();
            bool counting = how->collapse_slot >= 0
                            && how->check_at_least >= all;
            CDecider dec(how->accept, how->accept_ctx,
                         counting ? static_cast<Xapian::valueno>(
                                        how->collapse_slot)
                                  : Xapian::BAD_VALUENO);
            try {
                m->rep = m->enq.get_mset(how->offset, how->limit,
                                         how->check_at_least, NULL,
                                         how->accept || counting ? &dec
                                                                 : NULL);
            } catch (const Xapian::UnimplementedError &) {
                // "MatchDecider not supported for the remote backend",
                // raised before any shard is asked (matcher/multimatch.cc):
                // without accept, the match runs there as Xapian counts
                counting = false;
                if (how->accept != NULL)
                    client = true;
                else
                    m->rep = m->enq.get_mset(how->offset, how->limit,
                                             how->check_at_least);
            }
            // the count is exact when it lies within Xapian's bounds (it
            // always should; if not, Xapian's are kept)
            unsigned long n = dec.count();
            if (counting && !client && n >= m->rep.get_matches_lower_bound()
                && n <= m->rep.get_matches_upper_bound()) {
                m->matches = n;
                m->counted = true;
            }
            if (how->spy) {
                for (Xapian::TermIterator t = spy.values_begin();
                     t != spy.values_end(); ++t)
                    m->spied.emplace_back(*t, t.get_termfreq());
            }
            m->enq.clear_matchspies();
            m->enq.set_collapse_key(Xapian::BAD_VALUENO);
        }
        if (client) {
            m->spied.clear();
            check_on_client(m, how, db->rep.get_doccount());
        }
        set_code(code, FZ_OK);
        return m;
    } catch (...) {
        set_code(code, fail_on(db, errptr));
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
        if (m == NULL)
            return 0;
        return m->client ? m->hits.size() : m->rep.size();
    } catch (...) {
        return 0;
    }
}

extern "C" unsigned long fzx_mset_estimated(const fzx_mset *m) noexcept
{
    try {
        if (m == NULL)
            return 0;
        return m->client || m->counted ? m->matches
                                     : m->rep.get_matches_estimated();
    } catch (...) {
        return 0;
    }
}

extern "C" unsigned long fzx_mset_lower(const fzx_mset *m) noexcept
{
    try {
        if (m == NULL)
            return 0;
        return m->client || m->counted ? m->matches
                                     : m->rep.get_matches_lower_bound();
    } catch (...) {
        return 0;
    }
}

extern "C" unsigned long fzx_mset_upper(const fzx_mset *m) noexcept
{
    try {
        if (m == NULL)
            return 0;
        return m->client || m->counted ? m->matches
                                     : m->rep.get_matches_upper_bound();
    } catch (...) {
        return 0;
    }
}

// MSet::operator[] does not check its index: every caller does, here.
static bool in_range(const fzx_mset *m, size_t i)
{
    return i < fzx_mset_size(m);
}

static Xapian::Document hit_document(const fzx_mset *m, size_t i)
{
    if (m->client)
        return m->hits[i].second;
    return m->rep[static_cast<Xapian::doccount>(i)].get_document();
}

extern "C" double fzx_mset_weight(const fzx_mset *m, size_t i) noexcept
{
    try {
        if (in_range(m, i))
            return m->client ? m->hits[i].first
                   : m->rep[static_cast<Xapian::doccount>(i)].get_weight();
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
        char *p = dup_out(hit_document(m, i).get_data(), len);
        set_code(code, FZ_OK);
        return p;
    } catch (...) {
        // FZ_EMODIFIED: reopen, rerun; FZ_ENETWORK: a shard is gone
        set_code(code, fail_on(m->db, errptr));
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
        return dup_out(hit_document(m, i).get_value(slot), len);
    } catch (...) {
        fail_on(m->db, errptr);
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

// The caller's term rule as Xapian's ExpandDecider.
class CKeep : public Xapian::ExpandDecider {
    int (*fn_)(void *, const char *, size_t);
    void *ctx_;
  public:
    CKeep(int (*fn)(void *, const char *, size_t), void *ctx)
        : fn_(fn), ctx_(ctx) {}
    bool operator()(const std::string &t) const override
    {
        return fn_(ctx_, t.data(), t.size()) != 0;
    }
};

}  // namespace

extern "C" fzx_query *fzx_query_like(fzx_db *db, const char *id,
                                     size_t idlen, unsigned nterms,
                                     int (*keep)(void *ctx, const char *term,
                                                 size_t len),
                                     void *keep_ctx, int *code,
                                     char **errptr) noexcept
{
    try {
        std::string term = str(id, idlen);
        Xapian::PostingIterator p = db->rep.postlist_begin(term);
        if (term.empty() || p == db->rep.postlist_end(term)) {
            save_error(errptr, "no such passage");
            set_code(code, FZ_ENOTFOUND);
            return NULL;
        }
        Xapian::RSet rs;
        rs.add_document(*p);
        Xapian::Enquire enq(db->rep);
        CKeep decider(keep, keep_ctx);
        // exact: by default Xapian 1.4 estimates a term's frequency in
        // a database of shards from the shard holding the document
        Xapian::ESet es = enq.get_eset(nterms, rs,
                                       Xapian::Enquire::USE_EXACT_TERMFREQ,
                                       keep ? &decider : NULL);
        std::vector<std::string> terms;
        for (Xapian::ESetIterator t = es.begin(); t != es.end(); ++t)
            terms.push_back(*t);
        fzx_query *q = new fzx_query{
            Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end())};
        set_code(code, FZ_OK);
        return q;
    } catch (...) {
        set_code(code, fail_on(db, errptr));
    }
    return NULL;
}
