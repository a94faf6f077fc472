package scenarios

import (
	"math"

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
		out = append(out, seg)
	}
	return out
}

// segmentBlock checks a block segment's block: a block of a stochastic_block graph, with room
// for the segment after every earlier segment.
func (v *validator) segmentBlock(path string, g SegmentFile, size, taken int) {
	blocks := v.file.Graph.Blocks
	switch {
	case v.file.Graph.Kind != string(model.GraphBlocks):
		v.Fail(path+".assign", "block segments need a stochastic_block graph, but graph.kind is %s", v.file.Graph.Kind)
	case g.Block < 0 || g.Block >= len(blocks):
		v.Fail(path+".block", "must be a block index in [0, %d], got %d", len(blocks)-1, g.Block)
	case size > blocks[g.Block]-taken:
		v.Fail(path, "holds %d agents, but block %d has %d, of which the segments before it may take %d", size, g.Block, blocks[g.Block], taken)
	}
}
