package main

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/internal/memlimit"
	"github.com/msgsim/msgsim/internal/sweep"
)

// SlurmOptions are `msgsim sweep --slurm`'s inputs: the job array's shape and resources.
type SlurmOptions struct {
	Write     bool
	Shards    int    // array tasks; 0: enough for about an hour each (see defaultShards)
	Partition string // "": the cluster's default partition
	Time      string // per task, in Slurm's format; "": estimated (see taskTime)
	Mem       string // per task, in Slurm's format; "": estimated (see taskMemory)
	CPUs      int    // per task: the runs each task makes at once
	// Program and WorkDir are the msgsim the jobs run and the directory they run in: this
	// executable and the current directory unless set (tests set them).
	Program, WorkDir string
}

func addSlurmFlags(cmd *cobra.Command, o *SlurmOptions) {
	f := cmd.Flags()
	f.BoolVar(&o.Write, "slurm", false, "write a Slurm job array script running the sweep's shards, then their merge, and run nothing")
	f.IntVar(&o.Shards, "shards", 0, "with --slurm: array tasks, each a shard (default: enough for about an hour each)")
	f.StringVar(&o.Partition, "partition", "", "with --slurm: the Slurm `partition` (default: the cluster's)")
	f.StringVar(&o.Time, "time", "", "with --slurm: time limit per task, as sbatch reads it (default: estimated from a run measured now, x3)")
	f.StringVar(&o.Mem, "mem", "", "with --slurm: memory per task, as sbatch reads it (default: the sweep's estimate, x1.5 + 100 MiB)")
	f.IntVar(&o.CPUs, "cpus-per-task", 1, "with --slurm: cores per task, each running one run at a time")
}

// slurmOnly are the flags that size the Slurm jobs: meaningless without --slurm.
var slurmOnly = []string{"shards", "partition", "time", "mem", "cpus-per-task"}

// checkSlurmOnly refuses a Slurm flag without --slurm, which would be silently ignored.
func checkSlurmOnly(cmd *cobra.Command, o *SlurmOptions) error {
	if o.Write {
		return nil
	}
	for _, name := range slurmOnly {
		if cmd.Flags().Changed(name) {
			return &usageError{msg: fmt.Sprintf("--%s sizes the jobs of --slurm; add --slurm, or leave it out", name)}
		}
	}
	return nil
}

// Resources of the generated jobs. Estimates err on the generous side: a task that runs out
// of time or memory is lost work (its finished runs are kept, but it must be resubmitted),
// while a generous request only waits a little longer in the queue.
const (
	// timeSafety multiplies the measured time: cluster cores may be slower than this
	// machine's, and points other than the first may cost more.
	timeSafety = 3
	// minTaskTime is the least time asked for a task: the program's start and a queue's
	// granularity make less pointless.
	minTaskTime = 10 * time.Minute
	// taskHour is the time per task the default number of shards aims at.
	taskHour = time.Hour
	// maxArray is the most array tasks --shards defaults to: Slurm's default MaxArraySize
	// is 1001.
	maxArray = 1000
	// memSafety and memExtra pad the memory estimate: the Go runtime, the program and the
	// garbage collector's slack come on top of the model's and the records' bytes.
	memSafety = 1.5
	memExtra  = 100 << 20
	// mergeTime is the merge job's time: reading the journals and drawing the plots, plus
	// a minute per mergeRunsPerMinute runs.
	mergeTime          = 30 * time.Minute
	mergeRunsPerMinute = 100_000
	// goMemFraction of the job's memory is GOMEMLIMIT, so the garbage collector works
	// harder before Slurm's limit is reached and the memory check knows the limit even where
	// Slurm enforces it without a cgroup.
	goMemFraction = 0.9
	// scriptFile is the script's name in the shards' directory.
	scriptFile = "sweep.sbatch"
)

// slurmTime is what --time accepts: Slurm's minutes, minutes:seconds, hours:minutes:seconds,
// days-hours, days-hours:minutes and days-hours:minutes:seconds.
var slurmTime = regexp.MustCompile(`^(\d+-)?\d+(:\d+){0,2}$`)

