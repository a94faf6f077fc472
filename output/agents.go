package output

import (
	"math"
	"strconv"
	"strings"

	"github.com/msgsim/msgsim/internal/calendar"
	"github.com/msgsim/msgsim/model"
)

// AgentColumns says how AgentsTable names and dates what the runs' agents did.
type AgentColumns struct {
	Platforms []string
	// IDs are the agents' ids, IDs[i] agent i's: an edge list's own labels. nil writes each
	// agent's index (0 to agents-1).
	IDs []string
	// Segments names the segments by index (model.Config.SegmentNames); nil leaves the
	// segment column out.
	Segments []string
	// Calendar, when set, adds each first step's date beside it.
	Calendar calendar.Calendar
}

// AgentsTable is one row per replicate and agent, replicate-major: replicate, id, degree
// (first layer), segment (with segments), threshold, then per platform the first step the
// agent knew of it (aware_step.P), had it (registered_step.P) and used it (used_step.P),
// empty when it never did, with their dates (aware_date.P, ...) when the calendar is set, and
// the platforms the agent used at the end (platforms: names joined by "+", empty for none).
func AgentsTable(runs []*model.AgentHistory, c AgentColumns) Table {
	rows := 0
	for _, h := range runs {
		rows += len(h.Degree)
	}
	replicate, degree := make([]int64, 0, rows), make([]int64, 0, rows)
	ids, final := make([]string, 0, rows), make([]string, 0, rows)
	threshold := make([]float64, 0, rows)
	var segment []string
	if c.Segments != nil {
		segment = make([]string, 0, rows)
	}
	sets := platformSets(c.Platforms)
	for r, h := range runs {
		for i, d := range h.Degree {
			replicate = append(replicate, int64(r))
			degree = append(degree, int64(d))
			threshold = append(threshold, h.Threshold[i])
			final = append(final, sets[h.Final[i]])
			if c.IDs != nil {
				ids = append(ids, c.IDs[i])
			} else {
				ids = append(ids, strconv.Itoa(i))
			}
			if segment != nil {
				segment = append(segment, c.Segments[h.Segment[i]])
			}
		}
	}
	cols := []Column{{Name: "replicate", Ints: replicate}, {Name: "id", Strings: ids}, {Name: "degree", Ints: degree}}
	if segment != nil {
		cols = append(cols, Column{Name: "segment", Strings: segment})
	}
	cols = append(cols, Column{Name: "threshold", Floats: threshold})
	for j, p := range c.Platforms {
		for _, event := range []struct {
			name  string
			first func(*model.AgentHistory) []int32
		}{
			{"aware", func(h *model.AgentHistory) []int32 { return h.FirstAware }},
			{"registered", func(h *model.AgentHistory) []int32 { return h.FirstRegistered }},
			{"used", func(h *model.AgentHistory) []int32 { return h.FirstUsed }},
		} {
			steps := make([]float64, 0, rows)
			for _, h := range runs {
				first := event.first(h)
				for i := range h.Degree {
					k := first[i*h.Platforms+j]
					if k == model.NeverSeen {
						steps = append(steps, math.NaN())
					} else {
						steps = append(steps, float64(k))
					}
				}
			}
			cols = append(cols, Column{Name: event.name + "_step." + p, Floats: steps})
			if c.Calendar.IsSet() {
				cols = append(cols, Column{Name: event.name + "_date." + p, Strings: datesOf(steps, c.Calendar)})
			}
		}
	}
	return Table{Columns: append(cols, Column{Name: "platforms", Strings: final})}
}

// platformSets names every platform set by its bits: the platforms' names joined by "+".
func platformSets(platforms []string) []string {
	sets := make([]string, 1<<len(platforms))
	for set := range sets {
		var names []string
		for j, p := range platforms {
			if set>>j&1 != 0 {
				names = append(names, p)
			}
		}
		sets[set] = strings.Join(names, "+")
	}
	return sets
}

// datesOf writes each step's first date, "" for none (NaN); the dates are shared strings.
func datesOf(steps []float64, cal calendar.Calendar) []string {
	out := make([]string, len(steps))
	written := map[float64]string{}
	for r, k := range steps {
		if math.IsNaN(k) {
			continue
		}
		date, ok := written[k]
		if !ok {
			date = calendar.Format(cal.DateOf(int(k)))
			written[k] = date
		}
		out[r] = date
	}
	return out
}

// AgentRowBytes bounds the memory AgentsTable takes per row with p platforms: replicate,
// degree and threshold (8 each), id and final set (a 16-byte string header each, and up to
// 8 bytes of an index written out), per platform three first steps (8 each) and, with a
// calendar, their dates (16-byte headers of shared strings), and with segments the segment
// (16).
func AgentRowBytes(p int, dated, segments bool) float64 {
	bytes := 3*8 + 2*16 + 8 + 24*p
	if dated {
		bytes += 48 * p
	}
	if segments {
		bytes += 16
	}
	return float64(bytes)
}
