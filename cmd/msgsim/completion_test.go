package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/scenarios"
)

// complete runs `msgsim __complete ARGS...`, as the shell scripts do, and returns the
// completions and the directive line.
func complete(t *testing.T, args ...string) ([]string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := execute(context.Background(), &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, append([]string{"__complete"}, args...)); code != 0 {
		t.Fatalf("__complete %v: exit %d, %s", args, code, errOut.String())
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	return lines[:len(lines)-1], lines[len(lines)-1]
}

func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(mine, []byte("platforms:\n  zeta: {}\ninterventions:\n  - {kind: seed, platform: zeta, count: 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		args      []string
		want      []string // exactly these, in this order
		contains  []string // at least these
		excludes  []string
		directive string
	}{
		{name: "scenario names", args: []string{"run", "lai"}, want: []string{"laiwang_vs_wechat"}, directive: ":4"},
		{name: "files when no name matches", args: []string{"run", "testdata/sm"}, want: nil, directive: ":0"},
		{name: "one scenario only", args: []string{"run", "communities", ""}, want: nil, directive: ":4"},
		{name: "scenarios NAME", args: []string{"scenarios", ""}, want: scenarios.ShippedNames(), directive: ":4"},
		{name: "set paths of the named scenario", args: []string{"run", "communities", "--set", "platforms.ent"},
			contains: []string{"platforms.entrant.appeal=", "platforms.entrant.launch="}, excludes: []string{"platforms.incumbent.appeal="}, directive: ":6"},
		{name: "set paths of a file", args: []string{"validate", mine, "--set", "p"},
			contains: []string{"platforms.zeta.churn=", "platforms.zeta.q="}, excludes: []string{"platforms.wechat.q="}, directive: ":6"},
		{name: "set paths of the default", args: []string{"run", "--set", "platforms.wechat.ap"}, want: []string{"platforms.wechat.appeal="}, directive: ":6"},
		{name: "set paths, list items", args: []string{"validate", mine, "--set", "interventions.0.sh"}, want: []string{"interventions.0.share="}, directive: ":6"},
		{name: "set words", args: []string{"run", "--set", "decision.rule="}, want: []string{"decision.rule=logit", "decision.rule=threshold", "decision.rule=bass"}, directive: ":4"},
		{name: "set paths, file-only section", args: []string{"run", "--set", "charts."}, want: []string{"charts.log_scale="}, directive: ":6"},
		{name: "set yes or no", args: []string{"run", "--set", "charts.log_scale="}, want: []string{"charts.log_scale=false", "charts.log_scale=true"}, directive: ":4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, directive := complete(t, tc.args...)
			if directive != tc.directive {
				t.Errorf("directive %s, want %s", directive, tc.directive)
			}
			if tc.contains == nil && !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			for _, w := range tc.contains {
				if !slices.Contains(got, w) {
					t.Errorf("%q missing from %q", w, got)
				}
			}
			for _, w := range tc.excludes {
				if slices.Contains(got, w) {
					t.Errorf("%q should not be offered: %q", w, got)
				}
			}
		})
	}
}

func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		var out, errOut bytes.Buffer
		if code := execute(context.Background(), &IOStreams{Out: &out, ErrOut: &errOut}, []string{"completion", shell}); code != 0 {
			t.Fatalf("completion %s: exit %d, %s", shell, code, errOut.String())
		}
		if !strings.Contains(out.String(), "__complete") {
			t.Errorf("completion %s: no script calling __complete:\n%.300s", shell, out.String())
		}
	}
}

func TestSchemaCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := execute(context.Background(), &IOStreams{Out: &out, ErrOut: &errOut}, []string{"schema"}); code != 0 {
		t.Fatalf("schema: exit %d, %s", code, errOut.String())
	}
	want, err := scenarios.JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Error("msgsim schema does not print scenarios.JSONSchema")
	}
	var doc map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("not a draft 2020-12 JSON Schema (%v): %.200s", err, out.String())
	}
}
