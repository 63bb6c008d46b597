#!/bin/bash
# Static checks as TAP lines: checkpatch --strict and sparse on the driver,
# cppcheck on user space (which make already builds with -Werror; its
# variableScope is off: kernel style declares at the top of a block). A check
# that cannot run (tool missing, nothing to check, build failed) fails.
# Usage: check.sh SOURCE_TREE KDIR WORKDIR
#   SOURCE_TREE: the unpacked linux-source-6.1 (for checkpatch.pl)
#   KDIR: the Debian headers to build against for sparse
set -uo pipefail
tree=$1 kdir=$2 work=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1

fail() {	# fail NAME DETAIL...: one "not ok" with its diagnostics
	local name=$1
	shift
	echo "not ok - check.$name"
	printf '%s\n' "$@" | sed 's/^/# /' | head -n 60
}

report() {	# report NAME STATUS OUTPUT: passes on status 0 and no output
	if [ "$2" -eq 0 ] && [ -z "$3" ]; then
		echo "ok - check.$1"
	elif [ -z "$3" ]; then
		fail "$1" "exit status $2, no output"
	else
		fail "$1" "$3"
	fi
}

checkpatch=$tree/scripts/checkpatch.pl
files=$(git ls-files 'driver/*.c' 'driver/*.h' 2>/dev/null)
if [ ! -x "$checkpatch" ]; then
	fail checkpatch "$checkpatch missing or not executable"
elif [ -z "$files" ]; then
	fail checkpatch "no driver sources found by git ls-files"
else
	# shellcheck disable=SC2086 # one argument per file
	out=$("$checkpatch" --strict --no-tree --quiet --show-types -f $files 2>&1)
	report checkpatch $? "$out"
fi

# C=2 checks every file, not only the ones being rebuilt.
if ! command -v sparse >/dev/null; then
	fail sparse "sparse not on PATH"
else
	rm -rf "$work/sparse"
	mkdir -p "$work/sparse"
	cp -r driver/Kbuild driver/*.c driver/*.h driver/uapi "$work/sparse/"
	out=$(make -C "$kdir" M="$work/sparse" C=2 CHECK=sparse modules 2>&1)
	status=$?
	if [ "$status" -ne 0 ]; then
		fail sparse "the build failed (make exit $status):" "$(tail -n 40 <<<"$out")"
	else
		report sparse 0 "$(grep -E '(warning|error):' <<<"$out")"
	fi
fi

if ! command -v cppcheck >/dev/null; then
	fail cppcheck "cppcheck not on PATH"
else
	out=$(cppcheck --quiet --error-exitcode=1 --std=c11 \
		--enable=warning,style,performance,portability \
		--suppress=missingIncludeSystem --suppress=variableScope --inline-suppr \
		-I userland/lib -I userland/eductl \
		userland tests/guest tests/unit 2>&1)
	report cppcheck $? "$out"
fi

# Man pages: groff with every warning; any warning fails.
if ! command -v groff >/dev/null; then
	fail man "groff not on PATH (apt-get install groff-base)"
else
	out=$(for m in docs/man/*.[1-9]; do groff -man -Tutf8 -ww -z "$m" 2>&1; done)
	report man $? "$out"
fi

# The bash completion parses.
out=$(bash -n userland/eductl/eductl.bash-completion 2>&1)
report completion $? "$out"
