package discover

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Condition is a comparison of one of a run's outcomes with a value: "final_share.laiwang >
// 0.5", or of its winner with a platform's name: "winner == laiwang".
type Condition struct {
	Metric string
	Op     string
	Value  float64 // numeric outcomes
	Word   string  // the winner
	Text   string  // as written, trimmed
}

// operators are the comparisons a condition may use, two-character ones first so that ">="
// is not read as ">".
var operators = []string{">=", "<=", "==", "!=", ">", "<"}

// WinnerMetric is the run's winner: the platform with the most users at the end, "tie" or
// "none" (runs.csv's winner column).
const WinnerMetric = "winner"

// ParseCondition reads "METRIC OP VALUE", METRIC one of numeric (or WinnerMetric, compared
// with == or != only), OP one of >, >=, <, <=, ==, !=.
func ParseCondition(text string, numeric []string) (Condition, error) {
	c := Condition{Text: strings.TrimSpace(text)}
	at, op := -1, ""
	for _, o := range operators {
		if i := strings.Index(c.Text, o); i >= 0 && (at < 0 || i < at) {
			at, op = i, o
		}
	}
	if at < 0 {
		return c, fmt.Errorf("condition %q: want METRIC OP VALUE with OP one of %s (e.g. \"final_share.laiwang > 0.5\")", c.Text, strings.Join(operators, " "))
	}
	c.Metric, c.Op = strings.TrimSpace(c.Text[:at]), op
	value := strings.TrimSpace(c.Text[at+len(op):])
	if c.Metric == "" || value == "" {
		return c, fmt.Errorf("condition %q: want METRIC OP VALUE, with both sides of %s (e.g. \"final_share.laiwang > 0.5\")", c.Text, op)
	}
	if c.Metric == WinnerMetric {
		if op != "==" && op != "!=" {
			return c, fmt.Errorf("condition %q: the winner is a name: compare it with == or !=, e.g. \"winner == laiwang\"", c.Text)
		}
		c.Word = value
		return c, nil
	}
	if !slices.Contains(numeric, c.Metric) {
		return c, fmt.Errorf("condition %q: unknown metric %q (valid: %s, %s)", c.Text, c.Metric, strings.Join(numeric, ", "), WinnerMetric)
	}
	v, err := strconv.ParseFloat(value, 64)
	if err != nil || math.IsNaN(v) {
		return c, fmt.Errorf("condition %q: %q is not a number", c.Text, value)
	}
	c.Value = v
	return c, nil
}

// holds compares a run's value (a number, or the winner for WinnerMetric); a missing number
// (NaN) satisfies no comparison but !=.
func (c Condition) holds(x float64, word string) bool {
	if c.Metric == WinnerMetric {
		return (word == c.Word) == (c.Op == "==")
	}
	switch c.Op {
	case ">":
		return x > c.Value
	case ">=":
		return x >= c.Value
	case "<":
		return x < c.Value
	case "<=":
		return x <= c.Value
	case "==":
		return x == c.Value
	}
	return x != c.Value
}
