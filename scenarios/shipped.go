package scenarios

import (
	"embed"
	"path"
	"slices"
	"strings"

	"github.com/msgsim/msgsim/internal/strict"
)

// DefaultName is the scenario `msgsim run` runs when given no file.
const DefaultName = "laiwang_vs_wechat"

// shipped holds the built-in scenarios and, under data/, the records they name.
//
//go:embed *.yaml data/*.csv
var shipped embed.FS

// ShippedNames lists the scenarios built into the binary, sorted.
func ShippedNames() []string {
	entries, _ := shipped.ReadDir(".")
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// shippedName maps "laiwang_vs_wechat", "laiwang_vs_wechat.yaml" or
// "scenarios/laiwang_vs_wechat.yaml" to the shipped name.
func shippedName(arg string) string {
	return strings.TrimSuffix(path.Base(arg), ".yaml")
}

func shippedData(arg string) ([]byte, bool) {
	data, err := shipped.ReadFile(shippedName(arg) + ".yaml")
	return data, err == nil
}

// Shipped loads a built-in scenario by name, with overrides.
func Shipped(name string, overrides []string) (*Scenario, error) {
	data, ok := shippedData(name)
	if !ok {
		return nil, &strict.FieldError{File: name, Msg: "no shipped scenario of that name (shipped: " + strings.Join(ShippedNames(), ", ") + ")"}
	}
	return Parse(data, embeddedPrefix+shippedName(name), "", overrides)
}

// ShippedYAML returns a built-in scenario's text, for `msgsim scenarios NAME`.
func ShippedYAML(name string) ([]byte, bool) { return shippedData(name) }
