package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/scenarios"
)

// NewCmdScenarios builds `msgsim scenarios [NAME]`: the shipped scenarios, or one's YAML.
func NewCmdScenarios(streams *IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "scenarios [NAME]",
		Short: "List the scenarios built into msgsim, or print one",
		Long: `With no argument, lists the shipped scenarios; 'msgsim run NAME' runs one.
With a NAME, prints its YAML, a starting point for your own:
  msgsim scenarios laiwang_vs_wechat > mine.yaml`,
		Args: rangeArgs(0, 1),
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 1 {
				data, ok := scenarios.ShippedYAML(args[0])
				if !ok {
					return fmt.Errorf("no shipped scenario %q (see msgsim scenarios)", args[0])
				}
				_, err := streams.Out.Write(data)
				return err
			}
			tw := tabwriter.NewWriter(streams.Out, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tDESCRIPTION")
			for _, name := range scenarios.ShippedNames() {
				sc, err := scenarios.Shipped(name, nil)
				if err != nil {
					return fmt.Errorf("shipped scenario %s: %w", name, err)
				}
				mark := ""
				if name == scenarios.DefaultName {
					mark = " (default)"
				}
				fmt.Fprintf(tw, "%s%s\t%s\n", name, mark, sc.File.Description)
			}
			return tw.Flush()
		},
	}
}
