#!/bin/bash
# Run one host unit test program and pass its TAP lines through, then judge
# the program itself as one more result, unit.PROGRAM_exit: it must finish
# (no crash, no hang), make as many results as its plan says, and exit 0
# exactly when none of them failed.
# Usage: run-unit.sh PROGRAM [ARGS...]
set -uo pipefail
name=$(basename "$1")
out=$(timeout -k 5 120 "$@" 2>&1)
rc=$?
[ -n "$out" ] && printf '%s\n' "$out"

plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' <<<"$out" | head -n1)
ran=$(grep -cE '^(not )?ok ' <<<"$out")
failed=$(grep -c '^not ok ' <<<"$out")
why=
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	why="no exit within 120 s"
elif [ "$rc" -eq 126 ] || [ "$rc" -eq 127 ]; then
	why="could not be run (exit $rc)"
elif [ "$rc" -gt 128 ]; then
	why="killed by signal $((rc - 128))"
elif [ -z "$plan" ]; then
	why="no plan line"
elif [ "$ran" -ne "$plan" ]; then
	why="planned $plan results, made $ran"
elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	why="exit status $rc with every result ok"
elif [ "$rc" -eq 0 ] && [ "$failed" -ne 0 ]; then
	why="exit status 0 with $failed failed results"
fi
if [ -z "$why" ]; then
	echo "ok - unit.${name}_exit"
else
	echo "not ok - unit.${name}_exit"
	echo "# $name: $why"
	exit 1
fi
