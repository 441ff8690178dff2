/* store/schema.h - how reports and passages are laid out in the index.
 *
 * One Xapian document per passage.  Its terms:
 *   (none)  the passage's tokens (token.h), with within-document
 *           frequencies and no positions: phrases are checked against the
 *           stored folded text (query.h), which keeps the index small
 *   S       tokens of its section headings (ranking boost)
 *   T       tokens of the report's title (title: queries)
 * Its boolean terms:
 *   Q<passage id>  unique      R<report id>
 *   Y<year>        L<level>    G<code prefix> for each prefix of the
 *                                region code: G44 G4403 G440307 G440307015
 * Its values: FZ_SLOT_YEAR ("2023"), FZ_SLOT_DATE ("2023-12-06"),
 * FZ_SLOT_REPORT (the report id, for one hit per report), FZ_SLOT_FACETS
 * (below), FZ_SLOT_PASSAGE (the passage id: equal scores are ordered by
 * it, not by document id, which differs between an index and its shards).
 * Its data: a JSON object {"p": passage, "r": report} holding all that the
 * searcher prints (see README, "Index layout"), so a search reads nothing
 * but the index.
 * A report is its text: its id is a hash of its passages' folded text
 * (fz_report_id_add), so the same report in two files is one report.
 * Shards are written without term lists (Xapian needs them only to
 * change or delete a document, and they were 45% of a compacted index),
 * so a document, once written, stays as it is until its shard is
 * rebuilt: what can change lives in shard 0's metadata.
 * Database metadata, in every shard: "schema" → FZ_SCHEMA_VERSION (the
 * file hash includes it, so re-indexing the same files after a schema
 * change rebuilds them); "reports" → how many reports the shard holds.
 * In shard 0 only, the catalogue of the files the index mirrors:
 * FZ_FILE_KEY "<absolute path>" → "<file hash> <report id>..." (the
 * hash of the file's bytes, its sidecar's and the versions, or
 * FZ_HASH_RETRY for a file with problems; then the ids of the reports it
 * yielded, in order), so unchanged files are skipped, moved ones found
 * by their hash, and reports whose files are gone removed; and
 * "last-run" → the time of the last run that wrote (seconds since 1970);
 * FZ_PATHS_KEY "<report id>" → every path the report was found at, the
 * first its "path", each ended by a NUL (fz_stored_use_paths); and
 * FZ_DEAD_KEY → " <report id> <report id>...": the reports removed
 * whose documents are still in their shard, which every search leaves
 * out (AND_NOT their R terms) until a rebuild of the shard drops them.
 * Threads: pure functions. */
#ifndef FZ_SCHEMA_H
#define FZ_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#define FZ_PREFIX_SECTION "S"
#define FZ_PREFIX_TITLE "T"
#define FZ_PREFIX_ID "Q"
#define FZ_PREFIX_REPORT "R"
#define FZ_PREFIX_YEAR "Y"
#define FZ_PREFIX_LEVEL "L"
#define FZ_PREFIX_REGION "G"

enum {
    FZ_SLOT_YEAR = 0, FZ_SLOT_DATE = 1, FZ_SLOT_REPORT = 2,
    FZ_SLOT_FACETS = 3, FZ_SLOT_PASSAGE = 4,
};

/* The value of FZ_SLOT_FACETS: "<report id> <year> <level> <region
 * code>" (year 0 and code "-" when unknown).  One value per report, so a
 * match spy over this slot counts reports, not passages, and reads each
 * report's facets from the value itself. */
#define FZ_FACETS_FMT "%s %04d %s %s"

/* The value of FZ_SLOT_PASSAGE: "<report id>-<ordinal>" with the ordinal
 * zero-padded to six digits, so that equal scores keep reading order. */
#define FZ_PASSAGE_KEY_FMT "%.16s-%06zu"

/* 4: a report's id is its text's hash, its record lists its paths, the
 * catalogue of files lives in shard 0; no F<file id> terms.
 * 5: shards without term lists; paths and removed reports in shard 0's
 * metadata. */
#define FZ_SCHEMA_VERSION "5"       /* metadata "schema" of an index */

/* The catalogue's keys (metadata of shard 0), and the hash of a file
 * with problems, which no file's hash equals: it is read again. */
#define FZ_FILE_KEY "file:"
#define FZ_HASH_RETRY "----------------"
#define FZ_LAST_RUN_KEY "last-run"
#define FZ_PATHS_KEY "paths:"
#define FZ_DEAD_KEY "dead"
/* "<shard> <document id> ...": documents of reports written again (their
 * record changed, their text did not), which the rebuild of their shard
 * at the end of the run drops; kept in shard 0 for a run killed first. */
#define FZ_PURGE_KEY "purge"
/* The zstd dictionary the index's records are packed with
 * (store/codec.h), the same bytes in every shard, so that a reader of
 * the shards together (which sees the first shard's metadata) or of one
 * alone finds it; absent until a run had records enough to train it. */
#define FZ_ZDICT_KEY "zdict"
/* Beside it, its id in decimal (fz_codec_dict_id), so that a reader of
 * several shards, which mostly share one dictionary, reads it once. */
#define FZ_ZDICT_ID_KEY "zdict-id"
/* What reading a file yields: bumped when the text pipeline keeps
 * different text (2: cleaning no longer ends a report at a footer word
 * in a sentence; new formats; pages.  3: the lines between title and
 * body and the signature lines are passages).  It is part of each file's content
 * hash, so the next run reads every file again and replaces its reports,
 * in an index of the same layout. */
#define FZ_PIPELINE_VERSION "3"

/* FNV-1a, 64 bits: change detection and ids, not security. */
uint64_t fz_hash64(const void *p, size_t len, uint64_t h);
#define FZ_HASH64_INIT 0xcbf29ce484222325ULL

/* A report's id is FNV-1a over the folded text of each of its passages
 * in order, each followed by a newline, from FZ_HASH64_INIT; written as
 * 16 hex digits.  fz_report_id_add() adds one passage's folded text (a
 * NUL-terminated string); fz_id_hex() writes h into out (17 bytes). */
uint64_t fz_report_id_add(uint64_t h, const char *folded);
void fz_id_hex(uint64_t h, char out[17]);

/* Lists of report ids, " <id> <id> ..." (each 16 hex digits after a
 * space: FZ_DEAD_KEY, the catalogue's entries): the byte offset of the
 * " <rid>" holding rid (its first 16 bytes), or -1. */
long fz_ids_find(const char *list, size_t len, const char *rid);

/* Where the index lives unless --db says: $FZ_DB, else
 * $XDG_DATA_HOME/fz, else $HOME/.local/share/fz.  malloc'd; NULL when
 * none of them is set (or out of memory). */
char *fz_default_db(void);

#endif
