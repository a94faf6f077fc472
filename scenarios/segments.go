package scenarios

import (
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/model"
)

// segments checks the segments list and converts it. Segments are assigned in file order,
// each from the agents no earlier segment took, so each must fit in what the earlier ones
// leave: of all agents, and of its block for a block segment (as if the earlier ones had all
// come from that block, since which agents a random one takes is only known at run time).
func (v *validator) segments() []model.Segment {
	agents := v.file.Agents
	var out []model.Segment
	taken := 0
	for _, g := range v.file.Segments {
		path := v.itemName("segments", "segment", g.Name)
		if g.Name == model.RestSegment {
			v.Fail(path, "%q is reserved: it names the agents in no segment", g.Name)
		}
		if v.Has(path+".count") == v.Has(path+".share") {
			v.Fail(path, "a segment needs exactly one of count (number of agents) or share (of all agents, in [0, 1])")
		}
		if v.Has(path + ".count") {
			v.intRange(path+".count", g.Count, 1, max(agents, 1))
		}
		v.inRange(path+".share", g.Share, 0, 1)
		seg := model.Segment{Name: g.Name, Count: g.Count, Share: g.Share, Assign: model.Target(g.Assign), Block: g.Block, Committed: g.Committed}
		size := seg.Size(agents)
		if !v.oneOf(path+".assign", g.Assign) {
			out = append(out, seg) // still a segment that interventions may name
			continue
		}
		v.onlyFor(path, "assign", g.Assign)
		if taken+size > agents && size <= agents {
			v.Fail(path, "holds %d agents, but the segments before it leave only %d of the %d", size, max(agents-taken, 0), agents)
		}
		if g.Assign == string(model.TargetBlock) {
			v.segmentBlock(path, g, size, taken)
		}
		taken = min(taken+size, math.MaxInt32)
		v.segmentOverrides(path, g, &seg)
		out = append(out, seg)
	}
	return out
}

// segmentBlock checks a block segment's block: a block of a stochastic_block graph, with room
// for the segment after every earlier segment.
func (v *validator) segmentBlock(path string, g SegmentFile, size, taken int) {
	first, at := v.firstGraph()
	blocks := first.Blocks
	switch {
	case first.Kind != string(model.GraphBlocks):
		v.Fail(path+".assign", "block segments need a stochastic_block graph, but %s.kind is %s", at, first.Kind)
	case g.Block < 0 || g.Block >= len(blocks):
		v.Fail(path+".block", "must be a block index in [0, %d], got %d", len(blocks)-1, g.Block)
	case size > blocks[g.Block]-taken:
		v.Fail(path, "holds %d agents, but block %d has %d, of which the segments before it may take %d", size, g.Block, blocks[g.Block], taken)
	}
}

// segmentOverrides checks a segment's overrides and sets them in seg: each field it sets
// replaces the scenario's, and the fields it leaves out keep the scenario's values.
func (v *validator) segmentOverrides(path string, g SegmentFile, seg *model.Segment) {
	if tp := path + ".threshold"; v.Has(tp) {
		t := overlay(v, tp, v.file.Threshold, g.Threshold)
		bounded := v.Has(tp+".min") || v.Has(tp+".max") || v.Has("threshold.min") || v.Has("threshold.max")
		seg.Threshold = v.threshold(tp, t, bounded)
	}
	if v.Has(path + ".revision_rate") {
		if !(g.RevisionRate > 0 && g.RevisionRate <= 1) {
			v.Fail(path+".revision_rate", "must be in (0, 1], got %g", g.RevisionRate)
		}
		seg.RevisionRate = g.RevisionRate
	}
	if len(g.Platforms) == 0 {
		return
	}
	names := make([]string, len(v.file.Platforms))
	for j, p := range v.file.Platforms {
		names[j] = p.Name
	}
	seg.Platforms = make([]model.Platform, len(v.file.Platforms))
	for j, p := range v.file.Platforms {
		seg.Platforms[j] = p.platform()
	}
	independent := v.file.Decision.Contagion == string(model.ContagionIndependent)
	for _, o := range g.Platforms {
		op := strict.Join(path+".platforms", o.Name)
		j := slices.Index(names, o.Name)
		if j < 0 {
			v.Fail(op, "unknown platform %q%s (platforms: %s)", o.Name, strict.DidYouMean(o.Name, names), strings.Join(names, ", "))
			continue
		}
		p := overlay(v, op, v.file.Platforms[j].params(), o)
		v.platformParams(op, p, independent)
		q := &seg.Platforms[j]
		q.Appeal, q.P, q.Q, q.NetworkWeight, q.SwitchingCost, q.Churn = p.Appeal, p.P, p.Q, p.NetworkWeight, p.SwitchingCost, p.Churn
	}
}

// overlay returns base with the fields that the file sets in the section at path taken from
// over, a value of the same section type.
func overlay[T any](v *validator, path string, base, over T) T {
	out, from := reflect.ValueOf(&base).Elem(), reflect.ValueOf(over)
	for _, f := range lookup(path).fields {
		if v.Has(strict.Join(path, f.name)) {
			out.Field(f.index).Set(from.Field(f.index))
		}
	}
	return base
}

// eventSegment resolves an intervention's segment, if it names one, to the model's index:
// 1 + its place in the file's segments.
func (v *validator) eventSegment(path string, iv Intervention, e *model.Event) {
	if !v.Has(path + ".segment") {
		return
	}
	names := make([]string, len(v.file.Segments))
	for k, g := range v.file.Segments {
		names[k] = g.Name
	}
	k := slices.Index(names, iv.Segment)
	if k < 0 {
		if len(names) == 0 {
			v.Fail(path+".segment", "names segment %q, but the scenario has no segments: define it under segments:", iv.Segment)
		} else {
			v.Fail(path+".segment", "unknown segment %q%s (segments: %s)", iv.Segment, strict.DidYouMean(iv.Segment, names), strings.Join(names, ", "))
		}
		return
	}
	e.Segment = k + 1
	if v.Has(path + ".nodes") {
		v.Fail(path+".segment", "does not apply to listed nodes: give a count or share to pick within the segment")
	}
	g := v.file.Segments[k]
	size := model.Segment{Count: g.Count, Share: g.Share}.Size(v.file.Agents)
	if v.Has(path+".count") && !iv.PerStep && iv.Count <= v.file.Agents && iv.Count > size {
		v.Fail(path+".count", "is %d, more than the %d agents of segment %s", iv.Count, size, iv.Segment)
	}
}
