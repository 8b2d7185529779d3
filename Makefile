# umlinux — see README.md. `make` builds the kernel and every host tool into build/.
CC      ?= gcc
BUILD   ?= build
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Werror
KCFLAGS  = -std=gnu11 $(WARN) -D_GNU_SOURCE -Isrc -Ilib $(CFLAGS) $(EXTRA_CFLAGS)
KLIBS    = -lpthread -lext2fs -lcom_err $(EXTRA_LDFLAGS)

# The stub is the tiny static program every guest task runs inside; it lives at a fixed
# address far from where guest programs and the host's mmap area go (see platform.h).
STUB_BASE   = 0x600100000000
STUB_CFLAGS = -std=gnu11 $(WARN) -Os -static -nostdlib -ffreestanding -fno-stack-protector \
              -fno-pie -no-pie -fcf-protection=none -fno-asynchronous-unwind-tables \
              -Wl,-Ttext-segment=$(STUB_BASE) -Wl,--build-id=none -Wl,-z,noexecstack

KSRC  := $(shell find src -name '*.c' -not -path 'src/platform/stub/*' | sort)
LSRC  := $(shell find lib -name '*.c' | sort)
KOBJ  := $(KSRC:%.c=$(BUILD)/obj/%.o) $(LSRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/stub_blob.o
LOBJ  := $(LSRC:%.c=$(BUILD)/obj/%.o)
TOOLS := $(patsubst tools/%/,%,$(sort $(dir $(wildcard tools/*/*.c))))

.PHONY: all tools test run install clean deps rootfs unit san fuzz
all: $(BUILD)/umlinux $(BUILD)/linux tools docs/syscalls.md

# The syscall table as a document, regenerated from the table by every build.
docs/syscalls.md: $(BUILD)/umlinux
	$(BUILD)/umlinux --syscall-table > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/stub: src/platform/stub/stub.S
	@mkdir -p $(dir $@)
	$(CC) $(STUB_CFLAGS) -DSTUB_BASE=$(STUB_BASE) -Isrc $< -o $@

$(BUILD)/obj/stub_blob.o: $(BUILD)/stub src/platform/stub_blob.S
	@mkdir -p $(dir $@)
	$(CC) -c -DSTUB_PATH='"$(BUILD)/stub"' src/platform/stub_blob.S -o $@

$(BUILD)/umlinux: $(KOBJ)
	$(CC) $(KCFLAGS) $^ -o $@ $(KLIBS)

$(BUILD)/linux: $(BUILD)/umlinux
	ln -sf umlinux $@

tools: $(TOOLS:%=$(BUILD)/%)
define tool_rule
$(BUILD)/$(1): $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tools/$(1)/*.c)) $(LOBJ)
	$$(CC) $$(KCFLAGS) $$^ -o $$@ $$(KLIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t))))

deps:
	@scripts/install-deps.sh

rootfs: deps
	@scripts/make-busybox-root.sh

run: deps all rootfs
	$(BUILD)/umlinux root=/dev/root rootfstype=hostfs rootflags=$$(scripts/make-busybox-root.sh --path) mem=128M

test: deps
	@tests/run-all.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/umlinux $(DESTDIR)$(PREFIX)/bin/umlinux
	ln -sf umlinux $(DESTDIR)$(PREFIX)/bin/linux
	for t in $(TOOLS); do install -m 755 $(BUILD)/$$t $(DESTDIR)$(PREFIX)/bin/$$t; done

PREFIX ?= /usr/local

clean:
	rm -rf build build-*

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# Unit tests (cmocka): tests/unit/test_<name>.c linked against every kernel object but main.
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)
KOBJ_NOMAIN = $(filter-out $(BUILD)/obj/src/kernel/main.o,$(KOBJ))
$(BUILD)/unit/%: tests/unit/%.c $(KOBJ_NOMAIN)
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) $< $(KOBJ_NOMAIN) -o $@ $(KLIBS) -lcmocka
unit: $(UNIT_BIN)

# The kernel under AddressSanitizer and UndefinedBehaviorSanitizer (tests run guests on it).
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
san:
	$(MAKE) BUILD=build-san CFLAGS="$(SAN_FLAGS)" EXTRA_LDFLAGS="-fsanitize=address,undefined" build-san/umlinux

# Fuzz harnesses (libFuzzer, needs clang): tests/fuzz/fuzz_<name>.c linked with lib/*.c.
FUZZ_CC  ?= clang
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
$(BUILD)/fuzz/%: tests/fuzz/%.c $(LSRC) $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=gnu11 $(WARN) -D_GNU_SOURCE -Ilib -O1 -g -fsanitize=fuzzer,address,undefined $< $(LSRC) -o $@
fuzz: $(FUZZ_BIN)