// slurmMem is what --mem accepts: a whole number, megabytes unless K, M, G or T follows.
var slurmMem = regexp.MustCompile(`^([1-9]\d*)([KMGT]?)$`)

// slurmPlan is the job array's shape and resources, with how they were found.
type slurmPlan struct {
	shards, cpus        int
	time, mem           string
	timeWhy, memWhy     string
	goMemLimit          string
	mergeTime, mergeMem string
	mergeGoMemLimit     string
	dir, shardsDir      string // the merged results, and the shards' directories
}

// writeSlurmScript writes the Slurm script of the sweep into its shards' directory.
func writeSlurmScript(ctx context.Context, opts *SweepOptions, plan *sweep.Plan) error {
	o := &opts.Slurm
	if o.CPUs < 1 || o.CPUs > maxWorkers {
		return &usageError{msg: fmt.Sprintf("--cpus-per-task must be in [1, %d], got %d", maxWorkers, o.CPUs)}
	}
	if o.Shards < 0 {
		return &usageError{msg: fmt.Sprintf("--shards must be at least 1, got %d", o.Shards)}
	}
	if o.Time != "" && !slurmTime.MatchString(o.Time) {
		return &usageError{msg: fmt.Sprintf("--time %q: want minutes, hours:minutes:seconds or days-hours:minutes:seconds, as sbatch reads it", o.Time)}
	}
	if o.Mem != "" && !slurmMem.MatchString(o.Mem) {
		return &usageError{msg: fmt.Sprintf("--mem %q: want a whole number of megabytes, or one followed by K, M, G or T (4000, 4G)", o.Mem)}
	}
	sp, err := planSlurm(ctx, opts, plan)
	if err != nil {
		return err
	}
	program, workDir := o.Program, o.WorkDir
	if program == "" {
		if program, err = os.Executable(); err != nil {
			return fmt.Errorf("--slurm: where is this msgsim? %w", err)
		}
	}
	if workDir == "" {
		if workDir, err = os.Getwd(); err != nil {
			return fmt.Errorf("--slurm: %w", err)
		}
	}
	// The tasks' logs go there: Slurm does not make the directory.
	if err := os.MkdirAll(sp.shardsDir, 0o755); err != nil {
		return fmt.Errorf("--slurm: %w", err)
	}
	path := filepath.Join(sp.shardsDir, scriptFile)
	script := slurmScript(opts, plan, sp, program, workDir, path)
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		return fmt.Errorf("--slurm: %w", err)
	}
	_, err = fmt.Fprintf(opts.Streams.Out, "%s: %s in %s of %s (%s, %s each); results in %s\nsubmit with: sbatch %s\n",
		plan.Sweep.File.Name, plural(plan.Runs(), "run"), plural(sp.shards, "shard"), plural(sweep.Shard{Count: sp.shards}.Runs(plan.Runs()), "run"), sp.time, sp.mem, sp.dir, path)
	return err
}

