package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/internal/explore"
	"github.com/msgsim/msgsim/output/chart"
	"github.com/msgsim/msgsim/scenarios"
)

// ExploreOptions are `msgsim explore`'s inputs.
type ExploreOptions struct {
	Streams  *IOStreams
	Scenario string // path or shipped name; "" = the default
	Addr     string
	Open     bool
	Workers  int
	// MemoryLimit is the bytes a run may use; 0 = the smallest limit in force (as msgsim run).
	MemoryLimit float64
	// Ready, if set, is called with the server's URL once it listens (tests).
	Ready func(url string)
}

// defaultExploreAddr is loopback only: the page runs simulations for whoever reaches it.
const defaultExploreAddr = "127.0.0.1:8642"

// NewCmdExplore builds `msgsim explore`. runF replaces the server in tests of flag parsing.
func NewCmdExplore(streams *IOStreams, runF func(context.Context, *ExploreOptions) error) *cobra.Command {
	opts := &ExploreOptions{Streams: streams}
	cmd := &cobra.Command{
		Use:   "explore [SCENARIO]",
		Short: "Explore a scenario in the browser: controls, live curves, baselines",
		Long: `Serve a local web page for a scenario (a file or a shipped name; with no argument, the
default laiwang_vs_wechat): a control for every field, runs whose curves are drawn step by
step as they are simulated, then the 5-95% band across replicates; a run pinned as the
baseline with later runs drawn over it and their differences listed; downloads of the
scenario YAML (msgsim run on it gives the series shown), the series CSV and the charts.
It listens on 127.0.0.1 unless told otherwise and stops with Ctrl-C.`,
		Example: `  msgsim explore
  msgsim explore scenarios/communities.yaml --open
  msgsim explore laiwang_vs_wechat --addr 127.0.0.1:9000`,
		Args: rangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Scenario = args[0]
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runExplore(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Addr, "addr", defaultExploreAddr, "`host:port` to listen on (port 0 picks a free one)")
	f.BoolVar(&opts.Open, "open", false, "open the page in the default browser")
	f.IntVar(&opts.Workers, "workers", 0, fmt.Sprintf("goroutines per run, at most %d (default: all cores)", maxWorkers))
	return cmd
}

func runExplore(ctx context.Context, opts *ExploreOptions) error {
	workers, err := workerCount(opts.Workers)
	if err != nil {
		return err
	}
	name, dir := opts.Scenario, ""
	if name == "" {
		name = scenarios.DefaultName
	}
	base, err := scenarios.LoadBase(name)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(base.Name(), "embedded:") {
		dir = filepath.Dir(base.Name())
	}
	// The scenario as written must load: a page of controls for a broken file helps nobody.
	if _, err := base.With(nil); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("explore: %w", err)
	}
	srv, err := explore.New(explore.Options{
		Base: base, Dir: dir, Addr: ln.Addr().String(), Workers: workers,
		Check:  func(sc *scenarios.Scenario) error { return checkMemory(sc, workers, opts.MemoryLimit, false) },
		Record: exploreRecord,
	})
	if err != nil {
		ln.Close()
		return err
	}
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(opts.Streams.Out, "msgsim explore: %s on %s (Ctrl-C stops)\n", base.Name(), url)
	if opts.Ready != nil {
		opts.Ready(url)
	}
	if opts.Open {
		if err := openBrowser(url); err != nil {
			fmt.Fprintf(opts.Streams.ErrOut, "could not open a browser (%v): open %s yourself\n", err, url)
		}
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("explore: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Close() // ends the runs, and with them their streams
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("explore: %w", err)
	}
	return nil
}

// exploreRecord is the scenario's record as the page draws it: the figures msgsim run draws
// on its adoption and registered charts, in the same unit.
func exploreRecord(sc *scenarios.Scenario) []explore.RecordPoint {
	u := chart.PeopleUnit(sc.File.Scale, sc.Config.Agents)
	var out []explore.RecordPoint
	for _, chartOf := range []struct {
		measure string
		series  []string
	}{{"active", []string{"active", "windowed_active"}}, {"registered", []string{"registered"}}} {
		for _, set := range recordPoints(sc, u, chartOf.series...) {
			for i := range set.X {
				out = append(out, explore.RecordPoint{Platform: set.Name, Measure: chartOf.measure, Step: set.X[i], Value: set.Y[i], Label: set.Label})
			}
		}
	}
	return out
}

// openBrowser opens url with the desktop's opener.
func openBrowser(url string) error {
	opener := map[string][]string{"darwin": {"open"}, "windows": {"rundll32", "url.dll,FileProtocolHandler"}}[runtime.GOOS]
	if opener == nil {
		opener = []string{"xdg-open"}
	}
	cmd := exec.Command(opener[0], append(opener[1:], url)...)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }() // the opener exits at once; reap it
	return nil
}
