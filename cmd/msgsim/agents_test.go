package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/msgsim/msgsim/internal/calendar"
)

// agentsScenario is a four-person network from an edge list with its own ids, with a
// calendar so that first steps carry dates.
const agentsScenario = `name: Four people
seed: 2
replicates: 2
steps: 12
start: 2012-01-06
step: week
graph: {kind: file, path: people.txt}
threshold: {distribution: uniform, min: 0, max: 0.3}
platforms:
  talk: {appeal: 0.5, p: 0.2, q: 0.5}
  chat: {launch: 2, appeal: 0.5, p: 0.2, q: 0.5}
`

// agentsEdges names people by word; ann, first seen, is agent 0, and knows everyone.
const agentsEdges = "ann bob\nbob cy\ncy ann\ndee ann\n"

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(readFile(t, path))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestAgentsOutput: run --agents writes one row per replicate and agent, named by the edge
// list's own ids, with each agent's degree, first steps and their dates by the scenario's
// calendar, the same rows in agents.csv and agents.parquet.
func TestAgentsOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, text := range map[string]string{"people.yaml": agentsScenario, "people.txt": agentsEdges} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "out")
	if _, stderr, code := runCLI(t, "run", filepath.Join(dir, "people.yaml"), "-o", out, "--agents", "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := readCSV(t, filepath.Join(out, "agents.csv"))
	header := "replicate,id,degree,threshold,aware_step.talk,aware_date.talk,registered_step.talk,registered_date.talk,used_step.talk,used_date.talk,aware_step.chat,aware_date.chat,registered_step.chat,registered_date.chat,used_step.chat,used_date.chat,platforms"
	if got := strings.Join(rows[0], ","); got != header {
		t.Fatalf("header\n%s\nwant\n%s", got, header)
	}
	if len(rows) != 1+2*4 {
		t.Fatalf("%d rows, want a header and 2 replicates x 4 agents", len(rows))
	}
	cal, err := calendar.New("2012-01-06", calendar.Week)
	if err != nil {
		t.Fatal(err)
	}
	degrees := map[string]string{"ann": "3", "bob": "2", "cy": "2", "dee": "1"}
	for r, row := range rows[1:] {
		if want := []string{strconv.Itoa(r / 4), []string{"ann", "bob", "cy", "dee"}[r%4], degrees[row[1]]}; !slices.Equal(row[:3], want) {
			t.Errorf("row %d starts %v, want %v", r+1, row[:3], want)
		}
		for c := 4; c+1 < len(row)-1; c += 2 {
			step, date := row[c], row[c+1]
			if step == "" {
				if date != "" {
					t.Errorf("row %d: %s has a date %s but no step", r+1, rows[0][c+1], date)
				}
				continue
			}
			k, err := strconv.Atoi(step)
			if err != nil || k < 0 || k > 12 {
				t.Fatalf("row %d: %s = %q", r+1, rows[0][c], step)
			}
			if want := calendar.Format(cal.DateOf(k)); date != want {
				t.Errorf("row %d: %s = %s for step %d, want %s", r+1, rows[0][c+1], date, k, want)
			}
		}
	}
	if used := rows[1][8]; used == "" {
		t.Error("ann never used talk: the run shows nothing")
	}
	b := readFile(t, filepath.Join(out, "agents.parquet"))
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range f.Schema().Fields() {
		names = append(names, c.Name())
	}
	if f.NumRows() != 8 || strings.Join(names, ",") != header {
		t.Errorf("agents.parquet: %d rows, columns %v", f.NumRows(), names)
	}
}

// TestAgentsSameWhateverTheWorkers: agents.csv and agents.parquet are byte-identical on one
// goroutine and on several, replicates side by side or one after another.
func TestAgentsSameWhateverTheWorkers(t *testing.T) {
	t.Parallel()
	var outputs [][2][]byte
	for _, workers := range []string{"1", "2", "7"} {
		dir := filepath.Join(t.TempDir(), "w"+workers)
		if _, stderr, code := runCLI(t, "run", "testdata/small.yaml", "-o", dir, "--format", "csv", "--quiet", "--agents", "--workers", workers, "--replicates", "3"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		outputs = append(outputs, [2][]byte{readFile(t, filepath.Join(dir, "agents.csv")), readFile(t, filepath.Join(dir, "agents.parquet"))})
	}
	for i := 1; i < len(outputs); i++ {
		if !bytes.Equal(outputs[0][0], outputs[i][0]) || !bytes.Equal(outputs[0][1], outputs[i][1]) {
			t.Fatalf("agents tables with different --workers differ")
		}
	}
	if lines := bytes.Count(outputs[0][0], []byte("\n")); lines != 1+3*300 {
		t.Fatalf("agents.csv has %d lines, want a header and 3 x 300 rows", lines)
	}
}

// TestAgentsMemoryChecked: --agents adds every replicate's agent records to run's memory
// check, which then refuses a run that fits without them.
func TestAgentsMemoryChecked(t *testing.T) {
	t.Parallel()
	sets := []string{"agents=1000000", "replicates=64", "graph.m=2"}
	limit := float64(4 << 30)
	run := func(agents bool) error {
		return runRun(context.Background(), &RunOptions{
			Streams: &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, Scenario: "preinstall_duel", Sets: sets,
			MemoryLimit: limit, Workers: 1, DryRun: true, Agents: agents,
		})
	}
	if err := run(false); err != nil {
		t.Fatalf("without --agents: %v", err)
	}
	want := "scenario embedded:preinstall_duel needs about 9.2 GiB (1000000 agents, about 2e+06 contacts, 1 run at once) but only 4.0 GiB is available; lower agents or the mean degree, or fewer replicates with --agents"
	if err := run(true); err == nil || err.Error() != want {
		t.Fatalf("with --agents: %v\nwant %s", err, want)
	}
}
