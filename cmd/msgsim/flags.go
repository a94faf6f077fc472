package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// enumFlag defines a flag that takes one of allowed, checked when flags are parsed, so that a
// mistyped word is a usage error naming the choices before anything is loaded. The help ends
// with the choices, and shell completion offers them.
func enumFlag(cmd *cobra.Command, p *string, name, value, usage string, allowed []string) {
	*p = value
	cmd.Flags().Var(&enumValue{value: p, allowed: allowed}, name, usage+": "+strings.Join(allowed, ", "))
	completeWith(cmd, name, allowed)
}

// enumsFlag is enumFlag for a comma-separated list of choices (repeatable, as
// StringSliceVar): the first use replaces the default, later uses add to it.
func enumsFlag(cmd *cobra.Command, p *[]string, name string, value []string, usage string, allowed []string) {
	*p = value
	cmd.Flags().Var(&enumsValue{value: p, allowed: allowed}, name, usage+": "+strings.Join(allowed, ", "))
	completeWith(cmd, name, allowed)
}

func completeWith(cmd *cobra.Command, name string, words []string) {
	// Only fails for an undefined or already registered flag: a programming error.
	if err := cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp)); err != nil {
		panic(err)
	}
}

// enumValue is a pflag.Value holding one of a fixed set of words.
type enumValue struct {
	value   *string
	allowed []string
}

func (e *enumValue) String() string { return *e.value }
func (e *enumValue) Type() string   { return "string" }

func (e *enumValue) Set(s string) error {
	if !slices.Contains(e.allowed, s) {
		return notOneOf(e.allowed)
	}
	*e.value = s
	return nil
}

// enumsValue is a pflag.Value holding a list of words from a fixed set.
type enumsValue struct {
	value   *[]string
	allowed []string
	changed bool // set once: later uses add to the list instead of replacing the default
}

// String is the list as pflag shows a string slice's default: [a,b].
func (e *enumsValue) String() string { return "[" + strings.Join(*e.value, ",") + "]" }
func (e *enumsValue) Type() string   { return "strings" }

func (e *enumsValue) Set(s string) error {
	words := strings.Split(s, ",")
	for _, w := range words {
		if !slices.Contains(e.allowed, w) {
			return notOneOf(e.allowed)
		}
	}
	if !e.changed {
		*e.value = nil
		e.changed = true
	}
	*e.value = append(*e.value, words...)
	return nil
}

func notOneOf(allowed []string) error {
	return fmt.Errorf("must be one of %s", strings.Join(allowed, ", "))
}
