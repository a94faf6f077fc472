package sweep

import (
	"context"
	"testing"

	"github.com/msgsim/msgsim/output"
)

// openDir opens dir as `msgsim sweep` does; it is released when the test ends.
func openDir(t testing.TB, dir string, opts output.DirOptions) *output.ResultDir {
	t.Helper()
	opts.Resumable = true
	d, err := output.OpenResultDir(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// sweepInto runs plan into dir, opened as `msgsim sweep` opens it, and releases dir.
func sweepInto(ctx context.Context, plan *Plan, dir string, dirOpts output.DirOptions, opts Options) (*Result, error) {
	dirOpts.Resumable = true
	d, err := output.OpenResultDir(dir, dirOpts)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	opts.Dir = d
	return Run(ctx, plan, opts)
}
