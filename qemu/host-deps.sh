#!/bin/bash
# Install the Debian packages the project needs, if any is missing.
# Idempotent and silent when everything is there. Extra packages may be
# named as arguments (the debug lane adds its kernel build dependencies).
set -euo pipefail

packages=(
	qemu-system-x86 busybox-static cpio kmod
	gcc make libc6-dev pkg-config
	linux-headers-amd64 linux-headers-rt-amd64
	libpci-dev pciutils pci.ids trace-cmd
	libnl-3-dev libnl-genl-3-dev libjson-c-dev liburing-dev
	sparse cppcheck groff-base
	debhelper dh-dkms dkms fakeroot dpkg-dev
	"$@"
)

missing=()
for p in "${packages[@]}"; do
	# NAME or NAME=VERSION
	name=${p%%=*} version=
	[ "$name" != "$p" ] && version=${p#*=}
	dpkg-query -W -f='${Status} ${Version}\n' "$name" 2>/dev/null |
		grep -qx "install ok installed ${version:-.*}" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || {
		echo "host-deps: need root to install: ${missing[*]}" >&2
		exit 1
	}
	sudo=sudo
fi
echo "host-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
