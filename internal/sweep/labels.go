package sweep

import (
	"strconv"
	"strings"

	"github.com/msgsim/msgsim/scenarios"
)

// fieldWords spell a few path fields as words on an axis; the others lose their underscores.
var fieldWords = map[string]string{"at": "step", "until": "end step", "p": "p (innovation)", "q": "q (imitation)"}

// pathLabel is a factor's default label, derived from its path and the base scenario:
// platforms.wechat.switching_cost reads "wechat switching cost", interventions.1.share
// "laiwang preinstall share" (the intervention's platform and kind), other paths their parts
// joined by spaces (decision.rule: "decision rule").
func pathLabel(path string, sc *scenarios.Scenario) string {
	parts := strings.Split(path, ".")
	field := parts[len(parts)-1]
	if w, ok := fieldWords[field]; ok {
		field = w
	}
	words := append([]string(nil), parts[:len(parts)-1]...)
	switch {
	case len(parts) == 3 && parts[0] == "platforms":
		words = []string{parts[1]}
	case len(parts) >= 3 && parts[0] == "interventions":
		if n, err := strconv.Atoi(parts[1]); err == nil && n >= 0 && n < len(sc.File.Interventions) {
			iv := sc.File.Interventions[n]
			words = append(strings.Fields(iv.Platform+" "+iv.Kind), parts[2:len(parts)-1]...)
		}
	}
	words = append(words, field)
	return strings.ReplaceAll(strings.Join(words, " "), "_", " ")
}

// labels resolves every factor's label: its label:, or its path's (pathLabel). Two factors
// with one label would be told apart by nothing on the plots.
func (v *validator) labels(sw *Sweep, sc *scenarios.Scenario) {
	seen := map[string]int{}
	for i, f := range sw.File.Factors {
		path := "factors." + strconv.Itoa(i) + ".label"
		label := f.Label
		if v.Has(path) {
			v.Label(path, label)
			if strings.TrimSpace(label) == "" {
				v.Fail(path, "must not be empty: it names the factor's axis on the plots (leave label out for one made from the path, %q)", pathLabel(f.Path, sc))
			}
		} else {
			label = pathLabel(f.Path, sc)
		}
		// A path swept twice is reported as such, not again by its labels.
		if j, dup := seen[label]; dup && label != "" && sw.File.Factors[j].Path != f.Path {
			v.Fail(path, "%q is also the label of factors.%d; give each factor its own label", label, j)
		}
		seen[label] = i
		sw.Labels = append(sw.Labels, label)
	}
}
