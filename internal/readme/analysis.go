package readme

import (
	"fmt"
	"strings"
)

// The commands behind README's mean-field and scenario-discovery figures. Each is a list of
// arguments, as a discover condition holds spaces.
var (
	// TwinCommands run the networks_vs_meanfield scenario with its twin on a clustered ring,
	// on hubs and on the complete graph.
	TwinCommands = [][]string{
		{"msgsim", "run", "networks_vs_meanfield", "--mean-field"},
		{"msgsim", "run", "networks_vs_meanfield", "--mean-field", "--set", "graph.kind=barabasi_albert", "--set", "graph.m=5"},
		{"msgsim", "run", "networks_vs_meanfield", "--mean-field", "--set", "graph.kind=complete"},
	}
	// DiscoverSweep is the shipped "when does Laiwang win?" sweep, DiscoverCommand the
	// discovery README shows on its results (readmegen gives both a scratch -o).
	DiscoverSweep   = []string{"msgsim", "sweep", "sweeps/laiwang_wins.yaml", "-o", "out/laiwang_wins"}
	DiscoverCommand = []string{"msgsim", "sweep", "discover", "out/laiwang_wins", "--where", "final_share.laiwang > 0.5"}
)

// CommandLine is args as a reader types it, quoting arguments that hold spaces.
func CommandLine(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = a
		if strings.ContainsAny(a, " >") {
			quoted[i] = `"` + a + `"`
		}
	}
	return strings.Join(quoted, " ")
}

// TwinGaps is README's twin-networks block: each of TwinCommands and the twin's lines it
// printed (outs[i] is TwinCommands[i]'s standard output).
func TwinGaps(outs []string) (map[string]string, error) {
	var b strings.Builder
	b.WriteString("\n```text\n")
	for i, out := range outs {
		_, twin, ok := strings.Cut(out, "mean-field twin (complete-graph limit)")
		if !ok {
			return nil, fmt.Errorf("%s printed no mean-field twin lines:\n%s", CommandLine(TwinCommands[i]), out)
		}
		fmt.Fprintf(&b, "$ %s\nmean-field twin (complete-graph limit)%s", CommandLine(TwinCommands[i]), twin)
	}
	b.WriteString("```\n")
	return map[string]string{"twin-networks": b.String()}, nil
}

// DiscoverBox is README's discover-laiwang-wins block: DiscoverCommand and what it printed,
// without the line naming the output directory (readmegen's is a scratch one).
func DiscoverBox(out string) (map[string]string, error) {
	text, _, ok := strings.Cut(out, "results in ")
	if !ok || !strings.Contains(text, " holds in ") {
		return nil, fmt.Errorf("%s printed %q, with no box", CommandLine(DiscoverCommand), strings.TrimSpace(out))
	}
	return map[string]string{"discover-laiwang-wins": "\n```text\n$ " + CommandLine(DiscoverCommand) + "\n" + text + "```\n"}, nil
}
