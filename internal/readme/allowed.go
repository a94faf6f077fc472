package readme

// Allowed are the figures README's prose may show outside marked blocks, each with where it
// comes from: published data, citations, constants of the code, tests' tolerances, and
// measurements too slow or machine-bound for readmegen (the command that measured them is
// given). A figure is matched as written ("290", "25%"), wherever it appears; the test fails
// on a figure that is neither here nor in a block, and on an entry README no longer uses.
var Allowed = map[string]string{
	// Published figures: data/adoption/china_messengers_2011_2015.csv and its sources.
	"2011": "WeChat's launch year; data/adoption/china_messengers_2011_2015.csv",
	"2013": "data/adoption/china_messengers_2011_2015.csv (WeChat's MAU of September 2013; Laiwang)",
	"230":  "data/adoption/china_messengers_2011_2015.csv: WeChat's ~230M MAU, September 2013",
	"300":  "data/adoption/china_messengers_2011_2015.csv: WeChat's 300M registered, January 2013",
	"50":   "data/adoption/china_messengers_2011_2015.csv (~50M WeChat users, end of 2011); also the 50% of time_to_10/50/90 (output/summary.go)",
	"318":  "data/adoption/china_messengers_2011_2015.csv: CNNIC's 318M mobile internet users, June 2011 (README's market example)",
	"500":  "data/adoption/china_messengers_2011_2015.csv: CNNIC's 500M mobile internet users, December 2013 (README's market example)",

	"194": "data/adoption/china_messengers_2011_2015.csv: WeChat's 194M MAU, March 2013",
	// Dates of the story (scenarios/laiwang_vs_wechat.yaml, with their sources there).
	"21": "WeChat's launch on 21 January 2011 (the default scenario's start); Alibaba's staff push from 21 October 2013",
	"30": "the default scenario's horizon, 30 June 2014; the end of Alibaba's staff push, 30 November 2013",
	"16": "China Telecom's preinstall from 16 September 2013 (Reuters, 2013-09-18); also internal/strict/file.go: MaxYAMLBytes, 16 MiB; 2^16, the uint16 widths of neighbour counts (model.narrowCounts) and steps of use (model.startInvestment)",

	// The stylised duel, scenarios/preinstall_duel.yaml: launch and intervention weeks.
	"52":     "scenarios/preinstall_duel.yaml: platforms.laiwang.launch",
	"143":    "cmd/msgsim/main.go: 128 + SIGTERM's 15",
	"25,000": "README's market example: people per agent, as in scenarios/preinstall_duel.yaml's scale",
	"50,000": "sweeps/story_levers.yaml: set scale=50000",

	// Constants of the code.
	"1.26": "go.mod: go 1.26",
	"5%":   "the 5-95% bands: output/ (bands.csv, summary.json p5/p95)",
	"95%":  "the 5-95% bands: output/ (bands.csv, summary.json p5/p95)",
	"10":   "summary.json's time_to_10/50/90 (output/summary.go)",
	"90%":  "summary.json's time_to_10/50/90 (output/summary.go)",
	"128":  "cmd/msgsim/main.go: an interrupted command exits 128 + the signal's number",
	"129":  "cmd/msgsim/main.go: 128 + SIGHUP's 1",
	"130":  "cmd/msgsim/main.go: 128 + SIGINT's 2 (Ctrl-C)",
	"20":   "cmd/msgsim/sweep.go, printSweepDryRun: the dry run's probe runs min(steps, 20) steps; output/chart/panels.go: smallRatio (1/20)",
	"4096": "cmd/msgsim/root.go: maxWorkers",
	"256":  "internal/strict/file.go: MaxCSVBytes, 256 MiB",
	"1000": "scenarios/schema.go: MaxInterventions",
	"64":   "internal/strict/label.go: MaxLabelBytes",
	"24":   "model/graph/edgelist.go: BytesPerLine",

	// Tests' tolerances and cases.
	"1.5":  "model/engine_test.go: the Bass run within 0.015 of the closed form",
	"0.18": "model/engine_test.go, TestWattsCascadeWindow: phi",
	"12":   "model/engine_test.go, TestWattsCascadeWindow: mean degree 12",

	// Citations: author (year), as in the text.
	"1969": "citation: Bass (1969)",
	"1985": "citation: Katz & Shapiro (1985)",
	"1993": "citation: Blume (1993)",
	"1999": "citation: Jansen (1999)",
	"2001": "citation: Goldenberg, Libai & Muller (2001)",
	"2002": "citation: Watts (2002)",
	"2007": "citation: Campolongo et al. (2007); Farrell & Klemperer (2007)",
	"2010": "citation: Saltelli et al. (2010)",
	"2014": "citation: Kreindler & Young (2014)",
	"2016": "citation: Hansen (2016)",
	"2017": "citation: Kwakkel (2017)",

	// "Memory": the sizes of the speed table's memory rows (readmegen -speed).
	"1e7": "a run of 1e7 agents, mean degree 10 (also the bench table's size)",
	"3e8": "a run of 3e8 agents, mean degree 6: China's 2013 mobile internet population, 1:1",
	"26":  "2^26: model.redrawThresholdsFrom (agents) and the directed edges above which a run hands the build's memory back (model.NewSimulation)",
	"32":  "2^32: the directed edges up to which row offsets are uint32 (graph.MaxNarrowEdges, 2^32-1)",

	// "Agent-level output": run --agents's memory per agent and replicate (model.AgentHistoryBytes,
	// output.AgentRowBytes), and its measure: maximum resident set of msgsim run laiwang_vs_wechat
	// --set agents=200000 --set replicates=8 --set steps=60 --workers 2 --format csv, with and
	// without --agents, against the difference of their --dry-run estimates.
	"17":      "model.AgentHistoryBytes: 17 + 12 P bytes per agent",
	"88":      "output.AgentRowBytes: 88 + 24 P bytes per row",
	"48":      "output.AgentRowBytes: 48 P bytes of dates per row with a calendar",
	"153":     "model.AgentHistoryBytes(2) + output.AgentRowBytes(2, false, false)",
	"200,000": "the run --agents memory measure: 200,000 agents",
	"242":     "the run --agents memory measure: 338,848 KB - 90,992 KB peak resident set, 242 MiB",
	"233":     "the run --agents memory measure: --dry-run's 267.1 MiB - 33.6 MiB",
}
