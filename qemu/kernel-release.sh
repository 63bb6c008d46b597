#!/bin/bash
# Print the kernel ABI (e.g. 6.1.0-56-amd64) of the installed
# linux-headers-amd64, and with -v the Debian package version: the guest
# kernel must be exactly this release so that edu.ko loads into it.
set -euo pipefail
dep=$(dpkg-query -W -f='${Depends}\n' linux-headers-amd64)
krel=$(sed -n 's/^linux-headers-\([^ ]*\) (= \([^)]*\)).*/\1/p' <<<"$dep")
kver=$(sed -n 's/^linux-headers-\([^ ]*\) (= \([^)]*\)).*/\2/p' <<<"$dep")
[ -n "$krel" ] || { echo "kernel-release: cannot parse '$dep'" >&2; exit 1; }
if [ "${1:-}" = -v ]; then echo "$kver"; else echo "$krel"; fi
