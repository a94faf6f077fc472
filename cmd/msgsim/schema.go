package main

import (
	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/scenarios"
)

// SchemaOptions are the options of `msgsim schema`.
type SchemaOptions struct {
	Streams *IOStreams
}

// NewCmdSchema builds `msgsim schema`: the JSON Schema of scenario files. runF replaces the
// command in tests of its wiring.
func NewCmdSchema(streams *IOStreams, runF func(*SchemaOptions) error) *cobra.Command {
	opts := &SchemaOptions{Streams: streams}
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of scenario files, for editors",
		Long: `Print the JSON Schema (draft 2020-12) of scenario files: their fields, types, the
words of enumerated fields and the shape of platforms and interventions. Editors that
use yaml-language-server (VS Code's YAML extension, Neovim, Helix) then complete and
check scenario files: save it and name it in the file's first line,
  msgsim schema > scenario.schema.json
  # yaml-language-server: $schema=scenario.schema.json
Ranges and rules between fields are checked by msgsim validate.`,
		Args: rangeArgs(0, 0),
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runSchema(opts)
		},
	}
}

func runSchema(opts *SchemaOptions) error {
	data, err := scenarios.JSONSchema()
	if err != nil {
		return err
	}
	_, err = opts.Streams.Out.Write(data)
	return err
}
