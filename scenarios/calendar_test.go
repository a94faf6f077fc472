package scenarios

import "testing"

// Dates stand wherever a step does and map to the step containing them; --set takes them too.
func TestDatesMapToSteps(t *testing.T) {
	t.Parallel()
	text := `start: 2011-01-31
step: month
steps: 2013-02-28
agents: 100
platforms:
  wechat: {}
  laiwang: {launch: 2011-03-30}
interventions:
  - {kind: marketing, platform: laiwang, at: 2011-03-31, until: 2012-02-29, p: 0.1}
`
	sc, err := Parse([]byte(text), "dates.yaml", "", []string{"interventions.0.at=2011-04-29"})
	if err != nil {
		t.Fatal(err)
	}
	// Month steps from 31 January: step 1 begins 28 February, step 2 31 March, step 13
	// 29 February 2012, step 25 28 February 2013, the last day run.
	e := sc.Config.Events[0]
	if got := [...]int{sc.Config.Steps, sc.Config.Platforms[1].Launch, e.At, e.Until}; got != [...]int{26, 1, 2, 13} {
		t.Errorf("steps, launch, at, until = %v, want [26 1 2 13]", got)
	}
	if sc.File.TimeUnit != "month" {
		t.Errorf("time_unit = %q, want the step length month", sc.File.TimeUnit)
	}
	if x, ok := Value(sc.File, "platforms.laiwang.launch"); !ok || x != 1 {
		t.Errorf("Value(platforms.laiwang.launch) = %g, %v; want 1", x, ok)
	}
	if k := lookup("interventions.0.until").kind; k != PathInteger {
		t.Errorf("until's path kind = %v, want PathInteger", k)
	}
}
