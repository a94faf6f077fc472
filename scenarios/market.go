package scenarios

import (
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/model"
)

// MarketFile is the addressable market: the people who could use a messenger at all, over
// time (China's mobile internet users). Without a schedule everyone is in it from step 0.
type MarketFile struct {
	Order    string         `yaml:"order"`    // who enters first: random, degree or graph
	Schedule MarketSchedule `yaml:"schedule"` // people in the market at some steps or dates
}

// MarketPoint is one point of the schedule: the people in the market at a step or a date.
// A date may lie before the start or past the horizon: it only shapes the line between points.
type MarketPoint struct {
	At     StepOrDate `yaml:"at"`
	People float64    `yaml:"people"`
}

// MarketSchedule is the market's points, in time order.
type MarketSchedule []MarketPoint

// MaxMarketPoints bounds a schedule: a point a step over ten years of weeks is 520.
const MaxMarketPoints = 10000

// DecodeCustom decodes the schedule by its declaration in listSpecs.
func (ms *MarketSchedule) DecodeCustom(d *strict.Decoder, n *yaml.Node, path string) {
	decodeList(d, n, path, reflect.ValueOf(ms).Elem())
}

// unboundedDate tells whether a date at path may name a step outside the run: a market
// point's, which shapes the line between points.
func unboundedDate(path string) bool { return strings.HasPrefix(path, "market.schedule.") }

// market checks the schedule and converts people to agents (divided by the scale): points in
// time order, one per step, people >= 0, never falling and at most agents x scale.
func (v *validator) market() model.Market {
	f := v.file
	m := model.Market{Order: model.EntryOrder(f.Market.Order)}
	v.oneOf("market.order", f.Market.Order)
	if v.Has("market.order") && len(f.Market.Schedule) == 0 {
		v.Fail("market.order", "needs a schedule: without one everyone is in the market from step 0 (e.g. schedule: [{at: 0, people: 318e6}, {at: 100, people: 500e6}])")
	}
	capacity := float64(f.Agents) * f.Scale
	for i, p := range f.Market.Schedule {
		path := strict.Join("market.schedule", strconv.Itoa(i))
		for _, field := range []string{"at", "people"} {
			if !v.Has(path + "." + field) {
				v.Fail(path+"."+field, "is required: each point gives at (a step or a date) and people (in the market then)")
			}
		}
		switch {
		case !(p.People >= 0):
			v.Fail(path+".people", "must be >= 0 (people in the market), got %g", p.People)
		case p.People > capacity && f.Scale > 0 && f.Agents >= 1: // else scale or agents has its own error
			v.Fail(path+".people", "is %g, more than the %g people the agents stand for (agents %d x scale %g): raise agents or scale, or lower the point", p.People, capacity, f.Agents, f.Scale)
		}
		prevPath := strict.Join("market.schedule", strconv.Itoa(i-1))
		if i > 0 && v.Has(path+".at") && v.Has(prevPath+".at") && !v.unresolved[path+".at"] && !v.unresolved[prevPath+".at"] {
			prev := f.Market.Schedule[i-1]
			switch {
			case p.At.Step < prev.At.Step:
				v.Fail(path+".at", "is step %d, before the previous point's step %d: points must be in time order", p.At.Step, prev.At.Step)
			case p.At.Step == prev.At.Step:
				v.Fail(path+".at", "is step %d, the previous point's step: one point per step (two dates in one step are one point)", p.At.Step)
			case p.People < prev.People:
				v.Fail(path+".people", "is %g, fewer than the previous point's %g: the market only grows (agents never leave it)", p.People, prev.People)
			}
		}
		m.Schedule = append(m.Schedule, model.MarketPoint{Step: p.At.Step, Agents: p.People / f.Scale})
	}
	return m
}
