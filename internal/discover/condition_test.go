package discover

import (
	"math"
	"testing"
)

var metrics = []string{"final_share.laiwang", "final_share.wechat"}

func TestParseCondition(t *testing.T) {
	for _, c := range []struct {
		text   string
		metric string
		op     string
		value  float64
		word   string
	}{
		{"final_share.laiwang > 0.5", "final_share.laiwang", ">", 0.5, ""},
		{"  final_share.wechat<=0.25 ", "final_share.wechat", "<=", 0.25, ""},
		{"final_share.laiwang >= 1e-3", "final_share.laiwang", ">=", 0.001, ""},
		{"final_share.laiwang != 0", "final_share.laiwang", "!=", 0, ""},
		{"winner == laiwang", "winner", "==", 0, "laiwang"},
	} {
		got, err := ParseCondition(c.text, metrics)
		if err != nil || got.Metric != c.metric || got.Op != c.op || got.Value != c.value || got.Word != c.word {
			t.Errorf("%q: %+v, %v", c.text, got, err)
		}
	}
}

func TestParseConditionErrors(t *testing.T) {
	for text, want := range map[string]string{
		"final_share.laiwangg > 0.5": `condition "final_share.laiwangg > 0.5": unknown metric "final_share.laiwangg" (valid: final_share.laiwang, final_share.wechat, winner)`,
		"final_share.laiwang 0.5":    `condition "final_share.laiwang 0.5": want METRIC OP VALUE with OP one of >= <= == != > < (e.g. "final_share.laiwang > 0.5")`,
		"final_share.laiwang > half": `condition "final_share.laiwang > half": "half" is not a number`,
		"final_share.laiwang > NaN":  `condition "final_share.laiwang > NaN": "NaN" is not a number`,
		"> 0.5":                      `condition "> 0.5": want METRIC OP VALUE, with both sides of > (e.g. "final_share.laiwang > 0.5")`,
		"winner > laiwang":           `condition "winner > laiwang": the winner is a name: compare it with == or !=, e.g. "winner == laiwang"`,
		"":                           `condition "": want METRIC OP VALUE with OP one of >= <= == != > < (e.g. "final_share.laiwang > 0.5")`,
	} {
		if _, err := ParseCondition(text, metrics); err == nil || err.Error() != want {
			t.Errorf("%q:\n got %v\nwant %s", text, err, want)
		}
	}
}

// Each operator compares as written; a missing value satisfies only !=.
func TestConditionHolds(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		text string
		x    float64
		want bool
	}{
		{"final_share.laiwang > 0.5", 0.5, false}, {"final_share.laiwang >= 0.5", 0.5, true},
		{"final_share.laiwang < 0.5", 0.4, true}, {"final_share.laiwang <= 0.5", 0.6, false},
		{"final_share.laiwang == 0.5", 0.5, true}, {"final_share.laiwang != 0.5", 0.5, false},
		{"final_share.laiwang > 0.5", nan, false}, {"final_share.laiwang != 0.5", nan, true},
	} {
		cond, err := ParseCondition(c.text, metrics)
		if err != nil {
			t.Fatal(err)
		}
		if got := cond.holds(c.x, ""); got != c.want {
			t.Errorf("%s with %g: %v", c.text, c.x, got)
		}
	}
	eq, _ := ParseCondition("winner == laiwang", metrics)
	ne, _ := ParseCondition("winner != laiwang", metrics)
	if !eq.holds(0, "laiwang") || eq.holds(0, "wechat") || ne.holds(0, "laiwang") || !ne.holds(0, "tie") {
		t.Error("winner comparisons")
	}
}
