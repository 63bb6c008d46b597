#!/bin/bash
# Boot one lane's guest headless, run the in-guest suite, and judge the run.
# Prints one TAP line per result ("ok - LANE.test" / "not ok - LANE.test")
# with the guest's diagnostics, and copies them to OUT/results.tap.
#
# Usage: run-lane.sh LANE KERNEL INITRD OUT [TIMEOUT]
# Environment: EDU_TESTS, HOTPLUG_MODES, FUZZ_SECONDS, FUZZ_SEED, FUZZ_ROUNDS, FUZZ_TRACE, STRESS_SECONDS, STRESS_WORKERS,
# SOAK_RELOADS, SOAK_REBINDS, HOTPLUG_CYCLES, INTX_GROUPS, SKIP_GROUPS, SKIP_TESTS (passed to the suite, docs/testing.md);
# HOTPLUG_AGENT (the built tests/harness/hotplug-agent; without it the
# hotplug tests fail); KERNEL_ARGS (more kernel parameters); EDU_COUNT, ACCEL, MEM, IOMMU (see qemu/run.sh; with IOMMU=1
# the lane proves, as iommu_active, that the devices' DMA was translated);
# EXTRA_PATTERNS, a file of extra regular expressions that fail the lane
# when the kernel log matches one (the debug lane's KASAN, lockdep, ...
# reports); EXPECT_CHECKERS=1: the kernel must prove that KASAN, lockdep
# and kmemleak ran (checkers_active) and must give a kmemleak report.
set -uo pipefail
lane=$1 kernel=$2 initrd=$3 out=$4 timeout=${5:-300}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
count=${EDU_COUNT:-2}

mkdir -p "$out"
results=$out/results.tap
: >"$results"

report() {	# report OK|FAIL NAME [DETAIL...]
	local status=$1 name=$2
	shift 2
	if [ "$status" = OK ]; then
		echo "ok - $lane.$name" | tee -a "$results"
	else
		echo "not ok - $lane.$name" | tee -a "$results"
		for d in "$@"; do echo "# $d"; done | tee -a "$results"
	fi
}

# The suite's knobs reach it through the kernel command line (init passes
# unknown parameters on as environment variables).
params="EDU_MODE=test EDU_COUNT=$count${KERNEL_ARGS:+ $KERNEL_ARGS}"
for v in EDU_TESTS HOTPLUG_MODES FUZZ_SECONDS FUZZ_SEED FUZZ_ROUNDS FUZZ_TRACE STRESS_SECONDS STRESS_WORKERS SOAK_RELOADS SOAK_REBINDS HOTPLUG_CYCLES INTX_GROUPS SKIP_GROUPS SKIP_TESTS; do
	[ -n "${!v:-}" ] && params+=" $v=${!v}"
done

# The host half of hot-unplug: it answers the guest's requests on the
# third serial port through QMP, and ends with QEMU.
agent_pid=
rm -f "$out"/{qmp,hotplug}.sock
if [ -n "${HOTPLUG_AGENT:-}" ]; then
	"$HOTPLUG_AGENT" "$out/hotplug.sock" "$out/qmp.sock" 2>"$out/hotplug.log" &
	agent_pid=$!
fi

start=$(date +%s)
"$top/qemu/run.sh" --headless "$out" --timeout "$timeout" \
	--append "$params" "$kernel" "$initrd" \
	2>"$out/qemu-stderr.log"
rc=$?
[ -n "$agent_pid" ] && { kill "$agent_pid" 2>/dev/null; wait "$agent_pid" 2>/dev/null; }
echo "# $lane: guest ran $(($(date +%s) - start)) s, QEMU exit $rc"

console=$out/console.log
touch "$console" "$out/ktap.log"
# The serial line ends lines with CR LF.
ktap=$out/ktap.txt
tr -d '\r' <"$out/ktap.log" >"$ktap"

# The guest's own results.
plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$ktap" | head -n1)
ran=0
while IFS= read -r line; do
	case $line in
	"ok "*) report OK "${line#ok * }"; ran=$((ran + 1)) ;;
	"not ok "*) report FAIL "${line#not ok * }"; ran=$((ran + 1)) ;;
	"# dmesg-begin" | "# kmemleak-begin") break ;;
	"#"*) echo "$line" | tee -a "$results" ;;
	esac
done <"$ktap"

# The run as a whole.
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	report FAIL guest_finished "no result within ${timeout} s (tail of console below)" \
		"$(tail -n 20 "$console")"
elif ! grep -q '^EDU-GUEST-DONE' "$console"; then
	report FAIL guest_finished "the guest stopped before the suite ended" \
		"$(tail -n 30 "$console")"
else
	report OK guest_finished
fi

if [ -n "$plan" ] && [ "$ran" -eq "$plan" ] && grep -q '^# edu-tests: exit' "$ktap"; then
	report OK suite_complete
else
	report FAIL suite_complete "planned ${plan:-?}, ran $ran"
fi

if [ "$rc" -eq 0 ] && ! grep -qi 'hardware error' "$out/qemu-stderr.log" "$console"; then
	report OK qemu_exit_clean
else
	report FAIL qemu_exit_clean "QEMU exit $rc" "$(tail -n 5 "$out/qemu-stderr.log")"
fi

if grep -q '^# final-unload: ok' "$ktap"; then
	report OK final_unload
else
	report FAIL final_unload "rmmod edu at the end of the suite failed"
fi

