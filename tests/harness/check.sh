#!/bin/bash
# Static checks as TAP lines: checkpatch --strict and sparse on the driver,
# cppcheck on user space (which make already builds with -Werror).
# Usage: check.sh SOURCE_TREE KDIR WORKDIR
#   SOURCE_TREE: the unpacked linux-source-6.1 (for checkpatch.pl)
#   KDIR: the Debian headers to build against for sparse
set -uo pipefail
tree=$1 kdir=$2 work=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

report() {	# report NAME OUTPUT
	if [ -z "$2" ]; then
		echo "ok - check.$1"
	else
		echo "not ok - check.$1"
		sed 's/^/# /' <<<"$2" | head -n 60
	fi
}

out=$("$tree/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
	-f $(git ls-files 'driver/*.c' 'driver/*.h') 2>&1)
report checkpatch "$out"

# C=2 checks every file, not only the ones being rebuilt.
rm -rf "$work/sparse"
mkdir -p "$work/sparse"
cp -r driver/Kbuild driver/*.c driver/*.h driver/uapi "$work/sparse/"
out=$(make -C "$kdir" M="$work/sparse" C=2 CHECK=sparse modules 2>&1 |
	grep -E '(warning|error):')
report sparse "$out"

out=$(cppcheck --quiet --error-exitcode=1 --std=c11 \
	--enable=warning,style,performance,portability \
	--suppress=missingIncludeSystem --inline-suppr \
	-I userland/lib -I userland/eductl \
	userland tests/guest tests/unit 2>&1)
report cppcheck "$out"
