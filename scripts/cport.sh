#!/usr/bin/env bash
# msgsim's step against a line-by-line C port of it (internal/tools/cport), side by side on
# the same graph and seed: issue 15's "busy step at most 1.0x the C port". For each number
# of agents given (default 1000000), both rules, 1 and 2 threads, it times
#   busy steps:  steps 1..STEPS (no warm-up), where most agents move;
#   quiet steps: the STEPS steps after 45 warm-up steps, when few move;
# with `msgsim bench` (GOMAXPROCS and --workers set to the thread count) and the C port (as
# many OpenMP threads), ROUNDS alternating runs of each (Go first on odd rounds, last on even
# ones), and prints a markdown table: per cell the median over the runs of each run's median
# step time, the range of those medians, and msgsim's median over the C port's.
# Every run of a round must report the same median share of agents moved, or it stops: the two
# programs run the same market (TestPortMovesTheSameAgents checks they move the same agents).
#
#   scripts/cport.sh                      # 1e6 agents
#   scripts/cport.sh 1000000 10000000     # and 1e7 (about 1.5 GB of market file in TMPDIR)
#
# Environment: ROUNDS (default 5), STEPS (8), DEGREE (10), SEED (1), NATIVE (1: the C port
# compiled with -march=native; 0 for the portable build), FIXED=1 adds the C port with the
# platform count fixed at 2 at compile time (issue 15's third row), KEEP=1 keeps the work directory;
# OMP_WAIT_POLICY reaches the C port (libgomp's default spins at barriers, best on a quiet
# machine; on a loaded one a spinning thread waits for a descheduled one, and passive is fairer).
# Wall-clock times: run it on a quiet machine; the table's header gives the load average.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${ROUNDS:-5}
steps=${STEPS:-8}
degree=${DEGREE:-10}
seed=${SEED:-1}
native=${NATIVE:-1}
fixed=${FIXED:-0}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000)

fail() {
	echo "cport.sh: FAIL: $*" >&2
	exit 1
}
command -v gcc >/dev/null || fail "gcc not found (apt-get install gcc)"

work=$(mktemp -d "${TMPDIR:-/tmp}/cport.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
	echo "cport.sh: keeping $work" >&2
else
	trap 'rm -rf "$work"' EXIT
fi

go build -o "$work/msgsim" ./cmd/msgsim
go build -o "$work/cport-tool" ./internal/tools/cport
native_flag=()
[ "$native" = 1 ] && native_flag=(-native)
"$work/cport-tool" build -out "$work/cport" "${native_flag[@]}"
programs=(go c)
if [ "$fixed" = 1 ]; then
	"$work/cport-tool" build -out "$work/cport2" -platforms 2 "${native_flag[@]}"
	programs+=(c2)
fi

# go_run AGENTS RULE THREADS WARMUP prints "median_ms changed_share" for one msgsim bench run.
go_run() {
	local json
	json=$(GOMAXPROCS=$3 "$work/msgsim" bench --json --agents "$1" --degree "$degree" --seed "$seed" \
		--rule "$2" --workers "$3" --warmup "$4" --steps "$steps")
	awk '/"step_median_seconds"/ { gsub(/[^0-9.eE+-]/, "", $2); ms = $2 * 1000 }
		/"changed_share_median"/ { gsub(/[^0-9.eE+-]/, "", $2); share = $2 }
		END { printf "%.3f %.17g\n", ms, share }' <<<"$json"
}

# c_run BINARY MARKET RULE THREADS WARMUP prints "median_ms changed_share" for one C port run.
c_run() {
	"$1" "$2" "$3" "$4" "$5" "$steps" | awk '/^median_ms / { print $2, $4 }'
}

# summary prints "median (min-max)" of the numbers on stdin.
summary() {
	sort -g | awk '{ x[NR] = $1 } END { printf "%.1f (%.1f-%.1f)", x[int(NR / 2) + 1], x[1], x[NR] }'
}

median() {
	sort -g | awk '{ x[NR] = $1 } END { print x[int(NR / 2) + 1] }'
}

echo "## msgsim step against the C port ($(date -u +'%Y-%m-%d %H:%M UTC'))"
echo
echo "Erdos-Renyi mean degree $degree, seed $seed, $steps timed steps a run, $rounds alternating runs a cell;"
echo "$(go version | cut -d' ' -f3), gcc $(gcc -dumpfullversion) -O2$([ "$native" = 1 ] && echo ' -march=native'), $(nproc) cores, OMP_WAIT_POLICY ${OMP_WAIT_POLICY:-unset};"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
if [ "$fixed" = 1 ]; then
	echo "| agents | rule | threads | steps | msgsim ms | C port ms | msgsim / C | C, 2 platforms fixed, ms | msgsim / fixed |"
	echo "|---|---|---|---|---|---|---|---|---|"
else
	echo "| agents | rule | threads | steps | msgsim ms | C port ms | msgsim / C |"
	echo "|---|---|---|---|---|---|---|"
fi
for agents in "${sizes[@]}"; do
	agents=$(awk -v n="$agents" 'BEGIN { printf "%d", n }')
	market="$work/market-$agents.bin"
	"$work/cport-tool" dump -agents "$agents" -degree "$degree" -seed "$seed" -out "$market"
	for rule in threshold logit; do
		for threads in 1 2; do
			for phase in busy quiet; do
				warmup=0
				[ "$phase" = quiet ] && warmup=45
				for p in "${programs[@]}"; do : >"$work/$p.ms"; done
				for round in $(seq "$rounds"); do
					order=("${programs[@]}")
					[ $((round % 2)) = 0 ] && mapfile -t order < <(printf '%s\n' "${programs[@]}" | tac)
					share=
					for p in "${order[@]}"; do
						case $p in
						go) r=$(go_run "$agents" "$rule" "$threads" "$warmup") ;;
						c) r=$(c_run "$work/cport" "$market" "$rule" "$threads" "$warmup") ;;
						c2) r=$(c_run "$work/cport2" "$market" "$rule" "$threads" "$warmup") ;;
						esac
						[ -n "$r" ] || fail "$p printed no median ($agents agents, $rule, $threads threads)"
						share=${share:-${r#* }}
						awk -v a="$share" -v b="${r#* }" 'BEGIN { d = a - b; exit !(d < 1e-12 && d > -1e-12) }' ||
							fail "$agents agents, $rule, $threads threads, $phase: $p moved a median share ${r#* }, ${order[0]} $share: not the same run"
						echo "${r%% *}" >>"$work/$p.ms"
					done
				done
				row="| $agents | $rule | $threads | $phase | $(summary <"$work/go.ms")"
				for p in "${programs[@]:1}"; do
					ratio=$(awk -v a="$(median <"$work/go.ms")" -v b="$(median <"$work/$p.ms")" 'BEGIN { printf "%.2f", a / b }')
					row+=" | $(summary <"$work/$p.ms") | $ratio"
				done
				echo "$row |"
			done
		done
	done
	rm -f "$market"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
