#!/bin/bash
# Fetch the Debian kernel image that matches the installed headers and
# extract vmlinuz plus the few modules the guest needs into OUTDIR.
# The .deb is cached (CACHE) so a fresh clone does not download it again.
# Usage: guest-kernel.sh OUTDIR CACHE [FLAVOUR]  (amd64, or rt-amd64: PREEMPT_RT)
set -euo pipefail
out=$1 cache=$2 flavour=${3:-amd64}
here=$(dirname "$0")
krel=$("$here/kernel-release.sh" "$flavour")
kver=$("$here/kernel-release.sh" -v "$flavour")
pkg=linux-image-$krel

modules=(
	fs/configfs/configfs.ko
	drivers/uio/uio.ko
	drivers/uio/uio_pci_generic.ko
	virt/lib/irqbypass.ko
	drivers/vfio/vfio.ko
	drivers/vfio/vfio_iommu_type1.ko
	drivers/vfio/vfio_virqfd.ko
	drivers/vfio/pci/vfio-pci-core.ko
	drivers/vfio/pci/vfio-pci.ko
)

mkdir -p "$cache"
deb=$(ls "$cache/${pkg}_${kver}_"*.deb 2>/dev/null | head -n1 || true)
if [ -z "$deb" ]; then
	echo "guest-kernel: downloading $pkg $kver"
	(cd "$cache" && apt-get download -qq "$pkg=$kver" 2>/dev/null) || {
		echo "guest-kernel: cannot download $pkg=$kver;" \
			"run 'apt-get update && apt-get install linux-headers-$flavour'" >&2
		exit 1
	}
	deb=$(ls "$cache/${pkg}_${kver}_"*.deb | head -n1)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
rm -rf "$out"
mkdir -p "$out/modules"
cp "$tmp/boot/vmlinuz-$krel" "$out/vmlinuz"
for m in "${modules[@]}"; do
	cp "$tmp/lib/modules/$krel/kernel/$m" "$out/modules/"
done
# What is built in: libkmod (lspci -k, modprobe) wants to know.
cp "$tmp/lib/modules/$krel"/modules.builtin{,.modinfo} "$out/"
echo "$krel" >"$out/release"
