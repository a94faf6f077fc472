package main

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v4"

	"github.com/msgsim/msgsim/internal/calibrate"
	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/internal/sweep"
	"github.com/msgsim/msgsim/scenarios"
)

// NewCmdValidate builds `msgsim validate FILE...`: every file is checked, all problems shown.
func NewCmdValidate(streams *IOStreams) *cobra.Command {
	var overrides []string
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario, sweep and fit files without running them",
		Args:  rangeArgs(1, 1<<20),
		RunE: func(_ *cobra.Command, args []string) error {
			if err := checkSets(overrides, args); err != nil {
				return err
			}
			bad := 0
			for _, path := range args {
				if kind := fileKind(path); kind != "scenario" {
					if err := validateOther(streams.Out, kind, path, overrides); err != nil {
						printError(streams, err)
						bad++
					}
					continue
				}
				sc, err := scenarios.Load(path, overrides)
				if err != nil {
					printError(streams, err)
					bad++
					continue
				}
				fmt.Fprintf(streams.Out, "ok %s (%s: %s, %s, %s)\n%s", strict.Printable(path), sc.File.Name, plural(sc.Config.Agents, "agent"), plural(len(sc.Config.Platforms), "platform"), plural(sc.Config.Steps, "step"), edgeListLine(sc))
			}
			if bad > 0 {
				return errors.New(plural(bad, "invalid file"))
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&overrides, "set", nil, "override a field by dotted `path=value` before validating")
	return cmd
}

// validateOther checks a sweep or fit file as `msgsim sweep` or `msgsim calibrate` would,
// without running anything.
func validateOther(w io.Writer, kind, path string, overrides []string) error {
	if len(overrides) > 0 {
		return fmt.Errorf("%s is a %s file; --set overrides scenario files only (put the override in the %s's set: list)", path, kind, kind)
	}
	if kind == "fit" {
		fit, err := calibrate.Load(path)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "ok %s (fit %s: %s, %s, budget %s)\n", strict.Printable(path), fit.File.Name, plural(len(fit.Params), "parameter"), plural(len(fit.Targets), "target"), plural(fit.File.Budget, "run"))
		return err
	}
	plan, err := sweep.LoadPlan(path)
	if err != nil {
		return err
	}
	f := plan.Sweep.File
	_, err = fmt.Fprintf(w, "ok %s (sweep %s: design %s, %s, %s x %s = %s)\n", strict.Printable(path), f.Name, f.Design, plural(len(f.Factors), "factor"), plural(len(plan.Points), "point"), plural(f.Replicates, "replicate"), plural(plan.Runs(), "run"))
	return err
}

// fileKind tells a sweep or fit file from a scenario by its top-level keys: the kind with
// the most keys that belong to it alone wins, and a tie (or a file that is not a readable
// YAML mapping) counts as a scenario, so the scenario loader reports what is wrong.
func fileKind(path string) string {
	// What cannot be read (missing, too large, not a regular file) is left to the scenario
	// loader, whose errors say what is wrong with it.
	data, err := strict.ReadFile("scenario", path, strict.MaxYAMLBytes)
	if err != nil {
		return "scenario"
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return "scenario"
	}
	root := strict.Resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return "scenario"
	}
	kinds := []string{"scenario", "sweep", "fit"}
	fields := [][]string{
		strict.YAMLFields(reflect.TypeFor[scenarios.File]()),
		strict.YAMLFields(reflect.TypeFor[sweep.File]()),
		strict.YAMLFields(reflect.TypeFor[calibrate.File]()),
	}
	score := make([]int, len(kinds))
	for i := 0; i < len(root.Content); i += 2 {
		key := root.Content[i].Value
		owner := -1
		for k, names := range fields {
			if slices.Contains(names, key) {
				if owner >= 0 {
					owner = -1 // shared (name, seed, set, ...): says nothing
					break
				}
				owner = k
			}
		}
		if owner >= 0 {
			score[owner]++
		}
	}
	best := 0
	for k := range kinds {
		if score[k] > score[best] {
			best = k
		}
	}
	return kinds[best]
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
