package sweep

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard is one part of a sweep split to run on several machines (a Slurm job array): the
// sweep's runs are numbered point × replicates + replicate, and run j belongs to shard
// j mod Count. Dealing runs out in turn balances the shards' run counts (they differ by one
// at most) and their cost too, since a grid's expensive points (more agents, more steps)
// sit next to each other and are shared out rather than given to one shard. The zero value
// is the whole sweep.
type Shard struct {
	Index int `json:"index"` // 0 to Count-1, as Slurm numbers array tasks
	Count int `json:"count"`
}

// Whole reports whether the shard is the whole sweep.
func (s Shard) Whole() bool { return s.Count <= 1 }

// String is the shard as --shard reads it: "2/4".
func (s Shard) String() string {
	if s.Whole() {
		return "0/1"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Has reports whether the sweep's run number run belongs to the shard.
func (s Shard) Has(run int) bool { return s.Whole() || run%s.Count == s.Index }

// Runs is how many of a sweep's total runs belong to the shard.
func (s Shard) Runs(total int) int {
	if s.Whole() {
		return total
	}
	return (total - s.Index + s.Count - 1) / s.Count
}

// ParseShard reads --shard's "i/n": shard i of n, counting from 0.
func ParseShard(text string) (Shard, error) {
	i, n, ok := strings.Cut(text, "/")
	index, err1 := strconv.Atoi(i)
	count, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || count < 1 || index < 0 || index >= count {
		return Shard{}, fmt.Errorf("--shard %q: want i/n, shard i of n counting from 0 (0/4, 1/4, 2/4, 3/4)", text)
	}
	return Shard{Index: index, Count: count}, nil
}

// CheckShards refuses to split the plan into more shards than it has runs: a shard without
// runs would be a job that does nothing.
func (p *Plan) CheckShards(count int) error {
	if count > p.Runs() {
		return fmt.Errorf("sweep %s has %d runs, too few for %d shards; use at most %d", p.Sweep.Source, p.Runs(), count, p.Runs())
	}
	return nil
}

// describeRun names run j of the plan: "point 3 replicate 1".
func (p *Plan) describeRun(run int) string {
	return fmt.Sprintf("point %d replicate %d", run/p.Sweep.File.Replicates, run%p.Sweep.File.Replicates)
}
