#!/usr/bin/env bash
# A real cluster test of `msgsim sweep --slurm`: a one-node Slurm cluster on this machine
# (Debian's slurm-wlm and munge, installed with apt-get if missing), the generated job
# arrays submitted to it, and the merged results compared byte for byte with the same
# sweeps run on one machine:
#
#   1. sweeps/screening.yaml (morris) in 3 shards: submit, wait for the merge job, compare;
#   2. sweeps/sensitivity.yaml (sobol) in 4 shards: cancel one array task mid-run (scancel),
#      check that the merge job did not run, resubmit that task alone (sbatch --array=k),
#      check that it resumed its shard, wait for its merge job, compare.
#
# Needs root (packages, slurmd) and Go. Everything it starts (a private munged, slurmctld,
# slurmd on ports 16817-16818) lives in a temporary directory and is stopped on exit; set
# KEEP=1 to keep the directory. Exits non-zero with a message on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

say() { echo "slurm-test: $*"; }
fail() {
	echo "slurm-test: FAIL: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || fail "must run as root: it installs slurm-wlm and munge and starts slurmd (CI runs as root)"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
	say "installing slurm-wlm and munge with apt-get"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq || fail "apt-get update failed"
	apt-get install -y -qq slurm-wlm munge >/dev/null || fail "apt-get install slurm-wlm munge failed"
fi
for cmd in slurmctld slurmd sbatch squeue scancel scontrol sinfo munged mungekey go; do
	command -v "$cmd" >/dev/null || fail "$cmd not found after installing slurm-wlm and munge"
done

work=$(mktemp -d /tmp/msgsim-slurm.XXXXXX)
# munged refuses a socket in a directory others cannot enter.
chmod 755 "$work"
mkdir -m 755 "$work/munge" "$work/spool" "$work/state" "$work/out"
export SLURM_CONF=$work/slurm.conf

# stop ends the daemons this script started, by the pids they wrote.
stop() {
	for pidfile in "$work/slurmd.pid" "$work/slurmctld.pid" "$work/munge/munged.pid"; do
		[ -s "$pidfile" ] || continue
		pid=$(cat "$pidfile")
		kill "$pid" 2>/dev/null || continue
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -9 "$pid" 2>/dev/null || true
	done
}
cleanup() {
	status=$?
	if [ "$status" != 0 ]; then
		for log in "$work"/slurmctld.log "$work"/slurmd.log "$work"/out/*.shards/slurm-*.out; do
			[ -f "$log" ] || continue
			echo "--- last lines of $log" >&2
			tail -n 15 "$log" >&2
		done
	fi
	stop
	if [ "${KEEP:-}" = 1 ]; then
		say "kept $work"
	else
		rm -rf "$work"
	fi
	exit "$status"
}
trap cleanup EXIT

say "building msgsim"
go build -o "$work/msgsim" ./cmd/msgsim || fail "go build failed"
msgsim=$work/msgsim

say "starting munged"
mungekey --create --keyfile="$work/munge/munge.key" || fail "mungekey failed"
munged --socket="$work/munge/socket" --key-file="$work/munge/munge.key" --pid-file="$work/munge/munged.pid" \
	--log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed" ||
	fail "munged did not start: $(tail -n 3 "$work/munge/munged.log")"

host=$(hostname -s)
cpus=$(nproc)
# Slurm drains a node that has less memory than slurm.conf says: ask for less than all.
memory=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
cat >"$SLURM_CONF" <<EOF
ClusterName=msgsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

say "starting slurmctld and slurmd on $host ($cpus CPUs, $memory MB)"
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
for _ in $(seq 60); do
	state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
	[ "$state" = idle ] && break
	sleep 0.5
done
[ "$state" = idle ] || fail "the node is '$state', not idle, after 30 s: $(scontrol show node "$host" | grep -i reason || true)"

# wait_queue waits until no job is left whose name starts with $1 (and not the merge job
# when $2 is "tasks"), failing after $3 seconds.
wait_queue() {
	local prefix=$1 which=$2 limit=$3 left
	for _ in $(seq $((limit * 2))); do
		if [ "$which" = tasks ]; then
			left=$(squeue -h -r -o '%i %j' | awk -v p="$prefix" '$2 == p' | wc -l)
		else
			left=$(squeue -h -r -o '%i %j' | awk -v p="$prefix" 'index($2, p) == 1' | wc -l)
		fi
		[ "$left" = 0 ] && return 0
		sleep 0.5
	done
	squeue >&2
	fail "jobs $prefix still queued after $limit s"
}

# merge_job is the id of the merge job that the array task log $1 submitted.
merge_job() {
	sed -n 's/^Submitted batch job \([0-9]*\)$/\1/p' "$1" | tail -n 1
}

# job_state is a job's state as slurmctld remembers it (MinJobAge keeps finished jobs).
job_state() {
	scontrol show job "$1" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'
}

# same_results compares a merged results directory with a one-machine one: every file byte
# for byte, but the journal's order (runs are journalled as they finish).
same_results() {
	local one=$1 merged=$2 name
	[ "$(ls "$one")" = "$(ls "$merged")" ] || fail "$merged holds $(ls "$merged" | tr '\n' ' '), the one-machine run $(ls "$one" | tr '\n' ' ')"
	for name in $(ls "$one"); do
		case $name in
		runs.journal)
			cmp -s <(sort "$one/$name") <(sort "$merged/$name") || fail "$merged/$name holds other runs than the one-machine run's"
			;;
		*)
			cmp "$one/$name" "$merged/$name" >&2 || fail "$merged/$name differs from the one-machine run's"
			;;
		esac
	done
	say "$merged is the one-machine run's, byte for byte ($(ls "$one" | wc -l) files)"
}

# check_merged checks that the array task whose log is $2 submitted a merge job that
# completed, runs sweeps/$1.yaml on one machine, and compares the two results.
check_merged() {
	local name=$1 log=$2 merge
	merge=$(merge_job "$log")
	[ -n "$merge" ] || fail "$log shows no merge job submitted"
	[ "$(job_state "$merge")" = COMPLETED ] || fail "merge job $merge is $(job_state "$merge"): $(cat "$work/out/$name.shards/slurm-merge-$merge.out")"
	"$msgsim" sweep "sweeps/$name.yaml" -o "$work/out/$name.one" -q || fail "the one-machine sweep $name failed"
	same_results "$work/out/$name.one" "$work/out/$name"
}

# Phase 1: submit, merge, compare.
say "screening: 3 shards"
"$msgsim" sweep sweeps/screening.yaml --slurm --shards 3 -o "$work/out/screening" || fail "msgsim sweep --slurm failed"
script=$work/out/screening.shards/sweep.sbatch
grep -q '^#SBATCH --array=0-2$' "$script" || fail "$script has no --array=0-2"
job=$(sbatch --parsable "$script") || fail "sbatch $script failed"
wait_queue msgsim-screening all 600
check_merged screening "$work/out/screening.shards/slurm-${job}_0.out"

# Phase 2: cancel a task mid-run, resubmit it, merge, compare.
say "sensitivity: 4 shards, shard 3 cancelled mid-run and resubmitted"
"$msgsim" sweep sweeps/sensitivity.yaml --slurm --shards 4 -o "$work/out/sensitivity" || fail "msgsim sweep --slurm failed"
script=$work/out/sensitivity.shards/sweep.sbatch
shard=$work/out/sensitivity.shards/3
job=$(sbatch --parsable "$script") || fail "sbatch $script failed"
for _ in $(seq 600); do
	[ -s "$shard/runs.journal" ] && break
	sleep 0.2
done
[ -s "$shard/runs.journal" ] || fail "task ${job}_3 journalled no run in 120 s"
scancel "${job}_3" || fail "scancel ${job}_3 failed"
say "cancelled task ${job}_3 after $(wc -l <"$shard/runs.journal") runs"
wait_queue msgsim-sensitivity tasks 600
sleep 2
merge=$(merge_job "$work/out/sensitivity.shards/slurm-${job}_0.out")
[ -n "$merge" ] || fail "task 0 of job $job submitted no merge job"
state=$(job_state "$merge")
case $state in
COMPLETED | COMPLETING | RUNNING) fail "merge job $merge is $state although task ${job}_3 was cancelled" ;;
PENDING) scancel "$merge" ;; # a Slurm that does not kill jobs whose dependency can never be met
esac
[ ! -e "$work/out/sensitivity/summary.md" ] || fail "a merge ran although task ${job}_3 was cancelled"
done=$(wc -l <"$shard/runs.journal")
[ "$done" -lt 896 ] || fail "task ${job}_3 finished its 896 runs before it was cancelled: nothing to resume"
job2=$(sbatch --parsable --array=3 "$script") || fail "resubmitting shard 3 failed"
wait_queue msgsim-sensitivity all 600
log=$work/out/sensitivity.shards/slurm-${job2}_3.out
grep -Eq "shard 3/4, 896 runs of 3584 runs \(([0-9]+) resumed\)" "$log" || fail "the resubmitted task did not finish its shard: $(cat "$log")"
resumed=$(sed -n 's/.*(\([0-9]*\) resumed).*/\1/p' "$log")
[ "$resumed" -ge "$done" ] || fail "the resubmitted task resumed $resumed runs, fewer than the $done journalled"
check_merged sensitivity "$log"
say "ok"
