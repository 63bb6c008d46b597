#!/bin/bash
# Count the TAP result lines of every results file given and print the final
# line "N passed, N failed". Exits non-zero on any failure or on no tests.
set -u
passed=0 failed=0
for f in "$@"; do
	[ -f "$f" ] || { echo "summarize: missing $f"; failed=$((failed + 1)); continue; }
	p=$(grep -c '^ok ' "$f")
	n=$(grep -c '^not ok ' "$f")
	passed=$((passed + p)) failed=$((failed + n))
done
if [ "$failed" -gt 0 ]; then
	echo "Failed:"
	cat "$@" 2>/dev/null | grep '^not ok ' | sed 's/^/  /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