// planSlurm sizes the job array: the shards, and each task's time and memory, from the
// options or the sweep's estimates.
func planSlurm(ctx context.Context, opts *SweepOptions, plan *sweep.Plan) (slurmPlan, error) {
	o := &opts.Slurm
	sp := slurmPlan{shards: o.Shards, cpus: o.CPUs, time: o.Time, mem: o.Mem}
	sp.dir = cmp.Or(opts.OutDir, defaultOutDir(opts.File))
	sp.shardsDir = sp.dir + ".shards"
	runs := plan.Runs()
	if o.Time == "" || o.Shards == 0 {
		speed, err := opts.measure(ctx, plan, min(o.CPUs, maxProbeWorkers()))
		if err != nil {
			return sp, err
		}
		// One core's rate, then a task's: its cores run runs side by side.
		perCore := speed.RunsPerSecond / float64(speed.Workers)
		taskRate := perCore * float64(o.CPUs)
		if sp.shards == 0 {
			sp.shards = defaultShards(runs, taskRate)
		}
		if sp.time == "" {
			largest := sweep.Shard{Count: sp.shards}.Runs(runs)
			limit := taskTime(largest, taskRate)
			sp.time = slurmDuration(limit)
			sp.timeWhy = fmt.Sprintf("%s at %.3g runs/s per core, x%d, at least %s minutes; measured on this machine: %s", plural(largest, "run"), perCore, timeSafety, strconv.Itoa(int(minTaskTime/time.Minute)), speed)
		}
	}
	if err := plan.CheckShards(sp.shards); err != nil {
		return sp, err
	}
	largest := sweep.Shard{Count: sp.shards}.Runs(runs)
	need, detail, err := sweepMemory(plan, sweep.Shard{Count: sp.shards}, o.CPUs)
	if err != nil {
		return sp, err
	}
	mem := need*memSafety + memExtra
	if sp.mem == "" {
		sp.mem = megabytes(mem)
		sp.memWhy = fmt.Sprintf("%s for %s (%s), x%g + %s", memlimit.BytesString(need), plural(largest, "run"), detail, memSafety, memlimit.BytesString(memExtra))
	} else {
		mem = slurmBytes(sp.mem)
		if mem < need {
			return sp, fmt.Errorf("--mem %s is less than a task needs: about %s (%s); ask for more, or use fewer --cpus-per-task or more --shards", sp.mem, memlimit.BytesString(need), detail)
		}
		sp.memWhy = "as --mem says"
	}
	if sp.timeWhy == "" {
		sp.timeWhy = "as --time says"
	}
	sp.goMemLimit = mebibytes(mem * goMemFraction)
	mergeNeed := mergeMemory(plan)*memSafety + memExtra
	sp.mergeMem, sp.mergeGoMemLimit = megabytes(mergeNeed), mebibytes(mergeNeed*goMemFraction)
	sp.mergeTime = slurmDuration(mergeTime + time.Duration(runs/mergeRunsPerMinute)*time.Minute)
	return sp, nil
}

// maxProbeWorkers is how many runs the measurement makes at once: at most this machine's
// cores, so that a task of more cores than this machine has is measured per core.
func maxProbeWorkers() int {
	n, _ := workerCount(0)
	return n
}

// defaultShards is enough shards for about an hour per task, at most one per run and at
// most maxArray.
func defaultShards(runs int, taskRate float64) int {
	hours := float64(runs) / taskRate / taskHour.Seconds()
	return max(1, min(int(math.Ceil(hours)), runs, maxArray))
}

// taskTime is a task's time limit: its runs at the measured rate, timeSafety times over,
// at least minTaskTime, rounded up to whole minutes.
func taskTime(runs int, taskRate float64) time.Duration {
	need := time.Duration(float64(runs) / taskRate * timeSafety * float64(time.Second))
	return max(minTaskTime, need.Truncate(time.Minute)+time.Minute)
}

