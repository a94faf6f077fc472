// Command msgsim simulates messenger adoption on contact graphs: run scenarios, validate
// them, list the shipped ones. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"golang.org/x/term"

	"github.com/msgsim/msgsim/internal/strict"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	streams := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, IsTerminal: term.IsTerminal(int(os.Stderr.Fd()))}
	os.Exit(execute(ctx, streams, os.Args[1:]))
}

// execute runs the command line and returns the exit code: 0 ok, 1 error, 2 usage error,
// 130 interrupted.
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
