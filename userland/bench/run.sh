#!/bin/bash
# make bench: boot the benchmark machine once (the IOMMU machine with six
# edu devices: four ours, one on uio_pci_generic, one on vfio-pci), run
# edu-bench in it, and write build/bench/: table.txt, bench.json,
# bench.tsv, dmesg.txt and the plots (gnuplot, the same axes every run).
# Usage: run.sh VMLINUZ INITRD OUTDIR [TIMEOUT_S]
# Environment: EDU_BENCH_SAMPLES (per latency figure), EDU_BENCH_STORM_MS
# (each storm's length), EDU_BENCH_GROUPS (space-separated: control events
# storm fanout data factorial).
set -euo pipefail
kernel=$1 initrd=$2 out=$3 timeout=${4:-1200}
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..

rm -rf "$out"
mkdir -p "$out/guest"
params="EDU_MODE=bench"
[ -n "${EDU_BENCH_SAMPLES:-}" ] && params+=" EDU_BENCH_SAMPLES=$EDU_BENCH_SAMPLES"
[ -n "${EDU_BENCH_STORM_MS:-}" ] && params+=" EDU_BENCH_STORM_MS=$EDU_BENCH_STORM_MS"
# The kernel passes one word per variable: groups joined by commas, split in the guest.
[ -n "${EDU_BENCH_GROUPS:-}" ] && params+=" EDU_BENCH_GROUPS=${EDU_BENCH_GROUPS// /,}"
EDU_COUNT=6 IOMMU=1 "$root/qemu/run.sh" --headless "$out/guest" --timeout "$timeout" \
	--append "$params" "$kernel" "$initrd" || {
	echo "bench: the machine did not finish (see $out/guest/console.log)" >&2
	exit 1
}

log=$out/guest/ktap.log
section() {	# NAME: the lines between "# bench-NAME-begin" and "-end"
	tr -d '\r' <"$log" | sed -n "/^# bench-$1-begin/,/^# bench-$1-end/{//!p}"
}
section table >"$out/table.txt"
section tsv >"$out/bench.tsv"
section json >"$out/bench.json"
section dmesg >"$out/dmesg.txt"
cat "$out/table.txt"
grep -q '^# bench-exit 0$' "$out/table.txt" || {
	echo "bench: edu-bench failed" >&2
	exit 1
}

# One plot per group, of the figures in its unit (a group not run has none).
plot() {	# GROUP UNIT YMIN YMAX YLABEL BOTH
	awk -F'\t' -v g="$1" -v u="$2" '$1 == g && $3 == u {
		print $2, $4, ($5 == "-" ? $4 : $5) }' "$out/bench.tsv" >"$out/$1.dat"
	[ -s "$out/$1.dat" ] || return 0
	gnuplot -e "dat='$out/$1.dat'; png='$out/$1.png'; title='edu-bench: $1';
		ylab='$5'; ymin=$3; ymax=$4; both=$6" "$here/plots.gp"
}
plot control us 0.01 1e4 "microseconds, p50 and p99 (log)" 1
plot events us 1 1e6 "microseconds from the raise, p50 and p99 (log)" 1
plot fanout us 0.1 1e6 "microseconds, p50 and p99 (log)" 1
plot data us 0.01 1e7 "microseconds per transfer, p50 and p99 (log)" 1
plot factorial ops/s 1 1e7 "operations per second (log)" 0
plot storm ev/s 1 1e7 "events delivered per second (log)" 0
echo "bench: results in $out"
