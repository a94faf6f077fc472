package main

import (
	"fmt"
	"maps"
	"slices"

	"github.com/msgsim/msgsim/internal/readme"
)

// analysisFigures runs the commands behind README's mean-field twin and scenario discovery
// figures, with outputs under out, and returns their blocks. The twin's outputs are twin0,
// twin1...; the sweep's and discovery's laiwang_wins and discovery.
func analysisFigures(msgsim func(...string) (string, error), out func(string) string) (map[string]string, error) {
	var outs []string
	for i, args := range readme.TwinCommands {
		stdout, err := msgsim(append(slices.Clone(args[1:]), "-o", out(fmt.Sprintf("twin%d", i)))...)
		if err != nil {
			return nil, err
		}
		outs = append(outs, stdout)
	}
	values, err := readme.TwinGaps(outs)
	if err != nil {
		return nil, err
	}
	// README's commands name out/laiwang_wins (the last argument of the sweep, the fourth of
	// the discovery): here it is a scratch directory.
	sweep := slices.Clone(readme.DiscoverSweep[1:])
	sweep[len(sweep)-1] = out("laiwang_wins")
	if _, err := msgsim(append(sweep, "--quiet")...); err != nil {
		return nil, err
	}
	discover := slices.Clone(readme.DiscoverCommand[1:])
	discover[2] = out("laiwang_wins")
	stdout, err := msgsim(append(discover, "-o", out("discovery"))...)
	if err != nil {
		return nil, err
	}
	box, err := readme.DiscoverBox(stdout)
	if err != nil {
		return nil, err
	}
	maps.Copy(values, box)
	return values, nil
}
