package model

// The values of each enumerated field, in documentation order: the one list that scenario
// validation, the JSON Schema of scenario files, command flags and shell completion take
// their words from.
var (
	// Rules lists the decision rules.
	Rules = []Rule{RuleLogit, RuleThreshold, RuleBass}
	// Updates lists the update schemes.
	Updates = []Update{Synchronous, RandomSequential}
	// Benefits lists the network benefit measures.
	Benefits = []Benefit{BenefitFraction, BenefitCount}
	// Contagions lists the contagion forms.
	Contagions = []Contagion{ContagionFraction, ContagionIndependent}
	// DistributionKinds lists the threshold distributions.
	DistributionKinds = []DistributionKind{DistConstant, DistUniform, DistNormal}
	// EventKinds lists the intervention kinds.
	EventKinds = []EventKind{EventSeed, EventPreinstall, EventMarketing, EventBan}
	// Targets lists the ways an event picks its agents.
	Targets = []Target{TargetRandom, TargetTopDegree, TargetBlock}
)

// Names returns enumerated values as plain strings, for messages and flags.
func Names[E ~string](values []E) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
