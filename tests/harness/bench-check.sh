#!/bin/bash
# make test's check of the benchmark's short run (#12): every figure was
# produced and every path worked; no time is judged (the machines are shared
# and noisy, and the figures are make bench's to give).
# Usage: bench-check.sh OUTDIR   (userland/bench/run.sh's output directory)
# Prints TAP result lines, bench.*.
set -u
out=$1
groups="control events storm fanout data factorial"
table=$out/table.txt

result() {	# OK NAME [DIAGNOSTIC...]
	local ok=$1 name=$2
	shift 2
	if [ "$ok" = 1 ]; then
		echo "ok - bench.$name"
	else
		echo "not ok - bench.$name"
		[ $# -gt 0 ] && printf '# %s\n' "$@"
	fi
}

if [ ! -s "$table" ]; then
	result 0 run "no table: the machine did not finish" \
		"$(tail -n 20 "$out/guest/console.log" 2>/dev/null)"
	exit 0
fi
grep -q '^# bench-exit 0$' "$table"
result $((! $?)) exit "$(grep '^# bench-exit' "$table")"

# One result per figure: measured with no failed sample, or not ok.
figures=0
while read -r group name rest; do
	figures=$((figures + 1))
	case $rest in
	*skipped:* | *failed:*) result 0 "$group.$name" "$group $name $rest" ;;
	*) result 1 "$group.$name" ;;
	esac
done < <(grep -v '^#' "$table" | grep -v '^group ' | grep -v '^bench:')

missing=
for g in $groups; do
	grep -q "^$g " "$table" || missing+=" $g"
done
result $([ -z "$missing" ] && echo 1 || echo 0) groups "no figure from:$missing"

# The JSON holds every figure, and nothing after them.
n=$(grep -c '"group":' "$out/bench.json" 2>/dev/null)
last=$(grep -v '^[[:space:]]*$' "$out/bench.json" 2>/dev/null | tail -n 1)
result $([ "$n" = "$figures" ] && [ "$last" = "]" ] && echo 1 || echo 0) json \
	"bench.json: $n figures (the table has $figures), last line '$last'"

bad=
for g in $groups; do
	[ -s "$out/$g.png" ] || bad+=" $g"
done
result $([ -z "$bad" ] && echo 1 || echo 0) plots "no plot for:$bad"
