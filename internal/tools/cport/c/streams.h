// streams.h: the ports of model/rng.go (counter-based streams) and model/fastexp.go (the
// exponentials of the decisions), included by cport.c after its constants.

// ---- model/rng.go ----

static inline uint64_t mix64(uint64_t z) {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t step_key(uint64_t seed, uint64_t purpose, int64_t step) {
	return mix64(seed ^ purpose ^ mix64((uint64_t)step + GOLDEN));
}

typedef struct { uint64_t state; } stream;

static inline stream new_stream(uint64_t key, int64_t agent) {
	stream s = {mix64(key ^ ((uint64_t)agent + 1) * 0xd1342543de82ef95ULL)};
	return s;
}

static inline uint64_t stream_next(stream *s) {
	s->state += GOLDEN;
	return mix64(s->state);
}

static inline double stream_float(stream *s) {
	return (double)(stream_next(s) >> 11) * 0x1p-53;
}

// ---- model/fastexp.go ----

static inline double exp_non_positive(double x) {
	if (x < -708) {
		return 0;
	}
	int64_t k = (int64_t)(x * 0x1.71547652b82fep+0 - 0.5); // math.Log2E
	double r = x - (double)k * 0x1.62e42fefa39efp-1;      // math.Ln2
	double r2 = r * r;
	double p = (1 + r) + r2 * (1.0 / 2 + r * (1.0 / 6)) + r2 * r2 * ((1.0 / 24 + r * (1.0 / 120)) + r2 * (1.0 / 720));
	uint64_t bits = (uint64_t)(k + 1023) << 52;
	double scale;
	memcpy(&scale, &bits, sizeof scale);
	return p * scale;
}

// choice_exp reads the table the Go side dumped: Go's math.Exp and glibc's exp differ in the
// last bit on 559 of its 4098 entries.
static inline double choice_exp(const double *restrict table, double z) {
	if (z < CHOICE_EXP_MIN) {
		return 0;
	}
	double f = z * (CHOICE_EXP_SIZE / CHOICE_EXP_MIN);
	int i = (int)f;
	return table[i] + (f - (double)i) * (table[i + 1] - table[i]);
}
