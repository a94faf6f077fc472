// Command readmegen reruns the commands behind README.md's figures and rewrites the marked
// blocks (<!-- begin: NAME --> ... <!-- end -->) with what they print, so README cannot drift
// from the code. Run it from anywhere in the repository:
//
//	go run ./internal/tools/readmegen          # README.md's figures (a minute or two)
//	go run ./internal/tools/readmegen -plots   # also the charts in docs/ (adds the Sobol sweep)
//	go run ./internal/tools/readmegen -check   # rewrite nothing; fail if README would change
//	go run ./internal/tools/readmegen -speed   # also rerun the speed table's benchmarks (minutes, 14 GiB)
//
// The speed table holds timings, which no two runs repeat: only -speed rewrites it, on a quiet
// machine, and -check leaves it as it is.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/msgsim/msgsim/internal/readme"
	"github.com/msgsim/msgsim/scenarios"
)

func main() {
	plots := flag.Bool("plots", false, "also copy the charts the commands draw into docs/ (and run the Sobol sweep for its chart)")
	check := flag.Bool("check", false, "write nothing; exit 1 if README.md's figures differ from the commands' output")
	speed := flag.Bool("speed", false, "also rerun the benchmarks behind the speed table (minutes of the whole machine; 14 GiB)")
	flag.Parse()
	if *speed && *check {
		fmt.Fprintln(os.Stderr, "readmegen: -speed rewrites the timings, which -check cannot compare: give one of them")
		os.Exit(2)
	}
	if err := run(*plots, *check, *speed); err != nil {
		fmt.Fprintln(os.Stderr, "readmegen:", err)
		os.Exit(1)
	}
}

func run(plots, check, speed bool) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	path := filepath.Join(root, "README.md")
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	blocks, err := readme.Blocks(string(old))
	if err != nil {
		return fmt.Errorf("README.md: %w", err) // before minutes of commands
	}
	scratch, err := os.MkdirTemp("", "readmegen-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	bin := filepath.Join(scratch, "msgsim")
	if _, err := command(root, "go", "build", "-o", bin, "./cmd/msgsim"); err != nil {
		return err
	}
	msgsim := func(args ...string) (string, error) { return command(root, bin, args...) }
	out := func(name string) string { return filepath.Join(scratch, name) }

	values := map[string]string{}
	add := func(m map[string]string, err error) error {
		maps.Copy(values, m)
		return err
	}

	if _, err := msgsim(append(strings.Fields(readme.RunCommand)[1:], "-o", out("run"), "--quiet")...); err != nil {
		return err
	}
	summary, err := os.ReadFile(filepath.Join(out("run"), "summary.json"))
	if err != nil {
		return err
	}
	if err := add(readme.RecordTable(summary)); err != nil {
		return err
	}
	sc, err := scenarios.Load(filepath.Join(root, readme.DuelScenario), nil)
	if err != nil {
		return err
	}

	cost, err := readme.WeChatSwitchingCost(sc)
	if err != nil {
		return err
	}
	stdout, err := msgsim(append(strings.Fields(readme.HeatmapCommand)[1:], "-o", out("heatmap"))...)
	if err != nil {
		return err
	}
	if err := add(readme.Tipping(stdout, cost)); err != nil {
		return err
	}

	stdout, err = msgsim(strings.Fields(readme.SensitivityCommand)[1:]...)
	if err != nil {
		return err
	}
	if err := add(readme.SensitivityRuns(stdout)); err != nil {
		return err
	}

	if _, err := msgsim(append(strings.Fields(readme.LeversCommand)[1:], "-o", out("levers"), "--quiet")...); err != nil {
		return err
	}
	levers, err := os.ReadFile(filepath.Join(out("levers"), "summary.md"))
	if err != nil {
		return err
	}
	if err := add(readme.LeversTable(levers)); err != nil {
		return err
	}

	if _, err := msgsim(append(strings.Fields(readme.FitCommand)[1:], "-o", out("fit"), "--quiet")...); err != nil {
		return err
	}
	fitJSON, err := os.ReadFile(filepath.Join(out("fit"), "fit.json"))
	if err != nil {
		return err
	}
	if err := add(readme.FitFigures(fitJSON)); err != nil {
		return err
	}

	base, counterfactual := out(readme.CompareBaseline), out(readme.CompareCounterfactual)
	if _, err := msgsim("run", "-o", base, "--quiet"); err != nil {
		return err
	}
	if _, err := msgsim("run", "--set", readme.CompareSet, "-o", counterfactual, "--quiet"); err != nil {
		return err
	}
	if stdout, err = msgsim("compare", base, counterfactual, "-o", out("compare")); err != nil {
		return err
	}
	if err := add(readme.CompareTable(stdout)); err != nil {
		return err
	}

	if err := add(analysisFigures(msgsim, out)); err != nil {
		return err
	}
	if speed {
		if err := add(speedTable(root, msgsim)); err != nil {
			return err
		}
	} else {
		for _, b := range blocks {
			if b.Name == readme.SpeedBlock {
				values[b.Name] = b.Content
			}
		}
	}

	text, err := readme.Replace(string(old), values)
	if err != nil {
		return fmt.Errorf("README.md: %w", err)
	}
	switch {
	case text == string(old):
		fmt.Println("README.md: figures unchanged")
	case check:
		return errors.New("README.md's figures differ from the commands' output; run go run ./internal/tools/readmegen")
	default:
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return err
		}
		fmt.Println("README.md: figures rewritten; review with git diff README.md")
	}
	if plots && !check {
		return copyPlots(root, scratch, msgsim)
	}
	return nil
}

