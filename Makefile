# The edu stack: one Makefile for everything. See README.md.
#
#   make            install what is missing, build module, userland, tests
#   make run        ... and boot the machine with a shell (Ctrl-A X quits)
#   make test       ... and run every test headless; last line "N passed, N failed"
#   make test-quick the Debian-kernel lane only (the inner loop)
#   make clean      remove everything built
#
# Variables: EDU_COUNT (edu devices, default 2), ACCEL (tcg|kvm, default tcg),
# BUILD (build tree), CACHE (downloads kept across clones).

BUILD ?= build
CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/edu-stack
EDU_COUNT ?= 2
ACCEL ?= tcg
export EDU_COUNT ACCEL

B := $(abspath $(BUILD))
DEB := $(B)/debian
RESULTS := $(B)/results

# Everything below needs the packages; make re-enters itself after installing.
all run test test-quick: deps
	@$(MAKE) --no-print-directory _$@

deps:
	@qemu/host-deps.sh

.PHONY: all run test test-quick deps clean _all _run _test _test-quick \
	_module _userland _tests FORCE

# ---- build ----------------------------------------------------------------

KREL = $(shell qemu/kernel-release.sh)
KDIR = /lib/modules/$(KREL)/build

_all: $(DEB)/initramfs.cpio.gz $(B)/unit/test_parse

$(DEB)/vmlinuz:
	qemu/guest-kernel.sh $(DEB)/kernel $(CACHE)
	cp $(DEB)/kernel/vmlinuz $@

# Kbuild writes next to its sources: build a copy per kernel.
$(DEB)/edu.ko: FORCE
	@mkdir -p $(DEB)/driver
	@cp -p driver/Kbuild driver/*.c driver/*.h $(DEB)/driver/
	$(MAKE) -C $(KDIR) M=$(DEB)/driver modules
	@cp -p $(DEB)/driver/edu.ko $@

_userland:
	$(MAKE) -C userland O=$(B)/userland

_tests: _userland
	$(MAKE) -C tests/guest O=$(B)/tests

$(B)/unit/test_parse: _userland FORCE
	$(MAKE) -C tests/unit O=$(B)/unit LIBEDU=$(B)/userland/libedu.a

GUEST_PROGRAMS = $(B)/userland/eductl $(B)/tests/edu-tests

$(DEB)/initramfs.cpio.gz: $(DEB)/vmlinuz $(DEB)/edu.ko _userland _tests qemu/init qemu/mkinitramfs.sh
	qemu/mkinitramfs.sh $@ $(DEB)/kernel $(DEB)/edu.ko $(GUEST_PROGRAMS)

# ---- run and test ---------------------------------------------------------

_run: _all
	qemu/run.sh $(DEB)/vmlinuz $(DEB)/initramfs.cpio.gz

$(RESULTS)/unit.tap: $(B)/unit/test_parse
	@mkdir -p $(RESULTS)
	@$(B)/unit/test_parse | tee $@; true

$(RESULTS)/debian.tap: _all
	@mkdir -p $(RESULTS)
	@tests/harness/run-lane.sh debian $(DEB)/vmlinuz $(DEB)/initramfs.cpio.gz \
		$(B)/lanes/debian 300
	@cp $(B)/lanes/debian/results.tap $@

QUICK_RESULTS = $(RESULTS)/unit.tap $(RESULTS)/debian.tap

_test-quick: _all
	@rm -rf $(RESULTS)
	@$(MAKE) --no-print-directory $(QUICK_RESULTS)
	@tests/harness/summarize.sh $(QUICK_RESULTS)

_test: _test-quick

clean:
	rm -rf $(BUILD)
