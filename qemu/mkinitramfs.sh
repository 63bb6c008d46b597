#!/bin/bash
# Build the guest's initramfs: busybox, our module, kernel modules, our
# programs and every shared library they link, and firmware.
# Usage: mkinitramfs.sh OUT KERNELDIR EDU_KO FIRMWARE_DIR PROGRAM...
#   KERNELDIR: output of guest-kernel.sh (release file and modules/)
#   FIRMWARE_DIR: becomes /lib/firmware/edu
set -euo pipefail
out=$1 kdir=$2 edu_ko=$3 fwdir=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
krel=$(cat "$kdir/release")

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp makes it 0700: the guest's / must be open to unprivileged users.
chmod 0755 "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,etc,tmp,root} \
	"$root/lib/modules/$krel"/{kernel,extra} "$root/lib/firmware" \
	"$root/usr/share/misc"

cp /bin/busybox "$root/bin/busybox"
install -m 0755 "$here/init" "$root/init"
cp "$edu_ko" "$root/lib/modules/$krel/extra/edu.ko"
cp "$kdir"/modules/*.ko "$root/lib/modules/$krel/kernel/" 2>/dev/null || true
cp "$kdir"/modules.builtin* "$root/lib/modules/$krel/" 2>/dev/null || true
cp /usr/share/misc/pci.ids "$root/usr/share/misc/"
cp -r "$fwdir" "$root/lib/firmware/edu"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' \
	>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
chmod 1777 "$root/tmp"
echo 'export PS1="edu:\w# "' >"$root/etc/profile"

# Programs, and the shared libraries ldd says they need (with the loader).
# trace-cmd records the driver's tracepoints (docs/tracing.md). The upcall
# helper goes where the driver looks for it, as installed (docs/install.md).
mkdir -p "$root/usr/libexec/edu"
for prog in "$@" /usr/bin/lspci /usr/bin/trace-cmd; do
	case $(basename "$prog") in
	edu-upcall) cp "$prog" "$root/usr/libexec/edu/" ;;
	*) cp "$prog" "$root/usr/bin/" ;;
	esac
	ldd "$prog" | awk '/=> \//{print $3} /^\t\/lib/{print $1}' |
		while read -r lib; do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
done

# Module indexes, so modprobe and libkmod (lspci -k) work in the guest.
(cd "$root/lib/modules/$krel" && find kernel extra -name '*.ko' >modules.order)
depmod -b "$root" "$krel"

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
