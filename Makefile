# Builds and installs libovo, the C library (README.md, "Install").
#
#   make                                   cargo build --release: libovo.so and libovo.a in
#                                          target/release (needs this machine's glibc or newer)
#   make install PREFIX=/usr/local         lib/libovo.so.VERSION with SONAME libovo.so.0 and the
#                                          libovo.so.0 and libovo.so links, lib/libovo.a,
#                                          include/ovo.h, lib/pkgconfig/ovo.pc
#   make portable                          the same library for glibc 2.17 and newer
#                                          (manylinux2014), linked by zig through cargo-zigbuild
#   make install PORTABLE=1 PREFIX=...     install that build instead
#   make uninstall PREFIX=...              remove what install put there
#
# DESTDIR stages an install for a package (make install DESTDIR=/tmp/stage PREFIX=/usr).
# install only builds when the library is missing, so `make && sudo make install` runs cargo
# as you, not as root.

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=
CARGO ?= cargo
PYTHON ?= python3

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
SONAME := libovo.so.0

# The portable build: glibc version and target triple (aarch64-unknown-linux-gnu works the
# same way once `rustup target add` has it; only x86_64 is built and tested here).
GLIBC ?= 2.17
PORTABLE_TARGET ?= x86_64-unknown-linux-gnu
# zig (PyPI `ziglang`) and cargo-zigbuild (prebuilt, PyPI) in a venv under target/; their caches
# too (cargo-zigbuild's linker wrappers live there: a path under $HOME would change with $HOME
# and make cargo rebuild everything).
TOOLS := target/tools/zig
ZIGLANG_VERSION := 0.15.2
ZIGBUILD_VERSION := 0.24.1

ifeq ($(PORTABLE),1)
BUILD_DIR := target/$(PORTABLE_TARGET)/release
BUILD_GOAL := portable
else
BUILD_DIR := target/release
BUILD_GOAL := build
endif

.PHONY: all build portable install uninstall
all: build

build:
	$(CARGO) build --release -p ovo --lib

portable: $(TOOLS)/bin/cargo-zigbuild
	PATH="$(CURDIR)/$(TOOLS)/bin:$$PATH" ZIG_GLOBAL_CACHE_DIR="$(CURDIR)/$(TOOLS)/cache" \
		XDG_CACHE_HOME="$(CURDIR)/$(TOOLS)/cache" \
		cargo-zigbuild zigbuild --release -p ovo --lib --target $(PORTABLE_TARGET).$(GLIBC)

$(TOOLS)/bin/cargo-zigbuild:
	rm -rf $(TOOLS)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check \
		ziglang==$(ZIGLANG_VERSION) cargo-zigbuild==$(ZIGBUILD_VERSION)

# Only when missing (a fresh clone): see the note at the top.
$(BUILD_DIR)/libovo.so $(BUILD_DIR)/libovo.a:
	$(MAKE) $(BUILD_GOAL)

install: $(BUILD_DIR)/libovo.so $(BUILD_DIR)/libovo.a
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(BUILD_DIR)/libovo.so $(DESTDIR)$(LIBDIR)/libovo.so.$(VERSION)
	ln -sf libovo.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libovo.so
	install -m 644 $(BUILD_DIR)/libovo.a $(DESTDIR)$(LIBDIR)/libovo.a
	install -m 644 include/ovo.h $(DESTDIR)$(INCLUDEDIR)/ovo.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		ovo.pc.in >$(DESTDIR)$(PKGCONFIGDIR)/ovo.pc
	@echo "installed libovo $(VERSION) in $(DESTDIR)$(PREFIX). Unless $(LIBDIR) is in the"
	@echo "loader's path (then run ldconfig), link programs with -Wl,-rpath,$(LIBDIR)."

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libovo.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME) \
		$(DESTDIR)$(LIBDIR)/libovo.so $(DESTDIR)$(LIBDIR)/libovo.a \
		$(DESTDIR)$(INCLUDEDIR)/ovo.h $(DESTDIR)$(PKGCONFIGDIR)/ovo.pc
