package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/model"
)

// portStep is one step as cport.c prints it.
type portStep struct {
	path string // "push" or "recount"
	// per platform j, at [5j..5j+4]: new users, leavers, users, registered, multi-homers
	perPlatform []int64
	adopters    int64
}

// runPort runs the C port on a market file and parses the steps it prints.
func runPort(t *testing.T, bin, market string, rule model.Rule, threads, steps, platforms int) []portStep {
	t.Helper()
	cmd := exec.Command(bin, market, string(rule), strconv.Itoa(threads), "0", strconv.Itoa(steps))
	// Threads that sleep at barriers rather than spin: a loaded machine runs this test in
	// seconds, not tens of them.
	cmd.Env = append(os.Environ(), "OMP_WAIT_POLICY=passive")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cport %s %d threads: %v", rule, threads, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != steps+1 || !strings.HasPrefix(lines[steps], "median_ms ") {
		t.Fatalf("cport printed %d lines, want %d steps and the median line:\n%s", len(lines), steps, out)
	}
	var parsed []portStep
	for k, line := range lines[:steps] {
		fields := strings.Fields(line)
		if len(fields) != 2+5*platforms+2 || fields[0] != strconv.Itoa(k+1) {
			t.Fatalf("cport step line %q: want the step %d, the path, 5 counts per platform, adopters and ms", line, k+1)
		}
		step := portStep{path: fields[1]}
		for _, f := range fields[2 : len(fields)-1] {
			x, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				t.Fatalf("cport step line %q: %v", line, err)
			}
			step.perPlatform = append(step.perPlatform, x)
		}
		step.adopters = step.perPlatform[5*platforms]
		step.perPlatform = step.perPlatform[:5*platforms]
		parsed = append(parsed, step)
	}
	return parsed
}

// goStep is step t of the Go engine's series in the C port's layout.
func goStep(s *model.Series, t int) (perPlatform []int64, adopters int64) {
	for j := range s.Platforms {
		at := s.At(t, j)
		perPlatform = append(perPlatform, s.NewUsers[at], s.Leavers[at], s.Users[at], s.Registered[at], s.MultiHomers[at])
	}
	return perPlatform, s.Adopters[t]
}

// TestPortMovesTheSameAgents: the C port and the Go engine, on the same graph and seed, give
// the same new users, leavers, users, registered agents, multi-homers and adopters at every
// step, under both rules, on 1 and 2 threads (3 blocks of agents, so 2 threads split the
// decisions and the push). It checks the port is the same algorithm, so that timing one
// against the other measures the code, and it cross-checks the Go engine. The port is built
// twice, reading the number of platforms from the market and with it fixed at 2 (PLATFORMS).
// Each market must take both ways of updating the counts (a push and a full recount) at some
// step. It fails without gcc: .ci/run installs it.
func TestPortMovesTheSameAgents(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Fatalf("the C port needs gcc (.ci/run installs it): %v", err)
	}
	dir := t.TempDir()
	// The port as the Go engine has it (the platform count read from the market) and with
	// two platforms fixed at compile time.
	ports := map[string]string{}
	for _, platforms := range []int{0, 2} {
		bin := filepath.Join(dir, fmt.Sprintf("cport%d", platforms))
		warnings, err := build(bin, false, platforms)
		if err != nil {
			t.Fatal(err)
		}
		if len(warnings) > 0 {
			t.Errorf("gcc -Wall -Wextra warns on cport.c (PLATFORMS %d):\n%s", platforms, warnings)
		}
		ports[fmt.Sprintf("platforms=%d", platforms)] = bin
	}
	const agents, steps, seed = 20_000, 60, 11
	markets := map[string]func(model.Rule) *model.Config{
		"benchmark": func(rule model.Rule) *model.Config { return model.BenchmarkConfig(agents, 10, rule, steps) },
		// The paths the benchmark market never takes: churn, a late launch, partial revision.
		"churn, late launch, revision": func(rule model.Rule) *model.Config {
			cfg := model.BenchmarkConfig(agents, 10, rule, steps)
			cfg.Platforms[0].Churn = 0.02
			cfg.Platforms[1].Launch = 5
			cfg.Decision.RevisionRate = 0.7
			return cfg
		},
	}
	for name, config := range markets {
		market := filepath.Join(dir, strings.ReplaceAll(name, " ", "")+".bin")
		if err := dump(market, config(model.RuleThreshold), seed); err != nil {
			t.Fatal(err)
		}
		for _, rule := range []model.Rule{model.RuleThreshold, model.RuleLogit} {
			cfg := config(rule)
			for _, threads := range []int{1, 2} {
				series, err := model.Run(context.Background(), cfg, model.RunOptions{Seed: seed, Workers: threads})
				if err != nil {
					t.Fatal(err)
				}
				for variant, bin := range ports {
					t.Run(fmt.Sprintf("%s/%s/threads=%d/%s", name, rule, threads, variant), func(t *testing.T) {
						port := runPort(t, bin, market, rule, threads, steps, len(cfg.Platforms))
						paths := map[string]int{}
						for k, step := range port {
							want, adopters := goStep(series, k+1)
							if !slices.Equal(step.perPlatform, want) || step.adopters != adopters {
								t.Fatalf("step %d: C port (new, left, users, registered, multi-homers per platform; adopters) %v %d, Go engine %v %d",
									k+1, step.perPlatform, step.adopters, want, adopters)
							}
							paths[step.path]++
						}
						if paths["push"] == 0 || paths["recount"] == 0 {
							t.Errorf("steps by path %v: the market must take both the push and the recount", paths)
						}
					})
				}
			}
		}
	}
}
