package discover

import (
	"fmt"
	"io"
	"strings"
)

// Report is what `msgsim sweep discover` writes about one condition.
type Report struct {
	Runs      *Runs
	Condition Condition
	Options   Options // as given; zero fields are the defaults
	Result    *Result
	Chart     string // the trajectory chart's file name, "" when none was drawn
}

// WriteMarkdown writes discovery.md: the chosen box's limits per factor, its coverage,
// density and mass, and the peeling trajectory.
func (r Report) WriteMarkdown(w io.Writer) error {
	res, opts := r.Result, withDefaults(r.Options)
	box := res.Pasted
	var b strings.Builder
	fmt.Fprintf(&b, "# Scenario discovery: `%s`\n\n", r.Condition.Text)
	all := res.Range
	fmt.Fprintf(&b, "The condition holds in %d of the sweep's %d runs (%.3g). PRIM (Friedman & Fisher 1999, as in the EMA Workbench) peeled %g of the box's runs at a time down to a mass of %g; ",
		all.Hits, all.Runs, all.Density, opts.Alpha, opts.MinMass)
	if opts.Box >= 0 {
		fmt.Fprintf(&b, "box %d of the trajectory was chosen by --box", res.Chosen)
	} else {
		fmt.Fprintf(&b, "the box chosen is the densest with coverage of at least %g, box %d of the trajectory", opts.MinCoverage, res.Chosen)
	}
	b.WriteString(", then pasted (its faces moved back out while that made it denser).\n\n## The box\n\n")
	fmt.Fprintf(&b, "- Coverage %.3g: the share of the runs where the condition holds that lie in the box.\n", box.Coverage)
	fmt.Fprintf(&b, "- Density %.3g: the share of the box's runs where it holds.\n", box.Density)
	fmt.Fprintf(&b, "- Mass %.3g: the share of all runs in the box (%d of %d; the condition holds in %d).\n\n", box.Mass, box.Runs, all.Runs, box.Hits)
	b.WriteString("| factor | lower | upper | swept | restricted |\n|---|---|---|---|---|\n")
	for f, name := range r.Runs.Factors {
		restricted := "no"
		if box.Lower[f] > all.Lower[f] || box.Upper[f] < all.Upper[f] {
			restricted = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %.4g | %.4g | %.4g to %.4g | %s |\n", name, box.Lower[f], box.Upper[f], all.Lower[f], all.Upper[f], restricted)
	}
	if len(r.Runs.Skipped) > 0 {
		fmt.Fprintf(&b, "\nNot peeled, their values being words: %s.\n", "`"+strings.Join(r.Runs.Skipped, "`, `")+"`")
	}
	b.WriteString("\n## Peeling trajectory\n\n")
	if r.Chart != "" {
		fmt.Fprintf(&b, "![coverage against density along the peeling trajectory](%s)\n\n", r.Chart)
	}
	b.WriteString("| box | coverage | density | mass | runs | limits that differ from the sweep's |\n|---|---|---|---|---|---|\n")
	for i, t := range res.Trajectory {
		mark := ""
		if i == res.Chosen {
			mark = " (chosen)"
		}
		fmt.Fprintf(&b, "| %d%s | %.3g | %.3g | %.3g | %d | %s |\n", i, mark, t.Coverage, t.Density, t.Mass, t.Runs, r.limits(t))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// limits describes where box t differs from the sweep's ranges, "-" where it does not.
func (r Report) limits(t Box) string {
	all := r.Result.Range
	var parts []string
	for f, name := range r.Runs.Factors {
		lo, hi := t.Lower[f] > all.Lower[f], t.Upper[f] < all.Upper[f]
		switch {
		case lo && hi:
			parts = append(parts, fmt.Sprintf("%.4g ≤ `%s` ≤ %.4g", t.Lower[f], name, t.Upper[f]))
		case lo:
			parts = append(parts, fmt.Sprintf("`%s` ≥ %.4g", name, t.Lower[f]))
		case hi:
			parts = append(parts, fmt.Sprintf("`%s` ≤ %.4g", name, t.Upper[f]))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}
