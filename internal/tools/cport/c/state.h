// state.h: the C port's state (model/engine.go Simulation, platformNow; model/counts.go
// blockResult) and the market file's reader, included by cport.c after its constants.

typedef struct {
	int64_t launch;
	double appeal, p, q, network_weight, churn, switching_cost, investment_rate;
} platform;

typedef struct {
	int launched;
	double appeal, network_weight, p, q, churn, switching_cost;
	float investment_rate;
} platform_now;

typedef struct {
	int32_t agent;
	uint8_t old, set;
} change;

typedef struct {
	int64_t users[MAX_PLATFORMS], registered[MAX_PLATFORMS], multi_homers[MAX_PLATFORMS];
	int64_t adopters;
} levels;

typedef struct {
	change *changes;
	int64_t nchanges;
	int64_t new_users[MAX_PLATFORMS], leavers[MAX_PLATFORMS], moved[MAX_PLATFORMS];
	levels lv;
} block_result;

enum rule { RULE_THRESHOLD, RULE_LOGIT };

typedef struct {
	int64_t n, edges;
	int np, threads;
	enum rule rule;
	uint64_t seed, decide_purpose, threshold_purpose;
	double temperature, revision_rate, multi_homing_cost, threshold_min, threshold_max;
	platform platforms[MAX_PLATFORMS];
	double choice_exp_table[CHOICE_EXP_SIZE + 2];
	int64_t *offsets;
	int32_t *neighbors;

	int64_t step;
	uint8_t *active, *aware, *registered;
	uint8_t *stale; // NULL unless the rule is threshold
	float *investment, *theta;
	int32_t *counts;
	int64_t totals[MAX_PLATFORMS];
	levels lv;
	platform_now now[MAX_PLATFORMS];
	uint8_t launched, prev_launched, churning;
	int64_t nblocks;
	block_result *results;
} sim;

// view is what the decisions read, copied into a local for each block of agents: C lets a
// uint8_t store (a decision writes aware, stale, active, registered) alias any object a
// pointer reaches, so fields read through sim would be reloaded after every such store; a
// local whose address does not escape cannot be aliased.
typedef struct {
	int np;
	enum rule rule;
	uint8_t launched, churning;
	double temperature, revision_rate, multi_homing_cost;
	platform_now now[MAX_PLATFORMS];
	const double *restrict choice_exp_table;
	const int64_t *restrict offsets;
	const int32_t *restrict counts;
	const float *restrict theta;
	float *restrict investment;
	uint8_t *restrict active, *restrict aware, *restrict registered;
	uint8_t *restrict stale; // NULL unless the rule is threshold
} view;

static view view_of(const sim *s) {
	view v = {
		.np = s->np, .rule = s->rule, .launched = s->launched, .churning = s->churning,
		.temperature = s->temperature, .revision_rate = s->revision_rate, .multi_homing_cost = s->multi_homing_cost,
		.choice_exp_table = s->choice_exp_table, .offsets = s->offsets, .counts = s->counts, .theta = s->theta,
		.investment = s->investment, .active = s->active, .aware = s->aware, .registered = s->registered,
		.stale = s->stale,
	};
	memcpy(v.now, s->now, sizeof v.now);
	return v;
}

static void die(const char *msg) {
	fprintf(stderr, "cport: %s\n", msg);
	exit(1);
}

static void *alloc(size_t count, size_t size) {
	void *p = calloc(count ? count : 1, size);
	if (!p) {
		die("out of memory");
	}
	return p;
}

static void read_exact(FILE *f, void *dst, size_t size, size_t count) {
	if (fread(dst, size, count, f) != count) {
		die("market file: short read");
	}
}

static uint64_t read_u64(FILE *f) {
	uint64_t x;
	read_exact(f, &x, sizeof x, 1);
	return x;
}

static double read_f64(FILE *f) {
	double x;
	read_exact(f, &x, sizeof x, 1);
	return x;
}

// read_market reads the file written by the Go side's dump (little-endian, as this host:
// checked in main): see market.go for the layout.
static void read_market(sim *s, const char *path) {
	FILE *f = fopen(path, "rb");
	if (!f) {
		die("cannot open the market file");
	}
	char magic[8];
	read_exact(f, magic, 1, sizeof magic);
	if (memcmp(magic, "CPORTv1\n", 8) != 0) {
		die("not a market file (bad magic)");
	}
	s->n = (int64_t)read_u64(f);
	s->edges = (int64_t)read_u64(f);
	s->seed = read_u64(f);
	s->decide_purpose = read_u64(f);
	s->threshold_purpose = read_u64(f);
	s->np = (int)read_u64(f);
	if (s->np < 1 || s->np > MAX_PLATFORMS) {
		die("market file: bad platform count");
	}
#ifdef PLATFORMS
	if (s->np != PLATFORMS) {
		die("market file: the platform count differs from the PLATFORMS this port was built for");
	}
#endif
	s->temperature = read_f64(f);
	s->revision_rate = read_f64(f);
	s->multi_homing_cost = read_f64(f);
	s->threshold_min = read_f64(f);
	s->threshold_max = read_f64(f);
	for (int j = 0; j < s->np; j++) {
		platform *p = &s->platforms[j];
		p->launch = (int64_t)read_u64(f);
		p->appeal = read_f64(f);
		p->p = read_f64(f);
		p->q = read_f64(f);
		p->network_weight = read_f64(f);
		p->churn = read_f64(f);
		p->switching_cost = read_f64(f);
		p->investment_rate = read_f64(f);
	}
	if (read_u64(f) != CHOICE_EXP_SIZE + 2) {
		die("market file: choice table size differs from CHOICE_EXP_SIZE + 2");
	}
	read_exact(f, s->choice_exp_table, sizeof(double), CHOICE_EXP_SIZE + 2);
	s->offsets = alloc((size_t)s->n + 1, sizeof *s->offsets);
	s->neighbors = alloc((size_t)s->edges, sizeof *s->neighbors);
	read_exact(f, s->offsets, sizeof *s->offsets, (size_t)s->n + 1);
	read_exact(f, s->neighbors, sizeof *s->neighbors, (size_t)s->edges);
	if (s->offsets[s->n] != s->edges) {
		die("market file: offsets do not end at the edge count");
	}
	fclose(f);
}