// slurmDuration writes d for sbatch: hours:minutes:seconds, or days-hours:minutes:seconds.
func slurmDuration(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	days, s := s/86400, s%86400
	if days > 0 {
		return fmt.Sprintf("%d-%02d:%02d:%02d", days, s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
}

// megabytes writes b for sbatch --mem, rounded up: "150M".
func megabytes(b float64) string { return strconv.FormatInt(int64(math.Ceil(b/(1<<20))), 10) + "M" }

// mebibytes writes b for GOMEMLIMIT, rounded down: "135MiB".
func mebibytes(b float64) string { return strconv.FormatInt(int64(b/(1<<20)), 10) + "MiB" }

// slurmBytes reads a --mem that slurmMem matched: Slurm's units are binary, M the default.
func slurmBytes(mem string) float64 {
	m := slurmMem.FindStringSubmatch(mem)
	n, _ := strconv.ParseFloat(m[1], 64)
	shift := map[string]uint{"K": 10, "": 20, "M": 20, "G": 30, "T": 40}[m[2]]
	return n * float64(uint64(1)<<shift)
}

// mergeMemory is what merging needs: the records of every run, and their tables.
func mergeMemory(plan *sweep.Plan) float64 { return plan.RecordBytes() }

// slurmScript is the job array script: every task runs its shard with --resume; the array's
// lowest task submits the merge job, once per submission (a requeued task finds its mark).
func slurmScript(opts *SweepOptions, plan *sweep.Plan, sp slurmPlan, program, workDir, path string) string {
	name := strings.TrimSuffix(filepath.Base(opts.File), filepath.Ext(opts.File))
	job := shellQuote("msgsim-" + name)
	mergeCommand := fmt.Sprintf("%s sweep merge %s %s/{0..%d} -o %s --force", shellQuote(program), shellQuote(opts.File), shellQuote(sp.shardsDir), sp.shards-1, shellQuote(sp.dir))
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("#!/bin/bash")
	line("# Slurm job array of the sweep %q (%s), written by msgsim sweep --slurm:", plan.Sweep.File.Name, opts.File)
	line("# %s in %s, one array task each. Each task runs its shard with --resume, so that a", plural(plan.Runs(), "run"), plural(sp.shards, "shard"))
	line("# requeued or resubmitted task finishes what it started. The array's lowest task submits")
	line("# the merge job, once per submission; it waits for every task of the array (afterok)")
	line("# and writes the results into %s.", sp.dir)
	line("#")
	line("#   submit:                  sbatch %s", path)
	line("#   resubmit failed shard k: sbatch --array=k %s   (a merge job follows it)", path)
	line("#   merge by hand, in %s: %s", workDir, mergeCommand)
	line("#")
	line("# Per task, time %s: %s.", sp.time, sp.timeWhy)
	line("# Per task, memory %s: %s.", sp.mem, sp.memWhy)
	line("#SBATCH --job-name=%s", job)
	line("#SBATCH --array=0-%d", sp.shards-1)
	line("#SBATCH --cpus-per-task=%d", sp.cpus)
	line("#SBATCH --mem=%s", sp.mem)
	line("#SBATCH --time=%s", sp.time)
	if opts.Slurm.Partition != "" {
		line("#SBATCH --partition=%s", opts.Slurm.Partition)
	}
	line("#SBATCH --chdir=%s", shellQuote(workDir))
	line("#SBATCH --output=%s", shellQuote(sp.shardsDir+"/slurm-%A_%a.out"))
	line("#SBATCH --open-mode=append")
	line("#SBATCH --requeue")
	line("set -euo pipefail")
	line("msgsim=%s", shellQuote(program))
	line("shards=%s", shellQuote(sp.shardsDir))
	line("export GOMEMLIMIT=%s", sp.goMemLimit)
	line(`if [ "$SLURM_ARRAY_TASK_ID" = "$SLURM_ARRAY_TASK_MIN" ] && mkdir "$shards/.merge-$SLURM_ARRAY_JOB_ID" 2>/dev/null; then`)
	partition := ""
	if opts.Slurm.Partition != "" {
		partition = " --partition=" + shellQuote(opts.Slurm.Partition)
	}
	line(`	sbatch --job-name=%s --dependency="afterok:$SLURM_ARRAY_JOB_ID" --kill-on-invalid-dep=yes \`, shellQuote("msgsim-"+name+"-merge"))
	line(`		--cpus-per-task=1 --mem=%s --time=%s%s --output="$shards/slurm-merge-%%j.out" <<'MERGE'`, sp.mergeMem, sp.mergeTime, partition)
	line("#!/bin/bash")
	line("export GOMEMLIMIT=%s", sp.mergeGoMemLimit)
	line("exec %s", mergeCommand)
	line("MERGE")
	line("fi")
	line(`exec "$msgsim" sweep %s --shard "$SLURM_ARRAY_TASK_ID/%d" -o "$shards/$SLURM_ARRAY_TASK_ID" --resume --workers "${SLURM_CPUS_PER_TASK:-1}"`, shellQuote(opts.File), sp.shards)
	return b.String()
}

// shellSafe are the characters a shell word may hold unquoted.
var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:=,+@%-]+$`)

// shellQuote makes s one shell word.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
