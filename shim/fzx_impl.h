// shim/fzx_impl.h - what the shim's two halves share: the structures
// behind fzx.h's opaque types and the error helpers.  Private to shim/
// (C++ only); fzx.cc holds the databases, writers and documents,
// fzx_search.cc the queries and the match.
#ifndef FZ_FZX_IMPL_H
#define FZ_FZX_IMPL_H

#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "shim/fzx.h"

// A remote shard opened by fzx_db_open_shards: its k, how to reach it
// again, and the context Xapian gives the errors of its connection
// ("remote:tcp(HOST:PORT)"), so that a failure names its shard.
struct fzx_remote {
    size_t k;
    enum fzx_shard_kind kind;
    std::string where, args;    // TCP: host; PROG: program and arguments
    unsigned port, timeout_ms, connect_ms;
    std::string context;
};
struct fzx_db {
    Xapian::Database rep;
    std::vector<fzx_remote> remotes;
    // the shards fzx_db_open_shards() opened, for what Xapian answers from
    // the first alone (metadata); empty: rep is the one database
    std::vector<Xapian::Database> parts;
    // k of the shard whose connection failed last; -1 none; -2 a network
    // error whose context names no shard (Xapian gives none to "connection
    // closed unexpectedly"): fzx_db_failed_shard() finds out
    long failed;
    explicit fzx_db(const Xapian::Database &d) : rep(d), failed(-1) {}
};
struct fzx_writer { Xapian::WritableDatabase rep; };
struct fzx_doc { Xapian::Document rep; };
struct fzx_query { Xapian::Query rep; };
// The MSet reads its documents through the database its Enquire holds.
// Keeping the Enquire beside it makes that lifetime ours to see, rather
// than resting on how MSet happens to reference its Enquire internally.
// When candidates were checked on the client (client), the hits are in
// hits, not rep, and matches is the exact number of matches.
// The block size of the databases fz makes (new ones and compacted
// copies; one that exists keeps its own).  Measured on the bench's 25 MB
// against glass's default 8 KB: 16 KB searched the workload 5-7% faster
// at p50 and p99 (a check reads one block per candidate record, and
// fewer reads outweigh larger ones up to here; 32 KB gained more at p99
// but lost at p50), indexed as fast and wrote 2% less.
enum { FZX_BLOCK_SIZE = 16384 };

struct fzx_mset {
    Xapian::MultiValueKeyMaker sorter;  // outlives enq, which points to it
    Xapian::Enquire enq;
    Xapian::MSet rep;
    std::vector<std::pair<std::string, unsigned long>> spied;
    fzx_db *db;
    bool client;
    bool counted;       // matches is the exact collapsed count (CDecider)
    std::vector<std::pair<double, Xapian::Document>> hits;
    unsigned long matches;
    fzx_mset(fzx_db *d) : enq(d->rep), db(d), client(false),
                           counted(false), matches(0) {}
};

// fail(): sort the exception being handled into an fz code and message
// (see fzx.cc); fail_on() also notes which remote shard failed.
void save_error(char **errptr, const char *msg) noexcept;
int fail_on(fzx_db *db, char **errptr) noexcept;
void set_code(int *code, int rc) noexcept;
std::string str(const char *p, size_t len);
char *dup_out(const std::string &s, size_t *len);

#endif
