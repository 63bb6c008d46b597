#!/bin/bash
# Build the debug lane's guest kernel from Debian's own source (the
# linux-source-6.1 package of the installed headers' version) with
# qemu/debug.config, once: the tree is cached under CACHE, keyed by source
# version and fragment, so later runs and fresh clones reuse it.
# Prints the tree's path on the last line.
# Usage: debug-kernel.sh CACHE
set -euo pipefail
cache=$1
here=$(cd "$(dirname "$0")" && pwd)
kver=$("$here/kernel-release.sh" -v)
frag=$here/debug.config
key=$kver-$(sha256sum "$frag" | cut -c1-12)
tree=$cache/debug-kernel-$key

if [ -f "$tree/.edu-built" ]; then
	echo "$tree"
	exit 0
fi

"$here/host-deps.sh" "linux-source-6.1=$kver" bc bison flex libelf-dev libssl-dev xz-utils

tarball=$(ls /usr/src/linux-source-6.1.tar.xz)
# An interrupted build (a full disk, a killed run) resumes where it stopped:
# make is incremental once the source is unpacked whole.
if [ ! -f "$tree.tmp/.edu-unpacked" ]; then
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	echo "debug-kernel: unpacking $tarball" >&2
	tar -xf "$tarball" -C "$tree.tmp" --strip-components=1
	touch "$tree.tmp/.edu-unpacked"
fi

cd "$tree.tmp"
make -s x86_64_defconfig kvm_guest.config >/dev/null
scripts/kconfig/merge_config.sh -m .config "$frag" >/dev/null
make -s olddefconfig
# merge_config reports silently; insist that every asked-for option held.
missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$frag" | while IFS= read -r line; do
	grep -qxF "$line" .config || echo "$line"
done)
if [ -n "$missing" ]; then
	echo "debug-kernel: options not taken: $missing" >&2
	exit 1
fi

echo "debug-kernel: building (about 15 minutes on 2 cores)" >&2
start=$(date +%s)
# make resumes an interrupted build (kbuild deletes half-written objects):
# a transient failure, such as a full shared disk, gets two more tries.
for try in 1 2 3; do
	make -s -j"$(nproc)" bzImage modules >build.log 2>&1 && break
	[ "$try" -lt 3 ] || {
		tail -n 40 build.log >&2
		exit 1
	}
	echo "debug-kernel: build failed, retrying ($(grep -m1 -E 'error|Error' build.log))" >&2
	sleep 30
done
echo "debug-kernel: built in $(($(date +%s) - start)) s" >&2
touch .edu-built
cd /
mv "$tree.tmp" "$tree"
echo "$tree"
