package readme

import "testing"

// The record table rounds people as README does, signs the miss, counts the figures within
// 20% and inside the band, and leaves out the launch's zero.
func TestRecordTable(t *testing.T) {
	summary := `{"record": [
	  {"date": "2011-01-21", "platform": "wechat", "metric": "registered", "series": "registered", "record": 0, "model_mean": 0, "model_p5": 0, "model_p95": 0, "relative_error": null, "in_band": true},
	  {"date": "2011-12-31", "platform": "wechat", "metric": "registered", "series": "registered", "record": 50e6, "model_mean": 61.3e6, "model_p5": 58e6, "model_p95": 64.2e6, "relative_error": 0.226, "in_band": false},
	  {"date": "2013-09-23", "platform": "laiwang", "metric": "registered", "series": "registered", "record": 1e6, "model_mean": 0.93e6, "model_p5": 0.8e6, "model_p95": 1.1e6, "relative_error": -0.07, "in_band": true},
	  {"date": "2013-09-30", "platform": "wechat", "metric": "mau", "series": "windowed_active", "record": 271.9e6, "model_mean": 295.5e6, "model_p5": 290e6, "model_p95": 301e6, "relative_error": 0.0868, "in_band": false}
	]}`
	got, err := RecordTable([]byte(summary))
	if err != nil {
		t.Fatal(err)
	}
	want := `
| date | published figure | record | model: mean (5-95%) | miss |
|---|---|---|---|---|
| 2011-12-31 | wechat registered (against registered) | 50M | 61M (58M-64M) | +23% |
| 2013-09-23 | laiwang registered (against registered) | 1.0M | 0.9M (0.8M-1.1M) | -7% |
| 2013-09-30 | wechat mau (against windowed active) | 272M | 296M (290M-301M) | +9% |
`
	if got["story-record"] != want {
		t.Errorf("story-record:\n%s\nwant\n%s", got["story-record"], want)
	}
	if want := "2 of 3 figures within 20% of the model's mean, 1 inside its 5-95% band"; got["story-in-band"] != want {
		t.Errorf("story-in-band = %q, want %q", got["story-in-band"], want)
	}
	if _, err := RecordTable([]byte(`{"record": []}`)); err == nil {
		t.Error("a summary without record figures gave a table")
	}
}

// The levers table is summary.md's ranking, as written.
func TestLeversTable(t *testing.T) {
	summary := "# S\n\n## What matters most\n\n| rank | factor | measure | value |\n|---|---|---|---|\n| 1 | `a` | total Sobol index | 0.9 |\n\n## Files\n"
	got, err := LeversTable([]byte(summary))
	if err != nil {
		t.Fatal(err)
	}
	if want := "\n| rank | factor | measure | value |\n|---|---|---|---|\n| 1 | `a` | total Sobol index | 0.9 |\n"; got["story-levers"] != want {
		t.Errorf("story-levers = %q, want %q", got["story-levers"], want)
	}
	if _, err := LeversTable([]byte("# S\n")); err == nil {
		t.Error("a summary without the ranking gave a table")
	}
}
