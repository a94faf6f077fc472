package model

import (
	"math"

	"github.com/msgsim/msgsim/internal/streams"
)

// Randomness in the engine is counter-based: every draw is a pure function of (seed, purpose,
// step, agent, draw number). So a run's output does not depend on how agents are split across
// goroutines, nor on the order blocks finish, which is what makes results byte-identical on 1 or
// 16 cores (the approach of Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3",
// here with the SplitMix64 finaliser of Steele, Lea & Flood 2014 as the mixing function).

// Purposes, which keep the streams of different uses of one (step, agent) pair apart, are
// in internal/streams with every other random-stream purpose of msgsim.

const golden = 0x9e3779b97f4a7c15 // 2^64 / phi, SplitMix64's increment

// mix64 is SplitMix64's finaliser: a bijection on uint64 with full avalanche.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// DeriveSeed hashes a master seed and a list of indices (replicate, sweep point, ...) into a
// new seed. Hashing rather than adding keeps derived streams far apart even for adjacent inputs.
func DeriveSeed(master uint64, indices ...uint64) uint64 {
	s := mix64(master ^ streams.Replicate)
	for _, i := range indices {
		s = mix64(s ^ mix64(i+golden))
	}
	return s
}

// stepKey is the part of a stream's key shared by all agents in one step.
func stepKey(seed, purpose uint64, step int) uint64 {
	return mix64(seed ^ purpose ^ mix64(uint64(step)+golden))
}

// stream is a short SplitMix64 sequence private to one (step, agent) pair.
type stream struct{ state uint64 }

func newStream(key uint64, agent int) stream {
	return stream{state: mix64(key ^ (uint64(agent)+1)*0xd1342543de82ef95)}
}

func (s *stream) next() uint64 {
	s.state += golden
	return mix64(s.state)
}

// float returns a uniform float64 in [0, 1).
func (s *stream) float() float64 {
	return float64(s.next()>>11) * (1.0 / (1 << 53))
}

// nextRange is the range of stayBounds that the draw float would return next falls in,
// without taking it: the draw's top 8 bits, int(float() x stayBuckets) exactly (the draw is
// the 53 bits x>>11 over 2^53, and scaling by a power of two is exact), without a
// conversion to or from float64.
func (s *stream) nextRange() uint8 {
	return uint8(mix64(s.state+golden) >> (64 - stayBucketBits))
}

// normal returns a standard normal draw (Box-Muller; one of the pair is discarded to keep each
// draw a pure function of the stream position).
func (s *stream) normal() float64 {
	u1 := 1 - s.float() // in (0, 1], so the log is finite
	u2 := s.float()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}
