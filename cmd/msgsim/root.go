package main

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/output"
)

// IOStreams are the command's standard streams; tests pass buffers.
type IOStreams struct {
	In         io.Reader
	Out        io.Writer
	ErrOut     io.Writer
	IsTerminal bool // stderr is a terminal: show progress bars
}

// interruptedError is a clean stop on Ctrl-C, SIGTERM or SIGHUP: it reads as a sentence
// and matches context.Canceled (exit code 128 + the signal's number).
type interruptedError struct {
	msg string
	err error
}

func (e *interruptedError) Error() string { return e.msg }
func (e *interruptedError) Unwrap() error { return e.err }

// usageError marks errors in how a command was called (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// NewCmdRoot builds the msgsim command tree.
func NewCmdRoot(streams *IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "msgsim",
		Short: "Simulate messenger adoption on contact graphs",
		Long: `msgsim simulates which messengers people use: agents on a contact graph choose
platforms by network benefit, appeal, switching and multi-homing costs, marketing
and preinstall deals. Scenarios are YAML files; see 'msgsim scenarios'.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{msg: err.Error()} })
	root.AddCommand(NewCmdRun(streams, nil), NewCmdValidate(streams), NewCmdScenarios(streams), NewCmdBench(streams, nil), NewCmdSweep(streams, nil), NewCmdCalibrate(streams, nil), NewCmdCompare(streams, nil), NewCmdVersion(streams), NewCmdSchema(streams, nil), NewCmdExplore(streams, nil))
	addCompletions(root)
	return root
}

// rangeArgs is cobra.RangeArgs with a usage error.
func rangeArgs(lo, hi int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) >= lo && len(args) <= hi {
			return nil
		}
		var want string
		switch {
		case hi == 0:
			want = "takes no arguments"
		case hi > 1000:
			want = "needs at least " + plural(lo, "argument")
		case lo == hi:
			want = "takes " + plural(lo, "argument")
		default:
			want = fmt.Sprintf("takes %d to %d arguments", lo, hi)
		}
		return &usageError{msg: fmt.Sprintf("%s %s, got %d (see %s --help)", cmd.Name(), want, len(args), cmd.CommandPath())}
	}
}

// maxWorkers bounds --workers: every worker holds buffers and a goroutine, and far more
// workers than cores only add memory, so a typo such as 10000000000 must not be obeyed.
const maxWorkers = 4096

// workerCount is every command's reading of --workers: checked, and 0 meaning all cores.
func workerCount(n int) (int, error) {
	switch {
	case n < 0 || n > maxWorkers:
		return 0, &usageError{msg: fmt.Sprintf("--workers must be in [0, %d] (0 = all cores), got %d", maxWorkers, n)}
	case n == 0:
		return runtime.GOMAXPROCS(0), nil
	}
	return n, nil
}

// defaultOutDir is where a command writes without -o: out/ and the base name of the file it
// reads (a scenario, a sweep or a fit file; a shipped scenario by its name).
func defaultOutDir(source string) string {
	base := filepath.Base(strings.TrimPrefix(source, "embedded:"))
	return filepath.Join("out", strings.TrimSuffix(base, filepath.Ext(base)))
}

// stageResults opens dir for results written at once (run, calibrate) and stages them: they
// move into place on Commit, replacing earlier results only with force.
func stageResults(dir string, force bool) (*output.Staging, error) {
	results, err := output.OpenResultDir(dir, output.DirOptions{Force: force})
	if err != nil {
		return nil, err
	}
	return results.Stage()
}
