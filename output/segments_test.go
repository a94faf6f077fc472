package output

import (
	"bytes"
	"testing"

	"github.com/msgsim/msgsim/model"
)

// TestWriteSegmentsCSV: one row per replicate, step, segment and platform, with a date column
// and people columns when the table options ask for them.
func TestWriteSegmentsCSV(t *testing.T) {
	t.Parallel()
	s := &model.Series{
		Platforms: []string{"X", "Y"}, Steps: 1,
		Segments:          []string{"rest", "vip"},
		SegmentAgents:     []int64{4, 1},
		SegmentUsers:      []int64{1, 0, 0, 1, 2, 1, 1, 0},
		SegmentRegistered: []int64{1, 2, 0, 1, 3, 2, 1, 1},
	}
	var plain, dated bytes.Buffer
	if err := WriteSegmentsCSV(&plain, []*model.Series{s}, TableOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "replicate,step,segment,platform,users,registered\n" +
		"0,0,rest,X,1,1\n0,0,rest,Y,0,2\n0,0,vip,X,0,0\n0,0,vip,Y,1,1\n" +
		"0,1,rest,X,2,3\n0,1,rest,Y,1,2\n0,1,vip,X,1,1\n0,1,vip,Y,0,1\n"
	if plain.String() != want {
		t.Errorf("got\n%s\nwant\n%s", plain.String(), want)
	}
	if err := WriteSegmentsCSV(&dated, []*model.Series{s}, TableOptions{Dates: []string{"2011-01-21", "2011-01-28"}, Scale: 1000}); err != nil {
		t.Fatal(err)
	}
	want = "replicate,step,date,segment,platform,users,registered,users_people,registered_people\n" +
		"0,0,2011-01-21,rest,X,1,1,1000,1000\n0,0,2011-01-21,rest,Y,0,2,0,2000\n0,0,2011-01-21,vip,X,0,0,0,0\n0,0,2011-01-21,vip,Y,1,1,1000,1000\n" +
		"0,1,2011-01-28,rest,X,2,3,2000,3000\n0,1,2011-01-28,rest,Y,1,2,1000,2000\n0,1,2011-01-28,vip,X,1,1,1000,1000\n0,1,2011-01-28,vip,Y,0,1,0,1000\n"
	if dated.String() != want {
		t.Errorf("with dates and scale, got\n%s\nwant\n%s", dated.String(), want)
	}
}
