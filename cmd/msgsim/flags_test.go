package main

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEnumFlagsParse: enum flags keep their default until used; a list flag's first use
// replaces the default and later uses add to it.
func TestEnumFlagsParse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{nil, allFormats},
		{[]string{"--format", "csv"}, []string{"csv"}},
		{[]string{"--format", "csv,json", "--format", "svg"}, []string{"csv", "json", "svg"}},
	} {
		var got []string
		streams := &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
		cmd := NewCmdRun(streams, func(_ context.Context, o *RunOptions) error { got = o.Formats; return nil })
		cmd.SetArgs(tc.args)
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%v: formats %v, want %v", tc.args, got, tc.want)
		}
	}
	var rule string
	cmd := NewCmdBench(&IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, func(_ context.Context, o *BenchOptions) error { rule = o.Rule; return nil })
	for _, args := range [][]string{nil, {"--rule", "logit"}} {
		cmd.SetArgs(args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]string{true: "threshold", false: "logit"}[args == nil]; rule != want {
			t.Errorf("%v: rule %q, want %q", args, rule, want)
		}
	}
}

// TestEnumFlagsComplete: shell completion offers an enum flag's choices and no file names.
func TestEnumFlagsComplete(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "run", "--format", ""}, "png\nsvg\ncsv\njson\n:4\n"},
		{[]string{"__complete", "sweep", filepath.Join("testdata", "sweep.yaml"), "--format", ""}, "png\nsvg\nparquet\ncsv\n:4\n"},
		{[]string{"__complete", "bench", "--rule", ""}, "logit\nthreshold\nbass\n:4\n"},
	} {
		stdout, _, code := runCLI(t, tc.args...)
		if code != 0 || !strings.HasPrefix(stdout, tc.want) {
			t.Errorf("%v: exit %d, %q; want %q", tc.args, code, stdout, tc.want)
		}
	}
}

// TestEnumFlagsHelp: the help lists each enum flag's choices and its default.
func TestEnumFlagsHelp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--help"}, "--format strings     outputs to write: png, svg, csv, json (default [png,svg,csv,json])\n"},
		{[]string{"bench", "--help"}, "--rule string       decision rule: logit, threshold, bass (default \"threshold\")\n"},
	} {
		stdout, _, code := runCLI(t, tc.args...)
		if code != 0 || !strings.Contains(stdout, tc.want) {
			t.Errorf("%v: exit %d; help lacks %q:\n%s", tc.args, code, tc.want, stdout)
		}
	}
}
