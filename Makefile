# The edu stack: one Makefile for everything. See README.md.
#
#   make            install what is missing, build module, userland, tests
#   make run        ... and boot the machine with a shell (Ctrl-A X quits)
#   make test       ... and run every test headless; last line "N passed, N failed"
#   make test-quick the Debian-kernel lane only (the inner loop)
#   make check      static checks: checkpatch, sparse, cppcheck
#   make clean      remove everything built
#
#   make soak       the soak tests alone, full counts, on every lane
#   make bench      every channel measured side by side with UIO and VFIO,
#                   one boot; table, JSON and plots in build/bench/
#
# Variables: EDU_COUNT (edu devices, default 2), ACCEL (tcg|kvm, default tcg),
# BUILD (build tree), CACHE (downloads kept across clones). The suite's long
# parts (docs/testing.md): STRESS_SECONDS, STRESS_WORKERS, FUZZ_SECONDS,
# FUZZ_SEED (replay), SOAK_RELOADS, SOAK_REBINDS; each lane has its defaults.

BUILD ?= build
CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/edu-stack
EDU_COUNT ?= 2
ACCEL ?= tcg
export EDU_COUNT ACCEL
# Passed to the suite when set (run-lane.sh); the guest has its defaults.
export STRESS_SECONDS STRESS_WORKERS FUZZ_SECONDS FUZZ_SEED EDU_TESTS

# Soak cycles per lane: the whole 200 reloads and 50 rebinds where a cycle
# takes a quarter of a second; fewer on the debug kernel (4 s a reload).
soak = SOAK_RELOADS=$(or $(SOAK_RELOADS),$(1)) SOAK_REBINDS=$(or $(SOAK_REBINDS),$(2))

B := $(abspath $(BUILD))
DEB := $(B)/debian
RT := $(B)/rt
DBG := $(B)/debug
RESULTS := $(B)/results
AGENT := $(B)/harness/hotplug-agent

# Everything below needs the packages; make re-enters itself after installing.
all run test test-quick check soak: deps
	@$(MAKE) --no-print-directory _$@

deps:
	@qemu/host-deps.sh

