# fz - full-text search for Chinese government reports.
#   make              build everything into build/
#   make check        unit tests (cmocka), end-to-end and bad-input tests
#   make demo         install what is missing, build, index corpus/, search
#   make demo-cluster three xapian-tcpsrv over three shards, searched as one
#   make bench        performance figures (see bench/)
#   make fuzz         libFuzzer targets (clang), FUZZ_SECONDS=60 each
#   make install      PREFIX=/usr/local DESTDIR=
#   make check SANITIZE=1   the same under ASan+UBSan (after make clean)

PKGS     := libcjson libutf8proc opencc libxml-2.0 xapian-core
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
CPPFLAGS += -D_GNU_SOURCE -I. $(shell pkg-config --cflags $(PKGS))
LDLIBS   += $(shell pkg-config --libs $(PKGS)) -lpthread
TESTLIBS := $(shell pkg-config --libs $(TESTPKGS))

ifeq ($(SANITIZE),1)
SAN      := address,undefined
CFLAGS   += -O1 -fno-omit-frame-pointer -fsanitize=$(SAN) -fno-sanitize-recover=all
CXXFLAGS += -O1 -fno-omit-frame-pointer -fsanitize=$(SAN) -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=$(SAN)
export ASAN_OPTIONS := detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1
endif

TEXT_SRCS := $(wildcard text/*.c)
TEXT_OBJS := $(TEXT_SRCS:%.c=$(B)/%.o) $(B)/text/divisions_data.o
SHIM_OBJS := $(B)/shim/fzx.o
TESTS     := $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/test_*.c))
TOOLS     := $(B)/fztext $(B)/fzindex $(B)/fzsearch
GENCORPUS := $(B)/gencorpus
BENCHBINS := $(B)/latency $(B)/runstat

.PHONY: all check unit e2e badinput fuzz demo demo-cluster bench install uninstall clean
all: $(B)/libfztext.a $(B)/libfzx.a $(TOOLS) $(GENCORPUS) $(BENCHBINS)

$(B)/%.o: %.c $(wildcard text/*.h shim/*.h searcher/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/%.o: %.cc shim/fzx.h
	@mkdir -p $(@D)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c -o $@ $<

# The division table is data, not code: text/divisions.tsv (see
# text/DIVISIONS.md) is embedded into the library as one byte array.
$(B)/text/divisions_data.c: text/divisions.tsv tools/embed.sh
	@mkdir -p $(@D)
	sh tools/embed.sh fz_divisions_tsv $< > $@

$(B)/text/divisions_data.o: $(B)/text/divisions_data.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/libfztext.a: $(TEXT_OBJS)
	$(AR) rcs $@ $^

$(B)/libfzx.a: $(SHIM_OBJS)
	$(AR) rcs $@ $^

# bench/gencorpus: report-shaped files from real paragraphs (bench, tests)
$(B)/gencorpus: $(B)/bench/gencorpus.o $(B)/libfztext.a
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# make bench's helpers: in-process query latency, and a command's wall
# time and peak RSS (fork, exec, wait4)
$(B)/latency: $(B)/bench/latency.o $(B)/searcher/search.o $(B)/libfztext.a \
              $(B)/libfzx.a
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/runstat: $(B)/bench/runstat.o
	$(CC) $(LDFLAGS) -o $@ $^

$(B)/fztext: $(B)/tools/fztext.o $(B)/libfztext.a
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/fzindex: $(B)/indexer/fzindex.o $(B)/libfztext.a $(B)/libfzx.a
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

SEARCH_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard searcher/*.c))
$(B)/fzsearch: $(SEARCH_OBJS) $(B)/libfztext.a $(B)/libfzx.a
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/%: $(B)/tests/%.o $(B)/libfztext.a $(B)/libfzx.a
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TESTLIBS)

# Fuzz targets (tests/fuzz/, README "Tests").  `make check` replays each
# one's seeds and regressions through a plain main() built with $(CC);
# `make fuzz` builds them with clang and libFuzzer into build/fuzz/ and
# runs each for FUZZ_SECONDS.
FUZZ_NAMES   := decode_clean normalize segment_meta tokenize query \
                jsonl_record
FUZZ_REPLAYS := $(FUZZ_NAMES:%=$(B)/tests/fuzz/replay_%)
FUZZ_HDRS    := $(wildcard tests/fuzz/*.h)

$(FUZZ_NAMES:%=$(B)/tests/fuzz/fuzz_%.o) $(B)/tests/fuzz/replay.o: $(FUZZ_HDRS)

$(B)/tests/fuzz/replay_%: $(B)/tests/fuzz/fuzz_%.o $(B)/tests/fuzz/replay.o \
                          $(B)/libfztext.a
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The README's test command is `make check`.
check: unit e2e badinput

unit: $(TESTS) $(TOOLS) $(GENCORPUS) $(FUZZ_REPLAYS)
	@set -e; for t in $(TESTS); do \
	    echo "== $$t"; FZ_TESTDATA=tests/data FZ_CORPUS=corpus $$t; \
	done
	@set -e; for n in $(FUZZ_NAMES); do \
	    r=; if [ -d tests/fuzz/regress/$$n ]; then r=tests/fuzz/regress/$$n; fi; \
	    echo "== $(B)/tests/fuzz/replay_$$n"; \
	    $(B)/tests/fuzz/replay_$$n tests/fuzz/$$n $$r; \
	done

e2e: $(TOOLS)
	@sh tests/e2e/run.sh $(B)

# bad and hostile input: README "Reliability"
badinput: $(TOOLS) $(GENCORPUS)
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
FUZZ_LIBS   := $(shell pkg-config --libs libcjson libutf8proc opencc libxml-2.0)
FUZZ_OBJS   := $(TEXT_SRCS:%.c=$(FB)/%.o) $(FB)/text/divisions_data.o
FUZZ_BINS   := $(FUZZ_NAMES:%=$(FB)/fuzz_%)
FUZZ_SECONDS ?= 60

$(FB)/text/%.o: text/%.c $(wildcard text/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FB)/text/divisions_data.o: $(B)/text/divisions_data.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FB)/tests/fuzz/%.o: tests/fuzz/%.c $(FUZZ_HDRS) $(wildcard text/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -c -o $@ $<

$(FB)/fuzz_%: $(FB)/tests/fuzz/fuzz_%.o $(FUZZ_OBJS)
	$(FUZZ_CXX) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS)

# made by pattern rules only: keep them, or make deletes them after each
# build and the next one compiles the library again
.SECONDARY: $(FUZZ_OBJS) $(FUZZ_NAMES:%=$(FB)/tests/fuzz/fuzz_%.o)

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

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
	    $(DESTDIR)$(PREFIX)/include/fz/text $(DESTDIR)$(PREFIX)/include/fz/shim \
	    $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(B)/libfztext.a $(B)/libfzx.a $(DESTDIR)$(PREFIX)/lib
	install -m 644 text/*.h $(DESTDIR)$(PREFIX)/include/fz/text
	install -m 644 shim/fzx.h $(DESTDIR)$(PREFIX)/include/fz/shim
	install -m 644 doc/*.1 $(DESTDIR)$(PREFIX)/share/man/man1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/fztext $(DESTDIR)$(PREFIX)/bin/fzindex \
	    $(DESTDIR)$(PREFIX)/bin/fzsearch
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/fztext.1 \
	    $(DESTDIR)$(PREFIX)/share/man/man1/fzindex.1 \
	    $(DESTDIR)$(PREFIX)/share/man/man1/fzsearch.1
	rm -f $(DESTDIR)$(PREFIX)/lib/libfztext.a $(DESTDIR)$(PREFIX)/lib/libfzx.a
	rm -rf $(DESTDIR)$(PREFIX)/include/fz

clean:
	rm -rf $(B)
