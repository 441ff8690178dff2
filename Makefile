# fz - full-text search for Chinese government reports.
#   make              build everything into build/
#   make check        unit tests (cmocka), end-to-end and bad-input tests
#   make demo         install what is missing, build, index corpus/, search
#   make demo-cluster three xapian-tcpsrv over three shards, searched as one
#   make bench        performance figures (see bench/)
#   make fuzz         libFuzzer targets (clang), FUZZ_SECONDS=60 each
#   make install      PREFIX=/usr/local DESTDIR=
#   make check SANITIZE=1   the same under ASan+UBSan (after make clean)
#   make check-threads SANITIZE=thread   the threaded tests under
#                     ThreadSanitizer (after make clean)

# CORE_PKGS: what searching needs; HTML (libxml2), the readers of PDF,
# Word, OFD and MHT and OCR need the rest.  fzsearch links only the core:
# loading poppler, Tesseract and gmime would triple its start-up time for
# nothing.
CORE_PKGS := libcjson libutf8proc xapian-core libzstd
# DLOPEN_PKGS: only their headers; the libraries are loaded with dlopen
# when first needed: OpenCC by the first text it could change
# (text/normalize.c), libxlsxwriter when a workbook is asked for
# (searcher/emit_xlsx.c).  Linked, they cost every search's start-up
# about 0.5 ms (libopencc, libmarisa) and 3 ms (with minizip and
# libcrypto).
DLOPEN_PKGS := opencc xlsxwriter
PKGS     := $(CORE_PKGS) libxml-2.0 poppler-glib cairo tesseract lept libzip \
            gmime-3.0 libgsf-1
TESTPKGS := cmocka
PREFIX   ?= /usr/local
DESTDIR  ?=
B        := build

WERROR   ?= -Werror
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -Wall -Wextra $(WERROR) -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wvla
CXXFLAGS ?= -O2 -g
CXXFLAGS += -std=c++11 -Wall -Wextra $(WERROR)
# -MMD: each object's header dependencies, written beside it (.d)
CPPFLAGS += -D_GNU_SOURCE -I. -MMD -MP $(shell pkg-config --cflags $(PKGS) \
                                                         $(DLOPEN_PKGS))
LDFLAGS  += -pthread
LDLIBS   += $(shell pkg-config --libs $(PKGS)) -ldl
CORE_LIBS := $(shell pkg-config --libs $(CORE_PKGS)) -ldl
# the tests (and the fuzz target for normalize) compare fz's folding with
# OpenCC's own, called directly
OPENCC_LIBS := $(shell pkg-config --libs opencc)
TESTLIBS := $(shell pkg-config --libs $(TESTPKGS)) $(OPENCC_LIBS)
# what text/normalize.c asks dlopen for: the soname of the libopencc the
# headers came with
OPENCC_LIB := $(shell objdump -p \
                $(shell pkg-config --variable=libdir opencc)/libopencc.so \
                2>/dev/null | sed -n 's/^ *SONAME *//p')

ifeq ($(SANITIZE),1)
SAN      := address,undefined
endif
ifeq ($(SANITIZE),thread)
SAN      := thread
endif
ifneq ($(SAN),)
CFLAGS   += -O1 -fno-omit-frame-pointer -fsanitize=$(SAN) -fno-sanitize-recover=all
CXXFLAGS += -O1 -fno-omit-frame-pointer -fsanitize=$(SAN) -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=$(SAN)
export ASAN_OPTIONS := detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS := halt_on_error=1:second_deadlock_stack=1
endif

