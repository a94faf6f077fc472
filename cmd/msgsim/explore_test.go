package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestExploreFlags(t *testing.T) {
	t.Parallel()
	var got *ExploreOptions
	cmd := NewCmdExplore(&IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, func(_ context.Context, o *ExploreOptions) error { got = o; return nil })
	cmd.SetArgs([]string{})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Addr != "127.0.0.1:8642" || got.Open || got.Scenario != "" {
		t.Errorf("defaults %+v", got)
	}
	cmd.SetArgs([]string{"s.yaml", "--addr", "127.0.0.1:0", "--open", "--workers", "3"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Addr != "127.0.0.1:0" || !got.Open || got.Scenario != "s.yaml" || got.Workers != 3 {
		t.Errorf("options %+v", got)
	}
}

// startExplore serves the scenario until the test ends and returns the page's URL.
func startExplore(t *testing.T, opts *ExploreOptions) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	opts.Streams = &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	opts.Addr = "127.0.0.1:0"
	opts.Ready = func(url string) { urls <- url }
	go func() { done <- runExplore(ctx, opts) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("explore ended with %v", err)
		}
	})
	select {
	case url := <-urls:
		return url
	case err := <-done:
		done <- nil // for the cleanup, which would otherwise wait for an end that has come
		t.Fatalf("explore: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("explore never listened")
	}
	return ""
}

// The page's runs get msgsim run's memory check, message and all.
func TestExploreChecksMemoryAsRunDoes(t *testing.T) {
	t.Parallel()
	url := startExplore(t, &ExploreOptions{Scenario: "preinstall_duel", MemoryLimit: 8 << 30, Workers: 1})
	resp, err := http.Post(url+"api/runs", "application/json", strings.NewReader(`{"page": "p", "sets": ["agents=2000000000", "graph.m=50"]}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `{"error":"scenario embedded:preinstall_duel needs about 1.5 TiB (2000000000 agents, about 1e+11 contacts, 1 run at once) but only 8.0 GiB is available; lower agents or the mean degree"}`
	if resp.StatusCode != http.StatusBadRequest || strings.TrimSpace(string(body)) != want {
		t.Errorf("got %d %s\nwant 400 %s", resp.StatusCode, body, want)
	}
}

func TestExploreRefusesBrokenScenario(t *testing.T) {
	t.Parallel()
	err := runExplore(context.Background(), &ExploreOptions{Streams: &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, Scenario: "testdata/bad.yaml", Addr: "127.0.0.1:0"})
	if err == nil || !strings.Contains(err.Error(), "testdata/bad.yaml") {
		t.Errorf("got %v, want the scenario's error", err)
	}
	err = runExplore(context.Background(), &ExploreOptions{Streams: &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, Addr: "nonsense"})
	if err == nil || err.Error() != "explore: listen tcp: address nonsense: missing port in address" {
		t.Errorf("got %v", err)
	}
}