// speedTable runs the benchmarks behind README's speed table, one at a time so that none
// times another's load.
func speedTable(root string, msgsim func(...string) (string, error)) (map[string]string, error) {
	outputs := map[string]string{}
	for _, r := range readme.SpeedRuns {
		var out string
		var err error
		if r.Args[0] == "msgsim" {
			out, err = msgsim(append(r.Args[1:], "--json")...)
		} else {
			out, err = command(root, r.Args[0], r.Args[1:]...)
		}
		if err != nil {
			return nil, err
		}
		outputs[r.Name] = out
	}
	return readme.SpeedTable(outputs)
}

// copyPlots puts the charts of the commands above, and of two more, where README shows them.
func copyPlots(root, scratch string, msgsim func(...string) (string, error)) error {
	if _, err := msgsim("run", "bass_meanfield", "-o", filepath.Join(scratch, "bass"), "--quiet"); err != nil {
		return err
	}
	if _, err := msgsim("sweep", "sweeps/sensitivity.yaml", "-o", filepath.Join(scratch, "sensitivity"), "--quiet"); err != nil {
		return err
	}
	for from, to := range map[string]string{
		"run/adoption.png":             "laiwang_vs_wechat_adoption.png",
		"run/registered.png":           "laiwang_vs_wechat_registered.png",
		"run/share.png":                "laiwang_vs_wechat_share.png",
		"run/windowed.png":             "laiwang_vs_wechat_windowed.png",
		"bass/adoption.png":            "bass_meanfield_adoption.png",
		"heatmap/heatmap.png":          "sweep_heatmap.png",
		"sensitivity/sensitivity.png":  "sweep_sensitivity.png",
		"levers/sensitivity.png":       "story_levers.png",
		"fit/fit.png":                  "story_fit.png",
		"compare/adoption_laiwang.png": "compare_laiwang_adoption.png",
		"twin0/adoption.png":           "networks_vs_meanfield_adoption.png",
		"discovery/trajectory.png":     "discover_laiwang_wins.png",
	} {
		if err := copyFile(filepath.Join(scratch, from), filepath.Join(root, "docs", to)); err != nil {
			return err
		}
	}
	fmt.Println("docs/*.png: rewritten")
	return nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("copy %s to %s: %w", from, to, err)
	}
	return dst.Close()
}

// command runs name in dir, echoing the command line, and returns its standard output.
func command(dir, name string, args ...string) (string, error) {
	fmt.Fprintf(os.Stderr, "$ %s %s\n", filepath.Base(name), strings.Join(args, " "))
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", filepath.Base(name), strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}

// repoRoot is the directory of go.mod, from the working directory up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory: run readmegen inside the msgsim repository")
		}
		dir = parent
	}
}
