package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/scenarios"
)

// NewCmdValidate builds `msgsim validate FILE...`: every file is checked, all problems shown.
func NewCmdValidate(streams *IOStreams) *cobra.Command {
	var overrides []string
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario files without running them",
		Args:  rangeArgs(1, 1<<20),
		RunE: func(_ *cobra.Command, args []string) error {
			if err := checkSets(overrides, args); err != nil {
				return err
			}
			bad := 0
			for _, path := range args {
				sc, err := scenarios.Load(path, overrides)
				if err != nil {
					printError(streams, err)
					bad++
					continue
				}
				fmt.Fprintf(streams.Out, "ok %s (%s: %s, %s, %s)\n%s", path, sc.File.Name, plural(sc.Config.Agents, "agent"), plural(len(sc.Config.Platforms), "platform"), plural(sc.Config.Steps, "step"), edgeListLine(sc))
			}
			if bad > 0 {
				return errors.New(plural(bad, "invalid scenario file"))
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&overrides, "set", nil, "override a field by dotted `path=value` before validating")
	return cmd
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
