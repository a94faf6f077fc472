// Command cport measures msgsim's synchronous step against cport.c, a line-by-line C port of
// it (issue 15: "busy step at most 1.0x the C port"). The port keeps the Go engine's state
// layout, counter-based draws, decision, push-or-recount rule and partition among threads, so
// the two move the same agents at every step (cport_test.go checks it) and differ only in
// how fast they do it. This command writes a benchmark market for the C program and builds
// it; scripts/cport.sh times both side by side.
//
//	go run ./internal/tools/cport dump -agents 1000000 -degree 10 -seed 1 -out market.bin
//	go run ./internal/tools/cport build -out cport -native [-platforms 2]
//	./cport market.bin threshold 2 0 8   # rule, threads, warm-up steps, timed steps
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/msgsim/msgsim/model"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "cport:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: cport dump|build [flags]")
	}
	flags := flag.NewFlagSet("cport "+args[0], flag.ContinueOnError)
	switch args[0] {
	case "dump":
		agents := flags.Int("agents", 1_000_000, "agents (as msgsim bench --agents)")
		degree := flags.Float64("degree", 10, "mean degree (as msgsim bench --degree)")
		seed := flags.Uint64("seed", 1, "seed (as msgsim bench --seed)")
		out := flags.String("out", "market.bin", "the market file to write")
		if err := flags.Parse(args[1:]); err != nil {
			return err
		}
		return dump(*out, model.BenchmarkConfig(*agents, *degree, model.RuleThreshold, 0), *seed)
	case "build":
		out := flags.String("out", "cport", "the executable to write")
		native := flags.Bool("native", false, "compile for this machine's CPU (-march=native)")
		platforms := flags.Int("platforms", 0, "fix the number of platforms at compile time (0: the market file's)")
		if err := flags.Parse(args[1:]); err != nil {
			return err
		}
		warnings, err := build(*out, *native, *platforms)
		os.Stderr.Write(warnings)
		return err
	default:
		return fmt.Errorf("unknown command %q (want dump or build)", args[0])
	}
}

// dump writes cfg's market with seed to the file out.
func dump(out string, cfg *model.Config, seed uint64) error {
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("dump: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := writeMarket(w, cfg, seed); err != nil {
		f.Close()
		return fmt.Errorf("dump %s: %w", out, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("dump %s: %w", out, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("dump %s: %w", out, err)
	}
	return nil
}
