package output

import (
	"bytes"
	"strings"
	"testing"
)

// TestMarketColumns: with a growing market, series.csv gives each step's market and each
// platform's penetration (users / market) after the counts, and the market in people at the
// end; bands.csv the market once (it is the same in every replicate) and the penetration's
// mean and band. Without a market the tables keep their columns (TestWriteSeriesCSV).
func TestMarketColumns(t *testing.T) {
	t.Parallel()
	runs := csvRuns()
	for _, run := range runs {
		run.Market = []int64{4, 5}
	}
	table := TableOptions{Dates: []string{"2011-01-21", "2011-01-28"}, Scale: 10}
	var series bytes.Buffer
	if err := WriteSeriesCSV(&series, runs, table); err != nil {
		t.Fatal(err)
	}
	want := `replicate,step,date,platform,users,registered,share,new_users,leavers,multi_homers,adopters,market,penetration,users_people,registered_people,market_people
0,0,2011-01-21,X,0,1,0.000000,0,0,0,0,4,0.000000,0,10,40
0,0,2011-01-21,Y,0,0,0.000000,0,0,0,0,4,0.000000,0,0,40
0,1,2011-01-28,X,1,2,0.333333,1,0,1,2,5,0.200000,10,20,50
0,1,2011-01-28,Y,2,3,0.666667,2,0,1,2,5,0.400000,20,30,50
1,0,2011-01-21,X,3,3,0.750000,3,0,1,3,4,0.750000,30,30,40
1,0,2011-01-21,Y,1,1,0.250000,1,0,1,3,4,0.250000,10,10,40
1,1,2011-01-28,X,0,3,0.000000,0,3,0,4,5,0.000000,0,30,50
1,1,2011-01-28,Y,4,5,1.000000,3,0,0,4,5,0.800000,40,50,50
`
	if series.String() != want {
		t.Errorf("series.csv:\n%s\nwant:\n%s", series.String(), want)
	}
	var bands bytes.Buffer
	if err := WriteBandsCSV(&bands, runs, table); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(bands.String(), "\n")
	if want := ",share_p95,market,penetration_mean,penetration_p5,penetration_p95,users_people_mean"; !strings.Contains(lines[0], want) || !strings.HasSuffix(lines[0], ",registered_people_p95,market_people") {
		t.Errorf("bands header %q: want %q inside and market_people last", lines[0], want)
	}
	if want := ",5,0.100000,0.000000,0.200000,"; !strings.HasPrefix(lines[3], "1,2011-01-28,X,") || !strings.Contains(lines[3], want) || !strings.HasSuffix(lines[3], ",50") {
		t.Errorf("bands row %q: want step 1 of X with market 5, penetration 0.1 (0 to 0.2) and 50 people in the market", lines[3])
	}
}