# The layers, bottom first (README "Architecture"): one static library
# each.  A program links them top first, so a layer that called upward
# would not link; tools/check-layers checks the includes the same way.
#   base    buffers, UTF-8, result codes
#   text    the text pipeline: decode, html, clean, normalize, segment,
#           token
#   meta    report metadata and the division table (the gazetteer)
#   store   the index schema and the stored record
#   query   the query language
#   cite    citation lists
#   reader  one report file through the whole pipeline
#   shim    the C API over Xapian (the only C++)
LAYERS   := reader cite query store meta text base
lib_srcs  = $(wildcard $(1)/*.c)
lib_objs  = $(patsubst %.c,$(B)/%.o,$(call lib_srcs,$(1)))
LIBS     := $(LAYERS:%=$(B)/libfz%.a) $(B)/libfzx.a
TESTS     := $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/test_*.c))
TOOLS     := $(B)/fztext $(B)/fzindex $(B)/fzsearch
GENCORPUS := $(B)/gencorpus
BENCHBINS := $(B)/latency $(B)/runstat $(B)/mkpdf
INDEX_OBJS  := $(patsubst %.c,$(B)/%.o,$(wildcard indexer/*.c))
SEARCH_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard searcher/*.c))

.PHONY: all check check-threads unit e2e badinput layers fuzz demo \
        demo-cluster bench install uninstall clean
all: $(LIBS) $(TOOLS) $(GENCORPUS) $(BENCHBINS)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/text/normalize.o: CPPFLAGS += -DFZ_OPENCC_LIB='"$(OPENCC_LIB)"'

$(B)/%.o: %.cc
	@mkdir -p $(@D)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c -o $@ $<

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# The division table is data, not code: meta/divisions.tsv (see
# meta/DIVISIONS.md) is embedded into the library as one byte array.
$(B)/meta/divisions_data.c: meta/divisions.tsv tools/embed.sh
	@mkdir -p $(@D)
	sh tools/embed.sh fz_divisions_tsv $< > $@

$(B)/meta/divisions_data.o: $(B)/meta/divisions_data.c
	$(CC) $(CFLAGS) -c -o $@ $<

# OpenCC's t2s changes a text only where a key of its dictionaries occurs:
# text/normalize.c opens OpenCC for a text holding a code point of this
# table, made from the dictionaries installed here, which OpenCC reads at
# run time (tools/t2s_table.c says how; opencc_dict, which
# tools/opencc-keys.sh runs, is in Debian package opencc).
OPENCC_DATA ?= /usr/share/opencc
$(B)/text/opencc_keys.txt: tools/opencc-keys.sh $(OPENCC_DATA)/t2s.json \
                           $(wildcard $(OPENCC_DATA)/*.ocd2)
	@mkdir -p $(@D)
	sh tools/opencc-keys.sh $(OPENCC_DATA) t2s.json > $@.tmp
	mv $@.tmp $@

$(B)/t2s_table: $(B)/tools/t2s_table.o $(B)/libfzbase.a
	$(CC) $(LDFLAGS) -o $@ $^ $(shell pkg-config --libs libutf8proc)

$(B)/text/t2s_data.c: $(B)/text/opencc_keys.txt $(B)/t2s_table
	$(B)/t2s_table < $< > $@.tmp
	mv $@.tmp $@

$(B)/text/t2s_data.o: $(B)/text/t2s_data.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/libfzbase.a: $(call lib_objs,base)
$(B)/libfztext.a: $(call lib_objs,text) $(B)/text/t2s_data.o
$(B)/libfzmeta.a: $(call lib_objs,meta) $(B)/meta/divisions_data.o
$(B)/libfzstore.a: $(call lib_objs,store)
$(B)/libfzquery.a: $(call lib_objs,query)
$(B)/libfzcite.a: $(call lib_objs,cite)
$(B)/libfzreader.a: $(call lib_objs,reader)
$(B)/libfzx.a: $(patsubst %.cc,$(B)/%.o,$(wildcard shim/*.cc))
$(LIBS):
	@rm -f $@
	$(AR) rcs $@ $^

# bench/gencorpus: report-shaped files from real paragraphs (bench, tests)
$(B)/gencorpus: $(B)/bench/gencorpus.o $(LIBS)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# make bench's helpers: in-process query latency, and a command's wall
# time and peak RSS (fork, exec, wait4)
$(B)/latency: $(B)/bench/latency.o $(filter-out %/fzsearch.o,$(SEARCH_OBJS)) \
              $(LIBS)
	$(CXX) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

# tools/mkpdf: a report printed as a PDF or scanned (make bench's OCR figure)
$(B)/mkpdf: $(B)/tools/mkpdf.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# tools/mkoffice: DOCX, OFD, MHTML and Word 97 files for the reader tests
$(B)/mkoffice: $(B)/tools/mkoffice.o $(B)/libfzbase.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/runstat: $(B)/bench/runstat.o
	$(CC) $(LDFLAGS) -o $@ $^

$(B)/fztext: $(B)/tools/fztext.o $(LIBS)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/fzindex: $(INDEX_OBJS) $(LIBS)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/fzsearch: $(SEARCH_OBJS) $(LIBS)
	$(CXX) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

$(B)/tests/%: $(B)/tests/%.o $(LIBS)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TESTLIBS)

# Fuzz targets (tests/fuzz/, README "Tests").  `make check` replays each
# one's seeds and regressions through a plain main() built with $(CC);
# `make fuzz` builds them with clang and libFuzzer into build/fuzz/ and
# runs each for FUZZ_SECONDS.
FUZZ_NAMES   := decode_clean normalize segment_meta tokenize query \
                jsonl_record docx ofd mime
FUZZ_REPLAYS := $(FUZZ_NAMES:%=$(B)/tests/fuzz/replay_%)
FUZZ_HDRS    := $(wildcard tests/fuzz/*.h)

$(FUZZ_NAMES:%=$(B)/tests/fuzz/fuzz_%.o) $(B)/tests/fuzz/replay.o: $(FUZZ_HDRS)

$(B)/tests/fuzz/replay_%: $(B)/tests/fuzz/fuzz_%.o $(B)/tests/fuzz/replay.o \
                          $(LIBS)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(OPENCC_LIBS)

# The README's test command is `make check`.
check: layers unit e2e badinput

# includes point down the layers (README "Architecture")
layers:
	@sh tools/check-layers

# core dumps off: a crashing child fails its test by name (testutil.h)
unit: $(TESTS) $(TOOLS) $(GENCORPUS) $(FUZZ_REPLAYS) $(B)/mkoffice
	@set -e; ulimit -c 0; for t in $(TESTS); do \
	    echo "== $$t"; FZ_TESTDATA=tests/data FZ_CORPUS=corpus \
	    FZ_OPENCC_KEYS=$(B)/text/opencc_keys.txt $$t; \
	done
	@set -e; ulimit -c 0; for n in $(FUZZ_NAMES); do \
	    r=; if [ -d tests/fuzz/regress/$$n ]; then r=tests/fuzz/regress/$$n; fi; \
	    echo "== $(B)/tests/fuzz/replay_$$n"; \
	    $(B)/tests/fuzz/replay_$$n tests/fuzz/$$n $$r; \
	done

# The tests that run threads: fzindex -j 2 with --shards (index_partitioned)
# and --shard-size (shards added while readers run), compaction under
# searches (test_parallel); searches while fzindex writes, and kills
# (test_crash); HTML parsers in four threads (test_html).  Meant for
# SANITIZE=thread: TSAN_OPTIONS above reach every fzindex they start.
THREAD_TESTS := $(B)/tests/test_parallel $(B)/tests/test_crash \
                $(B)/tests/test_html
check-threads: $(THREAD_TESTS) $(TOOLS) $(GENCORPUS)
	@set -e; ulimit -c 0; for t in $(THREAD_TESTS); do \
	    echo "== $$t"; FZ_TESTDATA=tests/data FZ_CORPUS=corpus $$t; \
	done

e2e: $(TOOLS) $(B)/mkoffice $(B)/mkpdf
	@sh tests/e2e/run.sh $(B)

# bad and hostile input: README "Reliability"
badinput: $(TOOLS) $(GENCORPUS) $(B)/mkpdf
	@sh tests/badinput.sh $(B)

# libFuzzer wants clang; the text library is built again, instrumented,
# into build/fuzz/ (the library alone: no Xapian).
FB          := $(B)/fuzz
FUZZ_CC     ?= clang
FUZZ_CXX    ?= clang++
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=c11 -O1 -g -fno-omit-frame-pointer -Wall -Wextra \
               $(WERROR) -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
               -Wvla $(FUZZ_SAN)
FUZZ_LIBS   := $(shell pkg-config --libs libcjson libutf8proc libzstd opencc libxml-2.0 \
               poppler-glib cairo tesseract lept libzip gmime-3.0 libgsf-1) -ldl
FUZZ_SRCS   := $(foreach l,base text meta store query reader,$(call lib_srcs,$(l)))
FUZZ_OBJS   := $(FUZZ_SRCS:%.c=$(FB)/%.o) $(FB)/meta/divisions_data.o \
               $(FB)/text/t2s_data.o
FUZZ_BINS   := $(FUZZ_NAMES:%=$(FB)/fuzz_%)
FUZZ_SECONDS ?= 60

$(FUZZ_SRCS:%.c=$(FB)/%.o): $(FB)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FB)/text/normalize.o: CPPFLAGS += -DFZ_OPENCC_LIB='"$(OPENCC_LIB)"'

$(FB)/meta/divisions_data.o: $(B)/meta/divisions_data.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FB)/text/t2s_data.o: $(B)/text/t2s_data.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FB)/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -c -o $@ $<

$(FB)/fuzz_%: $(FB)/tests/fuzz/fuzz_%.o $(FUZZ_OBJS)
	$(FUZZ_CXX) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS)

# objects made by pattern rules only (tests, fuzz targets): keep them, or
# make deletes them after each build and the next one compiles them again
.SECONDARY:

fuzz: $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(FB) $(FUZZ_SECONDS) $(FUZZ_NAMES)

# demo installs missing packages first, so it must not need them to start
demo:
	@sh tools/demo.sh

# the same searches on one index and on a cluster of three servers
demo-cluster: all
	@sh tools/demo-cluster.sh $(B)

bench: all $(BENCHBINS)
	@sh bench/run.sh $(B)

# what a user runs: the three commands and their man pages
install: $(TOOLS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin
	install -m 644 doc/fztext.1 doc/fzindex.1 doc/fzsearch.1 \
	    $(DESTDIR)$(PREFIX)/share/man/man1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/fztext $(DESTDIR)$(PREFIX)/bin/fzindex \
	    $(DESTDIR)$(PREFIX)/bin/fzsearch
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/fztext.1 \
	    $(DESTDIR)$(PREFIX)/share/man/man1/fzindex.1 \
	    $(DESTDIR)$(PREFIX)/share/man/man1/fzsearch.1

clean:
	rm -rf $(B)
