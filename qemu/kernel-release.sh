#!/bin/bash
# Print the kernel ABI (e.g. 6.1.0-56-amd64) of the installed Debian headers
# of a flavour, and with -v the Debian package version: the guest kernel
# must be exactly this release so that edu.ko loads into it.
# Usage: kernel-release.sh [-v] [FLAVOUR]   FLAVOUR: amd64 (default), rt-amd64
set -euo pipefail
want_version=
if [ "${1:-}" = -v ]; then want_version=1; shift; fi
flavour=${1:-amd64}
dep=$(dpkg-query -W -f='${Depends}\n' "linux-headers-$flavour")
krel=$(sed -n 's/^linux-headers-\([^ ]*\) (= \([^)]*\)).*/\1/p' <<<"$dep")
kver=$(sed -n 's/^linux-headers-\([^ ]*\) (= \([^)]*\)).*/\2/p' <<<"$dep")
[ -n "$krel" ] || { echo "kernel-release: cannot parse '$dep'" >&2; exit 1; }
if [ -n "$want_version" ]; then echo "$kver"; else echo "$krel"; fi
