package evaluate

import (
	"encoding/json"
	"testing"

	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/scenarios"
)

func TestRecordTable(t *testing.T) {
	// Three replicates of wechat's users at step 2: 10, 30 and 20 agents; registered adds 100.
	// At 1,000 people per agent: users 10,000 to 30,000 (mean 20,000), registered 110,000 to
	// 130,000 (mean 120,000). With three values the empirical 5% and 95% quantiles are the
	// smallest and the largest.
	runs := []*model.Series{
		usersSeries([]string{"wechat", "laiwang"}, [][]int64{{0, 0}, {5, 1}, {10, 2}}),
		usersSeries([]string{"wechat", "laiwang"}, [][]int64{{0, 0}, {5, 1}, {30, 2}}),
		usersSeries([]string{"wechat", "laiwang"}, [][]int64{{0, 0}, {5, 1}, {20, 2}}),
	}
	rec := &scenarios.Record{Figures: []scenarios.Figure{
		{Date: "2011-02-04", Step: 2, Platform: 0, Metric: "mau", Series: "windowed_active", Millions: 0.025},
		{Date: "2011-02-04", Step: 2, Platform: 0, Metric: "registered", Series: "registered", Millions: 0.1},
		{Step: 0, Platform: 1, Metric: "registered", Series: "active", Millions: 0},
	}}
	got, err := json.Marshal(RecordTable(rec, runs, 1000))
	if err != nil {
		t.Fatal(err)
	}
	want := `[` +
		// (20,000 - 25,000) / 25,000; no window, so windowed actives are actives.
		`{"date":"2011-02-04","step":2,"platform":"wechat","metric":"mau","series":"windowed_active","record":25000,"model_mean":20000,"model_p5":10000,"model_p95":30000,"relative_error":-0.2,"in_band":true},` +
		// (120,000 - 100,000) / 100,000, below the band.
		`{"date":"2011-02-04","step":2,"platform":"wechat","metric":"registered","series":"registered","record":100000,"model_mean":120000,"model_p5":110000,"model_p95":130000,"relative_error":0.2,"in_band":false},` +
		// A record of 0 has no relative error; 0 lies in the band [0, 0].
		`{"step":0,"platform":"laiwang","metric":"registered","series":"active","record":0,"model_mean":0,"model_p5":0,"model_p95":0,"relative_error":null,"in_band":true}]`
	if string(got) != want {
		t.Errorf("record table\n got %s\nwant %s", got, want)
	}
}
