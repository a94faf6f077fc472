package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/scenarios"
)

// Shell completion: cobra's `msgsim completion bash|zsh|fish|powershell` writes the script;
// the functions here supply what it completes for scenarios: shipped scenario names, and
// --set paths (of the scenario named on the line, else the default) with the words of
// enumerated fields. Enumerated flags (--format, --rule) complete themselves (enumFlag).

// addCompletions registers the completion functions on the commands of root that take
// scenarios or --set.
func addCompletions(root *cobra.Command) {
	for _, cmd := range root.Commands() {
		switch cmd.Name() {
		case "run", "explore":
			cmd.ValidArgsFunction = completeScenario(true)
		case "validate":
			cmd.ValidArgsFunction = completeScenario(false)
		case "scenarios":
			cmd.ValidArgsFunction = completeShipped
		}
		if cmd.Flags().Lookup("set") != nil {
			// Only fails for a flag already registered: a programming error.
			if err := cmd.RegisterFlagCompletionFunc("set", completeSet); err != nil {
				panic(err)
			}
		}
	}
}

// completeScenario completes shipped scenario names, and files when none matches; only the
// first argument when the command takes one scenario.
func completeScenario(one bool) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if one && len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		names := withPrefix(scenarios.ShippedNames(), toComplete)
		if len(names) == 0 {
			return nil, cobra.ShellCompDirectiveDefault
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeShipped completes `msgsim scenarios NAME`.
func completeShipped(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return withPrefix(scenarios.ShippedNames(), toComplete), cobra.ShellCompDirectiveNoFileComp
}

// completeSet completes --set: the field paths of the scenario named on the line (the
// default scenario when none is, or it cannot be read) as "path=", then the words of an
// enumerated field after the "=".
func completeSet(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if path, _, ok := strings.Cut(toComplete, "="); ok {
		var out []string
		for _, w := range scenarios.Words(path) {
			out = append(out, path+"="+w)
		}
		return withPrefix(out, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
	name := scenarios.DefaultName
	if len(args) > 0 {
		name = args[0]
	}
	paths, err := scenarioPaths(name)
	if err != nil {
		if paths, err = scenarioPaths(scenarios.DefaultName); err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
	}
	var out []string
	for _, p := range withPrefix(paths, toComplete) {
		out = append(out, p+"=")
	}
	return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
}

// scenarioPaths lists a scenario's field paths, sorted.
func scenarioPaths(name string) ([]string, error) {
	base, err := scenarios.LoadBase(name)
	if err != nil {
		return nil, err
	}
	kinds, err := base.Paths()
	if err != nil {
		return nil, err
	}
	paths := make([]string, 0, len(kinds))
	for p := range kinds {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths, nil
}

// withPrefix keeps the candidates that start with prefix.
func withPrefix(candidates []string, prefix string) []string {
	var out []string
	for _, c := range candidates {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}
