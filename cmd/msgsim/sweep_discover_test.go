package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/internal/golden"
	"github.com/msgsim/msgsim/internal/sweep"
)

// TestSweepDiscover runs the shipped sweep sweeps/laiwang_wins.yaml once and discovers in it.
func TestSweepDiscover(t *testing.T) {
	t.Parallel()
	sweepDir := filepath.Join(t.TempDir(), "laiwang_wins")
	if _, stderr, code := runCLI(t, "sweep", "../../sweeps/laiwang_wins.yaml", "-o", sweepDir, "-q"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	t.Run("golden", func(t *testing.T) { testDiscoverGolden(t, sweepDir) })
	t.Run("errors", func(t *testing.T) { testDiscoverErrors(t, sweepDir) })
}

// The shipped "when does Laiwang win?" sweep gives a box of high preinstall share and appeal;
// discovery.md is golden, and the chart is written beside it.
func testDiscoverGolden(t *testing.T, sweepDir string) {
	out := filepath.Join(t.TempDir(), "discovery")
	stdout, stderr, code := runCLI(t, "sweep", "discover", sweepDir, "--where", "final_share.laiwang > 0.5", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden.Check(t, "testdata/laiwang_wins.discovery.md.golden", readFile(t, filepath.Join(out, "discovery.md")))
	if want := "final_share.laiwang > 0.5 holds in "; !strings.HasPrefix(stdout, want) || !strings.Contains(stdout, "results in "+out+" (see discovery.md)") {
		t.Errorf("stdout: %s", stdout)
	}
	for _, f := range []string{"trajectory.png", "trajectory.svg"} {
		if info, err := os.Stat(filepath.Join(out, f)); err != nil || info.Size() == 0 {
			t.Errorf("%s missing or empty", f)
		}
	}
	// --box picks a box of the trajectory by index, and the winner can be the condition.
	out2 := filepath.Join(t.TempDir(), "box")
	if _, stderr, code := runCLI(t, "sweep", "discover", sweepDir, "--where", "winner == laiwang", "--box", "1", "-o", out2, "--format", "svg"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	md := string(readFile(t, filepath.Join(out2, "discovery.md")))
	if !strings.Contains(md, "box 1 of the trajectory was chosen by --box") || !strings.Contains(md, "| 1 (chosen) |") || !strings.Contains(md, "(trajectory.svg)") {
		t.Errorf("--box 1: discovery.md is\n%s", md)
	}
	if _, err := os.Stat(filepath.Join(out2, "trajectory.png")); !os.IsNotExist(err) {
		t.Errorf("--format svg wrote trajectory.png")
	}
}

// Bad conditions and directories without a finished sweep are refused with messages that say
// what would do, and nothing is written.
func testDiscoverErrors(t *testing.T, sweepDir string) {
	unfinished := t.TempDir()
	if err := os.WriteFile(filepath.Join(unfinished, "runs.journal"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	out := filepath.Join(t.TempDir(), "out")
	// Every outcome the sweep records, in runs.csv's order (this sweep keeps them all).
	outcomes := strings.Join(sweep.OutcomeNames([]string{"wechat", "laiwang"}, nil, nil)[1:], ", ")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{sweepDir, "--where", "final_share.laiwan > 0.5"}, 2, `error: --where: condition "final_share.laiwan > 0.5": unknown metric "final_share.laiwan" (valid: ` + outcomes + ", winner)\n"},
		{[]string{sweepDir, "--where", "final_share.laiwang = 0.5"}, 2, `error: --where: condition "final_share.laiwang = 0.5": want METRIC OP VALUE with OP one of >= <= == != > < (e.g. "final_share.laiwang > 0.5")` + "\n"},
		{[]string{sweepDir}, 2, `error: sweep discover needs --where, e.g. --where "final_share.laiwang > 0.5"` + "\n"},
		{[]string{sweepDir, "--where", "final_share.laiwang > 2"}, 1, `error: sweep discover ` + sweepDir + ` --where "final_share.laiwang > 2": the condition holds in 0 of the 350 runs: there is nothing to tell apart` + "\n"},
		{[]string{sweepDir, "--where", "final_share.laiwang > 0.5", "--min-coverage", "0"}, 2, "error: --min-coverage must be in (0, 1], got 0\n"},
		{[]string{unfinished, "--where", "final_share.laiwang > 0.5"}, 1, "error: sweep results " + unfinished + ": the sweep has not finished (runs.journal but no summary.md): finish it with msgsim sweep FILE -o " + unfinished + " --resume\n"},
		{[]string{empty, "--where", "final_share.laiwang > 0.5"}, 1, "error: sweep results " + empty + ": no finished sweep here (no summary.md): give the directory msgsim sweep wrote\n"},
		{[]string{filepath.Join(empty, "nope"), "--where", "final_share.laiwang > 0.5"}, 1, "error: sweep results " + filepath.Join(empty, "nope") + ": no such directory\n"},
	} {
		_, stderr, code := runCLI(t, append([]string{"sweep", "discover", "-o", out}, c.args...)...)
		if code != c.code || stderr != c.want {
			t.Errorf("%v: exit %d, stderr\n%s want exit %d,\n%s", c.args, code, stderr, c.code, c.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%v: wrote %s", c.args, out)
		}
	}
}