# Install on this machine, or into DESTDIR (docs/install.md). The module
# goes separately: "make -C driver modules_install", or DKMS.
PREFIX ?= /usr/local
MANDIR ?= $(PREFIX)/share/man
# The sub-makes run in their own directories: a relative DESTDIR is ours.
override DESTDIR := $(if $(DESTDIR),$(abspath $(DESTDIR)))
install: _userland _firmware
	$(MAKE) -C userland O=$(B)/userland DESTDIR=$(DESTDIR) install
	$(MAKE) -C firmware O=$(B)/firmware LIBEDU=$(B)/userland/libedu.a DESTDIR=$(DESTDIR) install
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man4
	for page in docs/man/*.[14]; do \
		[ -e "$$page" ] || continue; \
		install -m 0644 $$page $(DESTDIR)$(MANDIR)/man$${page##*.}/ || exit; \
	done

# Debian packages edu-dkms, edu-utils and libedu-dev, built by debhelper
# from a copy of the tree with userland/debian as its debian/; in build/deb/.
VERSION = $(shell sed -n 's/^\#define EDU_VERSION[[:space:]]*"\(.*\)"/\1/p' driver/uapi/linux/edu.h)
deb: deps
	@$(MAKE) --no-print-directory _deb

_deb:
	rm -rf $(B)/deb && mkdir -p $(B)/deb/edu-$(VERSION)
	cp -pr Makefile README.md LICENSE driver userland firmware docs $(B)/deb/edu-$(VERSION)/
	rm -rf $(B)/deb/edu-$(VERSION)/userland/build
	mv $(B)/deb/edu-$(VERSION)/userland/debian $(B)/deb/edu-$(VERSION)/debian
	cd $(B)/deb/edu-$(VERSION) && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
		{ tail -n 30 ../build.log; exit 1; }

# The benchmark also plots.
bench:
	@qemu/host-deps.sh gnuplot-nox
	@$(MAKE) --no-print-directory _bench

.PHONY: all run test test-quick check soak bench deps install deb _deb clean _all _run _test _test-quick _soak _bench \
	_check _userland _tests _firmware _debug FORCE

# ---- build ----------------------------------------------------------------

KREL = $(shell qemu/kernel-release.sh)
KDIR = /lib/modules/$(KREL)/build
KDIR_RT = /lib/modules/$(shell qemu/kernel-release.sh rt-amd64)/build

_all: $(DEB)/initramfs.cpio.gz $(B)/unit/test_parse $(AGENT)

$(DEB)/vmlinuz: qemu/guest-kernel.sh
	qemu/guest-kernel.sh $(DEB)/kernel $(CACHE)
	cp $(DEB)/kernel/vmlinuz $@

# Kbuild writes next to its sources: build a copy per kernel.
# $(call build_module,LANE_DIR,KDIR)
define build_module
	@mkdir -p $(1)/driver
	@cp -pr driver/Kbuild driver/*.c driver/*.h driver/uapi $(1)/driver/
	$(MAKE) -C $(2) M=$(1)/driver modules
	@cp -p $(1)/driver/edu.ko $(1)/edu.ko
endef

$(DEB)/edu.ko: FORCE
	$(call build_module,$(DEB),$(KDIR))

# The PREEMPT_RT lane: Debian's -rt kernel of the same ABI, and the module
# built against its headers.
$(RT)/vmlinuz: qemu/guest-kernel.sh
	qemu/guest-kernel.sh $(RT)/kernel $(CACHE) rt-amd64
	cp $(RT)/kernel/vmlinuz $@

$(RT)/edu.ko: FORCE
	$(call build_module,$(RT),$(KDIR_RT))

$(RT)/initramfs.cpio.gz: $(RT)/vmlinuz $(RT)/edu.ko _userland _tests _firmware qemu/init qemu/mkinitramfs.sh
	qemu/mkinitramfs.sh $@ $(RT)/kernel $(RT)/edu.ko $(B)/firmware/edu $(GUEST_PROGRAMS)

_userland:
	$(MAKE) -C userland O=$(B)/userland

_tests: _userland
	$(MAKE) -C tests/guest O=$(B)/tests LIBEDU=$(B)/userland/libedu.a

# mkedufw and the default image, installed as /lib/firmware/edu/edu-fw.bin.
_firmware: _userland
	$(MAKE) -C firmware O=$(B)/firmware LIBEDU=$(B)/userland/libedu.a

$(B)/unit/test_parse: _userland FORCE
	$(MAKE) -C tests/unit O=$(B)/unit LIBEDU=$(B)/userland/libedu.a

# The host half of the suite's hot-unplug (QMP), tests/harness/hotplug-agent.c.
$(AGENT): tests/harness/hotplug-agent.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -Wall -Wextra -Werror $$(pkg-config --cflags json-c) -o $@ $< \
		$$(pkg-config --libs json-c)

GUEST_PROGRAMS = $(B)/userland/eductl $(B)/userland/edu-upcall $(B)/userland/edu-bench \
	$(B)/tests/edu-tests

# PACKAGES=1: the Debian machine takes the module, the tools and the
# firmware as installed by the packages (make deb, then dpkg -i), not from
# the build tree (docs/install.md).
ifeq ($(PACKAGES),1)
DEB_KO = /lib/modules/$(KREL)/updates/dkms/edu.ko
DEB_FW = /lib/firmware/edu
DEB_PROGRAMS = /usr/bin/eductl /usr/libexec/edu/edu-upcall $(B)/userland/edu-bench \
	$(B)/tests/edu-tests
$(DEB_KO) /usr/bin/eductl:
	@echo "PACKAGES=1: $@ is missing: install the packages first (docs/install.md)"; exit 1
else
DEB_KO = $(DEB)/edu.ko
DEB_FW = $(B)/firmware/edu
DEB_PROGRAMS = $(GUEST_PROGRAMS)
endif

$(DEB)/initramfs.cpio.gz: $(DEB)/vmlinuz $(DEB_KO) _userland _tests _firmware qemu/init qemu/mkinitramfs.sh
	qemu/mkinitramfs.sh $@ $(DEB)/kernel $(DEB_KO) $(DEB_FW) $(DEB_PROGRAMS)

# The debug kernel: built once into CACHE (about 15 minutes), then reused.
$(DBG)/tree: FORCE
	@mkdir -p $(DBG)/kernel
	@qemu/debug-kernel.sh $(CACHE) | tail -n1 >$@.tmp && mv $@.tmp $@

$(DBG)/vmlinuz: $(DBG)/tree
	@tree=$$(cat $<) && cp $$tree/arch/x86/boot/bzImage $@ && \
	  $(MAKE) -s -C $$tree kernelrelease >$(DBG)/kernel/release && \
	  cp $$tree/modules.builtin $$tree/modules.builtin.modinfo $(DBG)/kernel/

$(DBG)/edu.ko: $(DBG)/tree FORCE
	$(call build_module,$(DBG),$$(cat $(DBG)/tree))

$(DBG)/initramfs.cpio.gz: $(DBG)/vmlinuz $(DBG)/edu.ko _userland _tests _firmware qemu/init qemu/mkinitramfs.sh
	qemu/mkinitramfs.sh $@ $(DBG)/kernel $(DBG)/edu.ko $(B)/firmware/edu $(GUEST_PROGRAMS)

_debug: $(DBG)/initramfs.cpio.gz

# ---- static checks --------------------------------------------------------

$(RESULTS)/check.tap: $(DBG)/tree _userland _tests
	@mkdir -p $(RESULTS)
	@tests/harness/check.sh $$(cat $(DBG)/tree) $(KDIR) $(B)/check | tee $@

_check: $(RESULTS)/check.tap
	@tests/harness/summarize.sh $<

# ---- run and test ---------------------------------------------------------

_run: _all
	qemu/run.sh $(DEB)/vmlinuz $(DEB)/initramfs.cpio.gz

# run-unit.sh adds unit.PROGRAM_exit: a crash, a hang or a plan not kept fails.
# The failures are lines of unit.tap, counted by summarize.sh, not make's.
$(RESULTS)/unit.tap: $(B)/unit/test_parse _firmware
	@mkdir -p $(RESULTS)
	@{ tests/harness/run-unit.sh $(B)/unit/test_parse; \
	  tests/harness/run-unit.sh $(B)/unit/test_ring; \
	  tests/harness/run-unit.sh $(B)/unit/test_fwimage $(B)/firmware/mkedufw; } | tee $@

# Direct DMA, and the Debian kernel has none of the debug lane's checkers.
$(RESULTS)/debian.tap: _all
	@mkdir -p $(RESULTS)
	@HOTPLUG_AGENT=$(AGENT) IOMMU=0 EXPECT_CHECKERS=0 $(call soak,200,50) \
		STRESS_SECONDS=$(or $(STRESS_SECONDS),12) \
		tests/harness/run-lane.sh debian $(DEB)/vmlinuz $(DEB)/initramfs.cpio.gz \
		$(B)/lanes/debian $(or $(LANE_TIMEOUT),600)
	@cp $(B)/lanes/debian/results.tap $@

QUICK_RESULTS = $(RESULTS)/unit.tap $(RESULTS)/debian.tap

_test-quick: _all
	@rm -rf $(RESULTS)
	@$(MAKE) --no-print-directory $(QUICK_RESULTS)
	@tests/harness/summarize.sh $(QUICK_RESULTS)

# The debug lane runs behind an IOMMU (every DMA translated, iommu_active)
# and must prove its checkers ran (checkers_active, a kmemleak report).
# Everything is 3 to 5 times slower there: for the time budget, INTx mode
# runs the groups whose interrupts cover the paths that depend on the
# interrupt mode (not the character device's 23 tests, 25 s), hot-unplug
# runs in MSI mode only (its ten cycles), the soak is short (kmemleak, not
# a trend, is this lane's leak check), and the tools group, 14 times
# slower here, is left to the other lanes (its driver paths run here in
# the groups that test them), as are two tests of timing, not memory:
# the upcall rate limit (helpers run below the limit here, 16 s) and
# trace-cmd's recording (13 s), and so are the two removals during the
# probe-time firmware load (35 s; the upload's removals run here), and
# stress runs one worker per channel, not two.
$(RESULTS)/debug.tap: _debug $(AGENT)
	@mkdir -p $(RESULTS)
	@HOTPLUG_AGENT=$(AGENT) HOTPLUG_MODES=msi INTX_GROUPS=core,signals SKIP_GROUPS=tools \
		SKIP_TESTS=route_upcall_rate_limit,trace_cmd,unbind_during_probe_load,rmmod_during_probe_load \
		STRESS_SECONDS=$(or $(STRESS_SECONDS),6) STRESS_WORKERS=$(or $(STRESS_WORKERS),1) \
		FUZZ_SECONDS=$(or $(FUZZ_SECONDS),12) $(call soak,5,4) MEM=1G IOMMU=1 EXPECT_CHECKERS=1 EXTRA_PATTERNS=tests/harness/debug-patterns.txt \
		tests/harness/run-lane.sh debug $(DBG)/vmlinuz $(DBG)/initramfs.cpio.gz \
		$(B)/lanes/debug $(or $(LANE_TIMEOUT),1800)
	@cp $(B)/lanes/debug/results.tap $@

# PREEMPT_RT: spinlocks sleep and interrupt handlers run in threads.
# noirqdebug: QEMU's UARTs raise a transmit interrupt per character at once,
# so the threaded 8250 handler finds most of them already served, and the
# kernel would take the results port's line for a stuck one and disable it.
$(RESULTS)/rt.tap: $(RT)/initramfs.cpio.gz $(AGENT)
	@mkdir -p $(RESULTS)
	@HOTPLUG_AGENT=$(AGENT) KERNEL_ARGS=noirqdebug IOMMU=0 EXPECT_CHECKERS=0 $(call soak,40,15) \
		STRESS_SECONDS=$(or $(STRESS_SECONDS),12) \
		tests/harness/run-lane.sh rt $(RT)/vmlinuz $(RT)/initramfs.cpio.gz \
		$(B)/lanes/rt $(or $(LANE_TIMEOUT),900)
	@cp $(B)/lanes/rt/results.tap $@

# The packages, installed on this machine and purged again: DKMS builds the
# module against each Debian kernel's installed headers (docs/install.md).
# A package that does not build is a result too: the lanes still run.
$(RESULTS)/packages.tap:
	@mkdir -p $(RESULTS)
	@{ if $(MAKE) --no-print-directory -s _deb >$(B)/deb.log 2>&1; then \
		echo "ok - packages.build"; \
		tests/harness/packages.sh $(B)/deb $(VERSION) $(KREL) \
			$(shell qemu/kernel-release.sh rt-amd64) || echo "not ok - packages.exit"; \
	  else \
		echo "not ok - packages.build"; tail -n 20 $(B)/deb.log | sed 's/^/# /'; \
	  fi; \
	  rm -rf $(B)/stage; \
	  if $(MAKE) --no-print-directory -s install DESTDIR=$(B)/stage PREFIX=/usr \
		>$(B)/install.log 2>&1 && tests/harness/installed.sh $(B)/stage >>$(B)/install.log; then \
		echo "ok - packages.make_install"; \
	  else \
		echo "not ok - packages.make_install"; tail -n 20 $(B)/install.log | sed 's/^/# /'; \
	  fi; } | tee $@

# The benchmark once, short (3 samples a figure, storms of 200 ms):
# every figure produced and every path working; it judges no time.
$(RESULTS)/bench.tap: _all
	@mkdir -p $(RESULTS)
	@EDU_BENCH_SAMPLES=3 EDU_BENCH_STORM_MS=200 userland/bench/run.sh $(DEB)/vmlinuz \
		$(DEB)/initramfs.cpio.gz $(B)/bench-short 600 >$(B)/bench-short.log 2>&1; \
		tests/harness/bench-check.sh $(B)/bench-short | tee $@

ALL_RESULTS = $(RESULTS)/check.tap $(QUICK_RESULTS) $(RESULTS)/packages.tap $(RESULTS)/debug.tap \
	$(RESULTS)/rt.tap $(RESULTS)/bench.tap

_test: _all
	@rm -rf $(RESULTS)
	@$(MAKE) --no-print-directory $(ALL_RESULTS)
	@tests/harness/summarize.sh $(ALL_RESULTS)

# The soak tests alone, with the issue's full counts on every lane (the
# debug kernel's 200 reloads take about 15 minutes).
_soak: _all
	@rm -rf $(B)/soak
	@$(MAKE) --no-print-directory RESULTS=$(B)/soak EDU_TESTS=module_reload,unbind_bind \
		SOAK_RELOADS=$(or $(SOAK_RELOADS),200) SOAK_REBINDS=$(or $(SOAK_REBINDS),50) \
		LANE_TIMEOUT=3600 $(B)/soak/debian.tap $(B)/soak/rt.tap $(B)/soak/debug.tap
	@tests/harness/summarize.sh $(B)/soak/debian.tap $(B)/soak/rt.tap $(B)/soak/debug.tap

# ---- benchmark ------------------------------------------------------------

# The Debian kernel on the IOMMU machine (VFIO needs it), six edu devices.
_bench: _all
	userland/bench/run.sh $(DEB)/vmlinuz $(DEB)/initramfs.cpio.gz $(B)/bench

clean:
	rm -rf $(BUILD)
