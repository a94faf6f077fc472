package output

import (
	"bufio"
	"io"
	"strconv"

	"github.com/msgsim/msgsim/model"
)

// SegmentsHeader is the header of segments.csv, one row per (replicate, step, segment,
// platform), for a Table's zero value.
var SegmentsHeader = []string{"replicate", "step", "segment", "platform", "users", "registered"}

// WriteSegmentsCSV writes every replicate's users and registered agents per segment and
// platform in long format; over the segments of a step and platform they add up to
// series.csv's users and registered. The runs must have segments.
func WriteSegmentsCSV(w io.Writer, runs []*model.Series, tb TableOptions) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	writeRow(bw, tb.header(SegmentsHeader, "users_people", "registered_people"))
	var buf []byte
	for r, s := range runs {
		for t := 0; t <= s.Steps; t++ {
			for g, segment := range s.Segments {
				for j, platform := range s.Platforms {
					i := s.AtSegment(t, g, j)
					buf = strconv.AppendInt(buf[:0], int64(r), 10)
					buf = append(buf, ',')
					buf = tb.appendStep(buf, t)
					buf = append(buf, ',')
					buf = append(buf, segment...)
					buf = append(buf, ',')
					buf = append(buf, platform...)
					counts := []int64{s.SegmentUsers[i], s.SegmentRegistered[i]}
					for _, x := range counts {
						buf = append(buf, ',')
						buf = strconv.AppendInt(buf, x, 10)
					}
					if tb.People() {
						for _, x := range counts {
							buf = append(buf, ',')
							buf = strconv.AppendFloat(buf, float64(x)*tb.Scale, 'f', -1, 64)
						}
					}
					buf = append(buf, '\n')
					bw.Write(buf)
				}
			}
		}
	}
	return bw.Flush()
}
