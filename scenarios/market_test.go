package scenarios

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/msgsim/msgsim/internal/golden"
	"github.com/msgsim/msgsim/model"
)

// dated is base with a calendar: weeks from 2011-01-21, 10 steps to 2011-03-31.
const dated = base + "start: 2011-01-21\nscale: 1000\n"

// marketErrorCases holds one case per market validation error, with its exact message in
// testdata/market_errors.golden.
var marketErrorCases = []struct {
	name string
	yaml string
	sets []string
}{
	{"market not a mapping", base + "market: [1, 2]\n", nil},
	{"schedule not a list", base + "market: {schedule: {at: 1}}\n", nil},
	{"order unknown", base + "market: {order: oldest, schedule: [{at: 0, people: 10}]}\n", nil},
	{"order without schedule", base + "market: {order: degree}\n", nil},
	{"point fields missing", base + "market: {schedule: [{at: 3}, {people: 50}]}\n", nil},
	{"point field unknown", base + "market: {schedule: [{at: 3, agents: 50}]}\n", nil},
	{"points unsorted", base + "market: {schedule: [{at: 5, people: 10}, {at: 2, people: 20}]}\n", nil},
	{"points in one step", dated + "market: {schedule: [{at: 2011-02-01, people: 10}, {at: 2011-02-03, people: 20}]}\n", nil},
	{"people negative", base + "market: {schedule: [{at: 0, people: -1}]}\n", nil},
	{"people falling", base + "market: {schedule: [{at: 0, people: 50}, {at: 5, people: 40}]}\n", nil},
	{"people above agents x scale", dated + "market: {schedule: [{at: 0, people: 50000}, {at: 2011-12-31, people: 100001}]}\n", nil},
	{"date without start", base + "market: {schedule: [{at: 2011-06-30, people: 10}]}\n", nil},
	{"point not a step or date", base + "market: {schedule: [{at: soon, people: 10}]}\n", nil},
	{"set people out of range", base + "market: {schedule: [{at: 0, people: 10}]}\n", []string{"market.schedule.0.people=-3"}},
	{"set missing point", base + "market: {schedule: [{at: 0, people: 10}]}\n", []string{"market.schedule.1.people=30"}},
	{"set order unknown", base + "market: {schedule: [{at: 0, people: 10}]}\n", []string{"market.order=degre"}},
}

func TestMarketValidationErrors(t *testing.T) {
	t.Parallel()
	var names, messages []string
	for _, tc := range marketErrorCases {
		_, err := Parse([]byte(tc.yaml), "case.yaml", "testdata", tc.sets)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		names, messages = append(names, tc.name), append(messages, err.Error())
	}
	golden.Messages(t, filepath.Join("testdata", "market_errors.golden"), names, messages)
}

// TestMarketReachesModel: points in people become agents (divided by the scale), dates
// become steps (before the start and past the horizon too), and --set reaches every field.
func TestMarketReachesModel(t *testing.T) {
	t.Parallel()
	text := dated + "market:\n  order: degree\n  schedule:\n    - {at: 2010-12-31, people: 10000}\n    - {at: 4, people: 30000}\n    - {at: 2011-12-31, people: 100000}\n"
	sc, err := Parse([]byte(text), "m.yaml", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := model.Market{Order: model.EntryDegree, Schedule: []model.MarketPoint{{Step: -3, Agents: 10}, {Step: 4, Agents: 30}, {Step: 49, Agents: 100}}}
	if !reflect.DeepEqual(sc.Config.Market, want) {
		t.Errorf("market %+v, want %+v", sc.Config.Market, want)
	}
	sc, err = Parse([]byte(text), "m.yaml", "", []string{"market.order=graph", "market.schedule.1.people=40000", "market.schedule.1.at=2011-02-11"})
	if err != nil {
		t.Fatal(err)
	}
	want.Order, want.Schedule[1] = model.EntryGraph, model.MarketPoint{Step: 3, Agents: 40}
	if !reflect.DeepEqual(sc.Config.Market, want) {
		t.Errorf("after --set: market %+v, want %+v", sc.Config.Market, want)
	}
	sc, err = Parse([]byte(base), "b.yaml", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sc.Config.Market, model.Market{Order: model.EntryRandom}) {
		t.Errorf("no market section: %+v, want everyone in the market", sc.Config.Market)
	}
}
