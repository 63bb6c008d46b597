#!/bin/bash
# Start the edu machine: q35, each edu device behind its own
# pcie-root-port (so it can be hot-unplugged), serial console, a QMP
# socket, no network, no disk.
#
# Usage: run.sh [options] KERNEL INITRD
#   --headless DIR   no terminal: console to DIR/console.log, test results
#                    (second serial port) to DIR/ktap.log, QMP at DIR/qmp.sock,
#                    and the third serial port at DIR/hotplug.sock (the
#                    suite's hot-plug requests, tests/harness/hotplug-agent)
#   --append ARGS    extra kernel command line
#   --timeout SEC    kill QEMU after SEC seconds (headless only)
#   --iommu          an Intel IOMMU (VT-d, with interrupt remapping), turned
#                    on in the guest: every DMA of the edu devices is translated
# Environment: EDU_COUNT (edu devices, default 2), ACCEL (tcg|kvm, default
# tcg), MEM (default 512M), QMP (socket path when interactive), IOMMU=1
# (as --iommu).
set -euo pipefail
headless= append= timeout=0 iommu=${IOMMU:-0}
while [ $# -gt 2 ]; do
	case $1 in
	--headless) headless=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--iommu) iommu=1; shift ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
kernel=$1 initrd=$2
count=${EDU_COUNT:-2}
accel=${ACCEL:-tcg}

machine=q35 iommu_dev=()
if [ "$iommu" = 1 ]; then
	# Interrupt remapping cannot work with KVM's full in-kernel irqchip:
	# split it (TCG has none and ignores the option). The IOMMU comes before
	# the devices: a PCI device gets its DMA address space when created.
	machine=q35,kernel-irqchip=split
	iommu_dev=(-device "intel-iommu,intremap=on")
	append="intel_iommu=on $append"
fi

args=(-machine "$machine" -accel "$accel" -smp 2 -m "${MEM:-512M}"
	-kernel "$kernel" -initrd "$initrd" -no-reboot -nic none "${iommu_dev[@]}")
for i in $(seq 1 "$count"); do
	args+=(-device "pcie-root-port,id=rp$i,chassis=$i,slot=$i"
		-device "edu,id=edu$i,bus=rp$i")
done

# Under TCG, a trace event switched on or off while the other vCPU runs the
# scheduler can hang the guest: the kernel patches the scheduler's
# tracepoints (to record task names) and one vCPU spins at the patched
# site with interrupts off (docs/tracing.md). Task names stay unrecorded.
[ "$accel" = tcg ] && append="trace_options=norecord-cmd $append"
cmdline="console=ttyS0 panic=-1 $append"
if [ -z "$headless" ]; then
	# An explicit mux: -qmp alone would drop the Ctrl-A monitor keys.
	exec qemu-system-x86_64 "${args[@]}" -display none -serial mon:stdio \
		-qmp "unix:${QMP:-/tmp/edu-qmp.sock},server=on,wait=off" \
		-append "quiet $cmdline"
fi

mkdir -p "$headless"
rm -f "$headless"/{console.log,ktap.log,qmp.sock,hotplug.sock}
kill_after=()
[ "$timeout" -gt 0 ] && kill_after=(timeout -k 5 "$timeout")
exec "${kill_after[@]}" qemu-system-x86_64 "${args[@]}" \
	-display none -monitor none \
	-serial "file:$headless/console.log" -serial "file:$headless/ktap.log" \
	-serial "unix:$headless/hotplug.sock,server=on,wait=off" \
	-qmp "unix:$headless/qmp.sock,server=on,wait=off" \
	-append "$cmdline" </dev/null
