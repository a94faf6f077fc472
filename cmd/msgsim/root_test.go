package main

import (
	"path/filepath"
	"runtime"
	"testing"
)

func TestDefaultOutDir(t *testing.T) {
	t.Parallel()
	for source, want := range map[string]string{
		"embedded:laiwang_vs_wechat.yaml": filepath.Join("out", "laiwang_vs_wechat"),
		"scenarios/communities.yaml":      filepath.Join("out", "communities"),
		"sweeps/sensitivity.yaml":         filepath.Join("out", "sensitivity"),
		"../fits/wechat.yml":              filepath.Join("out", "wechat"),
		"plain":                           filepath.Join("out", "plain"),
	} {
		if got := defaultOutDir(source); got != want {
			t.Errorf("defaultOutDir(%q) = %q, want %q", source, got, want)
		}
	}
}

func TestWorkerCount(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]int{0: runtime.GOMAXPROCS(0), 1: 1, maxWorkers: maxWorkers} {
		if got, err := workerCount(n); err != nil || got != want {
			t.Errorf("workerCount(%d) = %d, %v; want %d", n, got, err, want)
		}
	}
}