# The boot lines of the checkers the debug kernel was built with: without
# them, a clean log would prove nothing.
if [ "${EXPECT_CHECKERS:-0}" = 1 ]; then
	boot=$(cat "$console"; sed -n '/^# dmesg-begin/,/^# dmesg-end/p' "$ktap")
	missing=()
	grep -q 'KernelAddressSanitizer initialized' <<<"$boot" ||
		missing+=('KASAN: no "KernelAddressSanitizer initialized"')
	grep -q 'Lock dependency validator: Copyright' <<<"$boot" ||
		missing+=('lockdep: no "Lock dependency validator: Copyright"')
	grep -q 'kmemleak: Kernel memory leak detector initialized' <<<"$boot" ||
		missing+=('kmemleak: no "kmemleak: Kernel memory leak detector initialized"')
	grep -q 'kmemleak: Kernel memory leak detector disabled' <<<"$boot" &&
		missing+=('kmemleak: "Kernel memory leak detector disabled"')
	if [ ${#missing[@]} -eq 0 ]; then
		report OK checkers_active
	else
		report FAIL checkers_active "${missing[@]}"
	fi
fi

# A kernel with kmemleak reports; then it must report nothing. A scan that
# failed, or no report where one is expected, is a failure too.
refused=$(sed -n 's/^# \(kmemleak-scan: failed.*\)/\1/p' "$ktap")
if [ -n "$refused" ]; then
	report FAIL kmemleak_clean "kmemleak refused a command: no report to trust" "$refused"
elif grep -q '^# kmemleak-begin' "$ktap"; then
	leaks=$(sed -n '/^# kmemleak-begin/,/^# kmemleak-end/p' "$ktap" |
		grep -v '^# kmemleak-' | head -n 40)
	if ! grep -q '^# kmemleak-end' "$ktap"; then
		report FAIL kmemleak_clean "the kmemleak report is cut short"
	elif [ -z "$leaks" ]; then
		report OK kmemleak_clean
	else
		report FAIL kmemleak_clean "$leaks"
	fi
elif [ "${EXPECT_CHECKERS:-0}" = 1 ]; then
	report FAIL kmemleak_clean "no kmemleak report"
fi

# The IOMMU: the guest's VT-d driver enabled translation, DMA domains are
# translated, and every edu device is in such a group (qemu/init's lines).
vtd='DMAR: Intel(R) Virtualization Technology for Directed I/O'
translated=$(grep -cE '^# iommu: edu[0-9]+ group [0-9]+ DMA(-FQ)?$' "$ktap")
if grep -qF "$vtd" "$console"; then
	echo "# $lane: IOMMU on (DMAR), $translated of $count edu devices translated" |
		tee -a "$results"
else
	echo "# $lane: no IOMMU (no DMAR line on the console): direct DMA" | tee -a "$results"
fi
if [ "${IOMMU:-0}" = 1 ]; then
	missing=()
	grep -qF "$vtd" "$console" || missing+=("no \"$vtd\" on the console")
	grep -q 'iommu: Default domain type: Translated' "$console" ||
		missing+=('no "iommu: Default domain type: Translated" on the console')
	[ "$translated" -eq "$count" ] ||
		missing+=("$translated of $count edu devices in a DMA (translated) IOMMU group")
	if [ ${#missing[@]} -eq 0 ]; then
		report OK iommu_active
	else
		report FAIL iommu_active "${missing[@]}"
	fi
fi

# Kernel splats anywhere in the console log.
splats='WARNING:|BUG:|Oops|Call Trace|Kernel panic|general protection fault|'
splats+='refcount_t:|list_(add|del) corruption|UBSAN:|hardware error|'
splats+='INFO: task .* blocked'
found=$(grep -E "$splats" "$console" | head -n 10)
if [ -n "${EXTRA_PATTERNS:-}" ] && [ -f "$EXTRA_PATTERNS" ]; then
	found=$(printf '%s\n%s' "$found" "$(grep -E -f "$EXTRA_PATTERNS" "$console" | head -n 10)" |
		sed '/^$/d')
fi
if [ -z "$found" ]; then
	report OK kernel_log_clean
else
	report FAIL kernel_log_clean "$found"
fi

# Our own messages at warning level or worse, but for the taint notes of an
# unsigned out-of-tree module and those a test provokes on purpose: a bad
# module parameter, injected faults, and the firmware loader's lines for an
# upload (it tries the file first) or for the firmware file a test hides.
allowed='invalid for parameter|loading out-of-tree module|module verification failed'
allowed+='|fault injected'
allowed+='|(failed to load|Direct firmware load for) (edu-upload-edu[0-9]+|edu/edu-fw.bin)'
allowed+='|Falling back to sysfs fallback for: edu-upload-edu[0-9]+'
allowed+='|See https://wiki.debian.org/Firmware'
# The netlink core's own notes on the malformed requests the fuzzer sends
# (they name the sending process, edu-tests).
allowed+="|netlink: 'edu-tests': attribute type [0-9]+ has an invalid length"
allowed+="|netlink: [0-9]+ bytes leftover after parsing attributes in process .edu-tests'"
# The firmware loader's complaint when the fuzzer drives an upload wrong.
allowed+='|firmware edu-upload-edu[0-9]+: firmware_loading_store: unexpected value'
ours=$(sed -n '/^# dmesg-begin/,/^# dmesg-end/p' "$ktap" |
	grep -E '^<[0-4]>' | grep -E 'edu' |
	grep -vE "$allowed" |
	head -n 10)
if grep -q '^# dmesg-end' "$ktap" && [ -z "$ours" ]; then
	report OK driver_log_clean
else
	report FAIL driver_log_clean "${ours:-no kernel log from the guest}"
fi
