// Command msgsim simulates messenger adoption on contact graphs. Its commands: run (a
// scenario's replicates, with plots, series and summary), sweep (a designed set of parameter
// points, resumable), calibrate (fit parameters to observed figures), validate (scenario,
// sweep and fit files), scenarios (the shipped ones), bench (time steps on a synthetic
// market), explore (a scenario in the browser, live) and version. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/term"

	"github.com/msgsim/msgsim/internal/strict"
)

func main() {
	os.Exit(runMain(os.Args[1:]))
}

// runMain runs msgsim with args on the process's streams, and returns the exit code.
func runMain(args []string) int {
	ctx, stop := interruptContext(context.Background())
	defer stop()
	streams := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, IsTerminal: term.IsTerminal(int(os.Stderr.Fd()))}
	return execute(ctx, streams, args)
}

// interruptSignals stop a command cleanly: Ctrl-C; SIGTERM, which Slurm, timeout and docker
// stop send; and SIGHUP, when the terminal goes away. A run writes nothing, a sweep keeps its
// finished runs for --resume.
var interruptSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// signalCause is why a context was cancelled: a signal arrived.
type signalCause struct{ signal syscall.Signal }

func (c signalCause) Error() string { return c.signal.String() + " signal received" }

// interruptContext is cancelled, with a signalCause, when one of interruptSignals arrives.
func interruptContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, interruptSignals...)
	go func() {
		select {
		case sig := <-signals:
			cancel(signalCause{sig.(syscall.Signal)})
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(signals)
		cancel(context.Canceled)
	}
}

// execute runs the command line and returns the exit code: 0 ok, 1 error, 2 usage error,
// 128 + the signal's number when interrupted (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).
func execute(ctx context.Context, streams *IOStreams, args []string) int {
	root := NewCmdRoot(streams)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	printError(streams, err)
	switch {
	case errors.Is(err, context.Canceled):
		var sig signalCause
		if errors.As(context.Cause(ctx), &sig) {
			return 128 + int(sig.signal)
		}
		return 130
	case errors.As(err, new(*usageError)), strings.HasPrefix(err.Error(), "unknown command"):
		return 2
	}
	return 1
}

// printError prints err, with a caret under the offending text for scenario errors.
func printError(streams *IOStreams, err error) {
	var list strict.Errors
	var one *strict.FieldError
	switch {
	case errors.As(err, &list):
		for _, e := range list {
			printFieldError(streams, e)
		}
		if len(list) > 1 {
			fmt.Fprintf(streams.ErrOut, "%d problems\n", len(list))
		}
	case errors.As(err, &one):
		printFieldError(streams, one)
	default:
		fmt.Fprintf(streams.ErrOut, "error: %s\n", strict.Printable(err.Error()))
	}
}

// printFieldError prints one located error. Messages and snippets can quote anything a file
// or an argument holds, so control characters are escaped rather than sent to the terminal.
func printFieldError(streams *IOStreams, e *strict.FieldError) {
	fmt.Fprintf(streams.ErrOut, "error: %s\n", strict.Printable(e.Error()))
	if s := e.Snippet(); s != "" {
		fmt.Fprintln(streams.ErrOut, strict.Printable(s))
	}
}
