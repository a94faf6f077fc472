package readme

import "testing"

func TestCompareTable(t *testing.T) {
	out := "1 run against the baseline a (S, 3 weeks):\nRUN  PLATFORM\na    x\nresults in /tmp/scratch/compare\n"
	got, err := CompareTable(out)
	if err != nil {
		t.Fatal(err)
	}
	want := "\n```text\n$ " + CompareCommand + "\n1 run against the baseline a (S, 3 weeks):\nRUN  PLATFORM\na    x\n```\n"
	if got["compare-laiwang-2011"] != want {
		t.Errorf("block %q, want %q", got["compare-laiwang-2011"], want)
	}
	if _, err := CompareTable("results in out/compare\n"); err == nil {
		t.Error("no table, no error")
	}
}
