package model

// Series is one run's record: for every step t in [0, Steps] and platform j, the entry at
// index t*len(Platforms)+j. Step 0 is the initial state after step-0 interventions.
type Series struct {
	Platforms []string
	Agents    int
	Steps     int

	Users       []int64 // active users: agents using the platform at the end of the step
	Registered  []int64 // agents that have ever had the platform (a preinstall counts)
	NewUsers    []int64 // agents that started using it during the step
	Leavers     []int64 // agents that stopped using it during the step
	MultiHomers []int64 // its users who also use another platform
	Adopters    []int64 // indexed by step only: agents using at least one platform

	// ActiveWindow is the configured window W (Config.ActiveWindow); WindowedActive, nil
	// unless W > 1, counts the agents that used the platform at some step in (t-W, t].
	ActiveWindow   int
	WindowedActive []int64

	// Market, indexed by step only and nil unless the market grows (Config.Market), counts
	// the agents in the market during the step; without a schedule it is Agents throughout.
	Market []int64

	// Segments names the segments by index (Config.SegmentNames), nil without segments.
	// SegmentUsers and SegmentRegistered hold, for every step, segment and platform, the
	// segment's users and registered agents at index AtSegment(t, g, j); they add up over
	// the segments to Users and Registered.
	Segments          []string
	SegmentAgents     []int64 // agents in each segment, by index
	SegmentUsers      []int64
	SegmentRegistered []int64
}

func newSeries(cfg *Config) *Series {
	np := len(cfg.Platforms)
	names := make([]string, np)
	for j, p := range cfg.Platforms {
		names[j] = p.Name
	}
	cells := (cfg.Steps + 1) * np
	s := &Series{
		Platforms:   names,
		Agents:      cfg.Agents,
		Steps:       cfg.Steps,
		Users:       make([]int64, cells),
		Registered:  make([]int64, cells),
		NewUsers:    make([]int64, cells),
		Leavers:     make([]int64, cells),
		MultiHomers: make([]int64, cells),
		Adopters:    make([]int64, cfg.Steps+1),
	}
	if cfg.ActiveWindow > 1 {
		s.ActiveWindow = cfg.ActiveWindow
		s.WindowedActive = make([]int64, cells)
	}
	if cfg.Market.Growing() {
		s.Market = make([]int64, cfg.Steps+1)
	}
	if names := cfg.SegmentNames(); names != nil {
		s.Segments = names
		s.SegmentAgents = make([]int64, len(names))
		s.SegmentUsers = make([]int64, cells*len(names))
		s.SegmentRegistered = make([]int64, cells*len(names))
	}
	return s
}

// Growing reports whether the series follows a growing market (Series.Market is set).
func (s *Series) Growing() bool { return s.Market != nil }

// MarketAt is the number of agents in the market at a step: all of them without a schedule.
func (s *Series) MarketAt(step int) int64 {
	if s.Market == nil {
		return int64(s.Agents)
	}
	return s.Market[step]
}

// AtSegment returns the index of (step, segment, platform) in the per-segment slices.
func (s *Series) AtSegment(step, segment, platform int) int {
	return (step*len(s.Segments)+segment)*len(s.Platforms) + platform
}

// Windowed reports whether the series counts windowed actives (an active window above 1).
func (s *Series) Windowed() bool { return s.WindowedActive != nil }

// At returns the index of (step, platform) in the per-platform slices.
func (s *Series) At(step, platform int) int { return step*len(s.Platforms) + platform }

// Share returns platform j's share of all platform memberships at a step: users_j / sum_k users_k,
// so shares over adopters sum to 1 (a multi-homer counts once per platform). Zero when nobody
// uses anything.
func (s *Series) Share(step, platform int) float64 {
	var total int64
	for k := range s.Platforms {
		total += s.Users[s.At(step, k)]
	}
	if total == 0 {
		return 0
	}
	return float64(s.Users[s.At(step, platform)]) / float64(total)
}
