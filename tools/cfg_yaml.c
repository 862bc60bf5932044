// SPDX-License-Identifier: GPL-2.0
/* YAML front end: reads system and cell configs into the model, with positions. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "cfgtool.h"

struct yctx {
	yaml_document_t doc;
	const char *file;
	struct diag *d;
};

struct yfield {
	const char *key;
	int required;
};

static struct loc yloc(struct yctx *c, yaml_node_t *n)
{
	struct loc l = { c->file, (int)n->start_mark.line + 1,
			 (int)n->start_mark.column + 1 };
	return l;
}

static yaml_node_t *ynode(struct yctx *c, int index)
{
	return yaml_document_get_node(&c->doc, index);
}

static const char *ytype_name(yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "single value";
	case YAML_SEQUENCE_NODE:
		return "list";
	case YAML_MAPPING_NODE:
		return "mapping";
	default:
		return "empty node";
	}
}

/* The scalar's text, or NULL (with an error) for other nodes. */
static const char *yscalar(struct yctx *c, yaml_node_t *n, const char *what)
{
	struct loc at = yloc(c, n);
	const char *s;

	if (n->type != YAML_SCALAR_NODE) {
		diag_error(c->d, &at, "%s must be a single value, not a %s",
			   what, ytype_name(n));
		return NULL;
	}
	s = (const char *)n->data.scalar.value;
	if (strlen(s) != n->data.scalar.length) {
		diag_error(c->d, &at, "%s contains a NUL character", what);
		return NULL;
	}
	return s;
}

/* "key:" with nothing after it (or ~, null): YAML's null. */
static int yis_null(yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;

	return n->type == YAML_SCALAR_NODE &&
	       n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!*s || !strcmp(s, "~") || !strcmp(s, "null") ||
		!strcmp(s, "Null") || !strcmp(s, "NULL"));
}

/* A list; an empty "key:" counts as an empty list, without an error. */
static int yis_seq(struct yctx *c, yaml_node_t *n, const char *what)
{
	struct loc at = yloc(c, n);

	if (n->type == YAML_SEQUENCE_NODE)
		return 1;
	if (yis_null(n))
		return 0;
	diag_error(c->d, &at, "%s must be a list (items starting with '- '), "
		   "not a %s", what, ytype_name(n));
	return 0;
}

unsigned int cfg_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int row[64], prev, tmp, best;

	if (la >= 64 || lb >= 64)
		return 64;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

static void yunknown_key(struct yctx *c, yaml_node_t *key, const char *name,
			 const char *what, const struct yfield *fields)
{
	struct loc at = yloc(c, key);
	const char *best = NULL;
	unsigned int dist, best_dist = 3;
	char allowed[512] = "";
	size_t i;

	for (i = 0; fields[i].key; i++) {
		if (fields[i].key[0] == '-')	/* placeholder, not allowed */
			continue;
		dist = cfg_edit_distance(name, fields[i].key);
		if (dist < best_dist && dist <= strlen(fields[i].key) / 2) {
			best = fields[i].key;
			best_dist = dist;
		}
		if (strlen(allowed) + strlen(fields[i].key) + 3 <
		    sizeof(allowed)) {
			strcat(allowed, *allowed ? ", " : "");
			strcat(allowed, fields[i].key);
		}
	}
	if (best)
		diag_error(c->d, &at, "unknown key '%s' in %s; did you mean "
			   "'%s'?", name, what, best);
	else
		diag_error(c->d, &at, "unknown key '%s' in %s (known keys: "
			   "%s)", name, what, allowed);
}

/*
 * Checks that N is a mapping whose keys all appear in FIELDS, each at most
 * once, and that required keys are there. vals[i] receives the value of
 * fields[i].key or NULL. Returns 0 when N is a usable mapping.
 */
static int ymap(struct yctx *c, yaml_node_t *n, const char *what,
		const struct yfield *fields, yaml_node_t **vals)
{
	struct loc at = yloc(c, n);
	yaml_node_pair_t *p;
	yaml_node_t *k;
	const char *name;
	size_t i;

	for (i = 0; fields[i].key; i++)
		vals[i] = NULL;
	if (yis_null(n))
		goto required;		/* an empty "key:" is an empty mapping */
	if (n->type != YAML_MAPPING_NODE) {
		diag_error(c->d, &at, "%s must be a mapping ('key: value' "
			   "lines), not a %s", what, ytype_name(n));
		return -1;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		k = ynode(c, p->key);
		name = yscalar(c, k, "a key");
		if (!name)
			continue;
		for (i = 0; fields[i].key; i++)
			if (fields[i].key[0] != '-' &&
			    strcmp(name, fields[i].key) == 0)
				break;
		if (!fields[i].key) {
			yunknown_key(c, k, name, what, fields);
		} else if (vals[i]) {
			at = yloc(c, k);
			diag_error(c->d, &at, "duplicate key '%s' in %s", name,
				   what);
		} else {
			vals[i] = ynode(c, p->value);
		}
	}
required:
	at = yloc(c, n);
	for (i = 0; fields[i].key; i++)
		if (fields[i].required && !vals[i])
			diag_error(c->d, &at, "%s lacks required key '%s'",
				   what, fields[i].key);
	return 0;
}

/* ---- scalar values ---- */

enum yunit { Y_NUMBER, Y_SIZE };

static int parse_u64(const char *s, uint64_t *v, const char **end)
{
	uint64_t x = 0, digit;
	int base = 10, any = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (;; s++) {
		if (*s >= '0' && *s <= '9')
			digit = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			digit = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			digit = *s - 'A' + 10;
		else
			break;
		if (x > (UINT64_MAX - digit) / base)
			return -ERANGE;
		x = x * base + digit;
		any = 1;
	}
	*end = s;
	*v = x;
	return any ? 0 : -EINVAL;
}

static int parse_suffix(const char *s, uint64_t *v)
{
	static const char units[] = "KMGT";
	const char *u;
	int shift;

	if (!*s)
		return 0;
	u = strchr(units, *s >= 'a' ? *s - 32 : *s);
	if (!u || !*u)
		return -EINVAL;
	if (s[1] && strcmp(s + 1, "iB") && strcmp(s + 1, "B"))
		return -EINVAL;
	shift = 10 * (int)(u - units + 1);
	if (*v > (UINT64_MAX >> shift))
		return -ERANGE;
	*v <<= shift;
	return 0;
}

int cfg_parse_size(const char *s, uint64_t *v)
{
	const char *end;
	int err = parse_u64(s, v, &end);

	return err ? err : parse_suffix(end, v);
}

static int yint(struct yctx *c, yaml_node_t *n, const char *what,
		enum yunit unit, uint64_t *out)
{
	const char *s = yscalar(c, n, what), *end;
	struct loc at = yloc(c, n);
	uint64_t value, *v = &value;
	int err;

	if (!s)
		return -1;
	err = parse_u64(s, v, &end);
	if (!err && unit == Y_SIZE)
		err = parse_suffix(end, v);
	else if (!err && *end)
		err = -EINVAL;
	if (err == -ERANGE) {
		diag_error(c->d, &at, "%s '%s' does not fit in 64 bits", what,
			   s);
		return -1;
	}
	if (err && unit == Y_SIZE) {
		diag_error(c->d, &at, "%s must be a size like 4096, 0x1000, "
			   "4K, 2M or 1G, not '%s'", what, s);
		return -1;
	}
	if (err) {
		diag_error(c->d, &at, "%s must be a number (decimal, or hex "
			   "with 0x), not '%s'", what, s);
		return -1;
	}
	*out = value;
	return 0;
}

static int yu32(struct yctx *c, yaml_node_t *n, const char *what,
		uint64_t max, uint32_t *v)
{
	struct loc at = yloc(c, n);
	uint64_t x;

	if (yint(c, n, what, Y_NUMBER, &x))
		return -1;
	if (x > max) {
		diag_error(c->d, &at, "%s 0x%llx is too large (at most "
			   "0x%llx)", what, (unsigned long long)x,
			   (unsigned long long)max);
		return -1;
	}
	*v = (uint32_t)x;
	return 0;
}

static int ybool(struct yctx *c, yaml_node_t *n, const char *what,
		 uint32_t *v)
{
	static const char *const yes[] = { "true", "yes", "on", "True",
					   "TRUE", "Yes", NULL };
	static const char *const no[] = { "false", "no", "off", "False",
					  "FALSE", "No", NULL };
	const char *s = yscalar(c, n, what);
	struct loc at = yloc(c, n);
	int i;

	if (!s)
		return -1;
	for (i = 0; yes[i]; i++)
		if (!strcmp(s, yes[i]))
			return *v = 1, 0;
	for (i = 0; no[i]; i++)
		if (!strcmp(s, no[i]))
			return *v = 0, 0;
	diag_error(c->d, &at, "%s must be true or false, not '%s'", what, s);
	return -1;
}

static int ystr(struct yctx *c, yaml_node_t *n, const char *what, char *buf,
		size_t size)
{
	const char *s = yscalar(c, n, what);
	struct loc at = yloc(c, n);
	size_t i;

	if (!s)
		return -1;
	if (!*s || strlen(s) >= size) {
		diag_error(c->d, &at, "%s must have 1 to %zu characters",
			   what, size - 1);
		return -1;
	}
	for (i = 0; s[i]; i++)
		if (s[i] < 0x20 || s[i] > 0x7e) {
			diag_error(c->d, &at, "%s may hold only printable "
				   "ASCII characters", what);
			return -1;
		}
	strcpy(buf, s);
	return 0;
}

/* Index of S in VALUES, or -1 with an error listing the choices. */
static int yenum(struct yctx *c, yaml_node_t *n, const char *what,
		 const char *const *values)
{
	const char *s = yscalar(c, n, what), *best = NULL;
	unsigned int dist, best_dist = 3;
	struct loc at = yloc(c, n);
	char list[256] = "";
	int i;

	if (!s)
		return -1;
	for (i = 0; values[i]; i++) {
		if (!strcmp(s, values[i]))
			return i;
		if (strlen(list) + strlen(values[i]) + 3 < sizeof(list)) {
			strcat(list, i ? ", " : "");
			strcat(list, values[i]);
		}
		/* "AMD" for "amd": a case slip is always worth suggesting. */
		dist = strcasecmp(s, values[i]) ? cfg_edit_distance(s, values[i])
						 : 0;
		if (dist < best_dist && dist <= strlen(values[i]) / 2) {
			best = values[i];
			best_dist = dist;
		}
	}
	if (best)
		diag_error(c->d, &at, "%s must be one of: %s (not '%s'; did "
			   "you mean '%s'?)", what, list, s, best);
	else
		diag_error(c->d, &at, "%s must be one of: %s (not '%s')", what,
			   list, s);
	return -1;
}

/* Sets BIT in a bitmap of WORD_BITS-bit words; -1 if it was set already. */
static int bitmap_set_once(void *bitmap, int word_bits, uint64_t bit)
{
	uint64_t *w64 = (uint64_t *)bitmap + bit / 64;
	uint32_t *w32 = (uint32_t *)bitmap + bit / 32;

	if (word_bits == 64) {
		if (*w64 >> (bit % 64) & 1)
			return -1;
		*w64 |= 1ull << (bit % 64);
		return 0;
	}
	if (*w32 >> (bit % 32) & 1)
		return -1;
	*w32 |= 1u << (bit % 32);
	return 0;
}

/* "1-3,5" into a bitmap of NBITS; also used for IOAPIC pins. */
static int parse_list_text(struct yctx *c, yaml_node_t *n, const char *s,
			   const char *what, unsigned int nbits, void *bitmap,
			   int word_bits)
{
	struct loc at = yloc(c, n);
	uint64_t lo, hi, i;
	const char *end;

	for (;;) {
		while (*s == ' ')
			s++;
		if (parse_u64(s, &lo, &end))
			goto bad;
		hi = lo;
		s = end;
		while (*s == ' ')
			s++;
		if (*s == '-') {
			s++;
			while (*s == ' ')
				s++;
			if (parse_u64(s, &hi, &end))
				goto bad;
			s = end;
			while (*s == ' ')
				s++;
		}
		if (hi < lo) {
			diag_error(c->d, &at, "%s: range %llu-%llu runs "
				   "backwards", what, (unsigned long long)lo,
				   (unsigned long long)hi);
			return -1;
		}
		if (hi >= nbits) {
			diag_error(c->d, &at, "%s: %llu is beyond the "
				   "maximum %u", what, (unsigned long long)hi,
				   nbits - 1);
			return -1;
		}
		for (i = lo; i <= hi; i++)
			if (bitmap_set_once(bitmap, word_bits, i)) {
				diag_error(c->d, &at, "%s: %llu is listed "
					   "twice; give each once", what,
					   (unsigned long long)i);
				return -1;
			}
		if (!*s)
			return 0;
		if (*s++ != ',')
			goto bad;
	}
bad:
	diag_error(c->d, &at, "%s must be a list like '1', '1-3' or '1-3,5', "
		   "not '%s'", what, (const char *)n->data.scalar.value);
	return -1;
}

/* A scalar list, or a YAML list of numbers and ranges. */
static int yidlist(struct yctx *c, yaml_node_t *n, const char *what,
		   unsigned int nbits, void *bitmap, int word_bits)
{
	yaml_node_item_t *it;
	const char *s;
	int err = 0;

	if (n->type == YAML_SEQUENCE_NODE) {
		for (it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			s = yscalar(c, ynode(c, *it), what);
			if (!s || parse_list_text(c, ynode(c, *it), s, what,
						  nbits, bitmap, word_bits))
				err = -1;
		}
		return err;
	}
	s = yscalar(c, n, what);
	if (!s)
		return -1;
	return parse_list_text(c, n, s, what, nbits, bitmap, word_bits);
}

static int ybdf(struct yctx *c, yaml_node_t *n, const char *what,
		uint32_t *bdf)
{
	const char *s = yscalar(c, n, what);
	struct loc at = yloc(c, n);
	unsigned int seg = 0, bus, dev, fn;
	int used = 0;

	if (!s)
		return -1;
	if (sscanf(s, "%4x:%2x:%2x.%1x%n", &seg, &bus, &dev, &fn, &used) != 4
	    || s[used]) {
		seg = 0;
		used = 0;
		if (sscanf(s, "%2x:%2x.%1x%n", &bus, &dev, &fn, &used) != 3 ||
		    s[used])
			goto bad;
	}
	if (seg || dev > 31 || fn > 7 || strchr(s, '+') || strchr(s, '-') ||
	    strchr(s, ' '))
		goto bad;
	*bdf = bus << 8 | dev << 3 | fn;
	return 0;
bad:
	diag_error(c->d, &at, "%s must be a PCI address like 00:1f.2 "
		   "(bus:device.function, hex, segment 0), not '%s'", what, s);
	return -1;
}

/* ---- memory, ports, devices ---- */

static const struct yfield region_fields[] = {
	{ "name", 0 }, { "phys", 0 }, { "guest", 0 }, { "size", 0 },
	{ "access", 0 }, { "loadable", 0 }, { "shared", 0 },
	{ "comm-page", 0 }, { NULL, 0 }
};
enum { R_NAME, R_PHYS, R_GUEST, R_SIZE, R_ACCESS, R_LOADABLE, R_SHARED,
       R_COMM };

static int yaccess(struct yctx *c, yaml_node_t *n, uint32_t *flags)
{
	static const char *const names[] = { "read", "write", "execute",
					     "dma", "io", NULL };
	static const uint32_t bits[] = { CFG_MEM_READ, CFG_MEM_WRITE,
		CFG_MEM_EXECUTE, CFG_MEM_DMA, CFG_MEM_IO };
	yaml_node_item_t *it;
	int i, err = 0;

	if (!yis_seq(c, n, "access"))
		return -1;
	*flags = 0;
	for (it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		i = yenum(c, ynode(c, *it), "an access flag", names);
		if (i < 0)
			err = -1;
		else
			*flags |= bits[i];
	}
	return err;
}

static int yflag(struct yctx *c, yaml_node_t *n, const char *what,
		 uint32_t bit, uint32_t *flags)
{
	uint32_t on;

	if (!n)
		return 0;
	if (ybool(c, n, what, &on))
		return -1;
	if (on)
		*flags |= bit;
	return 0;
}

static void parse_region_values(struct yctx *c, yaml_node_t *n,
				yaml_node_t **v, int is_root,
				struct cfg_mem_region *r, struct mem_src *src)
{
	struct loc at = yloc(c, n);

	if (v[R_NAME])
		ystr(c, v[R_NAME], "region name", r->name, sizeof(r->name));
	if (v[R_ACCESS])
		yaccess(c, v[R_ACCESS], &r->flags);
	yflag(c, v[R_LOADABLE], "loadable", CFG_MEM_LOADABLE, &r->flags);
	yflag(c, v[R_SHARED], "shared", CFG_MEM_SHARED, &r->flags);
	yflag(c, v[R_COMM], "comm-page", CFG_MEM_COMM_PAGE, &r->flags);
	if (v[R_PHYS]) {
		src->phys = yloc(c, v[R_PHYS]);
		src->has_phys = !yint(c, v[R_PHYS], "phys", Y_NUMBER,
				      &r->phys);
		if (!src->has_phys)
			src->has_phys = -1;	/* error already given */
	}
	if (v[R_GUEST]) {
		src->guest = yloc(c, v[R_GUEST]);
		src->has_guest = !yint(c, v[R_GUEST], "guest", Y_NUMBER,
				       &r->guest);
	}
	if (v[R_SIZE]) {
		src->size = yloc(c, v[R_SIZE]);
		yint(c, v[R_SIZE], "size", Y_SIZE, &r->size);
	}
	if (r->flags & CFG_MEM_COMM_PAGE) {
		if (v[R_PHYS])
			diag_error(c->d, &src->phys, "the comm page is "
				   "provided by the hypervisor: remove 'phys'");
		if (!v[R_SIZE])
			r->size = CFG_PAGE_SIZE;
		if (!v[R_GUEST])
			diag_error(c->d, &at, "a comm-page region needs "
				   "'guest', the address the cell sees it at");
		src->has_phys = 1;	/* nothing to place */
		return;
	}
	if (!v[R_SIZE])
		diag_error(c->d, &at, "a memory region lacks required key "
			   "'size'");
	if (!v[R_PHYS] && is_root)
		diag_error(c->d, &at, "a root-cell memory region lacks "
			   "required key 'phys' (root memory is where Linux "
			   "already runs)");
	else if (!v[R_PHYS] && !v[R_GUEST])
		diag_error(c->d, &at, "a memory region needs 'guest' (where "
			   "the cell sees it) and may give 'phys'; without "
			   "'phys' cellctl places it in the cell pool");
	else if (v[R_PHYS] && !v[R_GUEST] && src->has_phys > 0)
		r->guest = r->phys;	/* identity mapping by default */
}

static void parse_region(struct yctx *c, yaml_node_t *n, int is_root,
			 struct cfg_mem_region *r, struct mem_src *src)
{
	unsigned int errors = c->d->errors;
	struct loc at = yloc(c, n);
	yaml_node_t *v[9];

	src->item = src->phys = src->guest = src->size = at;
	r->flags = CFG_MEM_READ | CFG_MEM_WRITE | CFG_MEM_EXECUTE;
	src->bad = 1;
	if (ymap(c, n, "a memory region", region_fields, v))
		return;
	parse_region_values(c, n, v, is_root, r, src);
	src->bad = c->d->errors != errors;
}

static void parse_pio(struct yctx *c, yaml_node_t *n,
		      struct cfg_pio_range *r, struct loc *src)
{
	const char *s = yscalar(c, n, "a port range"), *end;
	uint64_t lo, hi;

	*src = yloc(c, n);
	if (!s)
		return;
	if (parse_u64(s, &lo, &end))
		goto bad;
	hi = lo;
	if (*end == '-' && parse_u64(end + 1, &hi, &end))
		goto bad;
	if (*end)
		goto bad;
	if (hi < lo || hi > 0xffff) {
		diag_error(c->d, src, "port range '%s' must run upwards "
			   "within 0x0-0xffff", s);
		return;
	}
	r->base = (uint32_t)lo;
	r->length = (uint32_t)(hi - lo + 1);
	return;
bad:
	diag_error(c->d, src, "a port range must look like 0x3f8-0x3ff "
		   "(first-last, inclusive) or 0x80, not '%s'", s);
}

static const struct yfield bar_fields[] = {
	{ "base", 1 }, { "size", 1 }, { NULL, 0 }
};

static void parse_bars(struct yctx *c, yaml_node_t *n,
		       struct cfg_pci_device *d)
{
	yaml_node_item_t *it;
	yaml_node_t *b, *v[2];
	struct loc at;
	int i = 0;

	if (!yis_seq(c, n, "bars"))
		return;
	d->has_bars = 1;
	for (it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++, i++) {
		b = ynode(c, *it);
		at = yloc(c, b);
		if (i == CFG_PCI_BARS) {
			diag_error(c->d, &at, "a PCI device has at most 6 "
				   "BARs");
			return;
		}
		if (b->type == YAML_SCALAR_NODE &&
		    (!strcmp((char *)b->data.scalar.value, "none") ||
		     !b->data.scalar.length))
			continue;
		if (ymap(c, b, "a BAR ('none' or base and size)", bar_fields,
			 v))
			continue;
		if (v[0])
			yint(c, v[0], "BAR base", Y_NUMBER, &d->bar_base[i]);
		if (v[1])
			yint(c, v[1], "BAR size", Y_SIZE, &d->bar_size[i]);
	}
}

static const struct yfield cap_fields[] = {
	{ "id", 1 }, { "offset", 1 }, { "extended", 0 }, { NULL, 0 }
};

static void parse_caps(struct yctx *c, yaml_node_t *n,
		       struct cfg_pci_device *d)
{
	yaml_node_item_t *it;
	yaml_node_t *v[3];
	uint32_t id = 0, off = 0, ext = 0;
	struct loc at;

	if (!yis_seq(c, n, "caps"))
		return;
	for (it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		at = yloc(c, ynode(c, *it));
		if (d->n_caps == CFG_MAX_PCI_CAPS) {
			diag_error(c->d, &at, "a PCI device has at most %d "
				   "capabilities here", CFG_MAX_PCI_CAPS);
			return;
		}
		if (ymap(c, ynode(c, *it), "a capability (id, offset)",
			 cap_fields, v))
			continue;
		if (v[2] && ybool(c, v[2], "extended", &ext))
			continue;
		if (!v[0] || yu32(c, v[0], "capability id", 0xffff, &id))
			continue;
		if (!v[1] || yu32(c, v[1], "capability offset", 0xfff, &off))
			continue;
		if (off & 3 || (ext ? off < 0x100 : off < 0x40 ||
				off > 0xff || id > 0xff)) {
			diag_error(c->d, &at, "capability at 0x%x: standard "
				   "ones sit at 0x40-0xfc, extended ones at "
				   "0x100-0xffc, 4-byte aligned", off);
			continue;
		}
		d->caps[d->n_caps++] = CFG_PCI_CAP(id, off, ext);
	}
}

static const struct yfield pci_fields[] = {
	{ "bdf", 1 }, { "bars", 0 }, { "caps", 0 }, { NULL, 0 }
};

static void parse_pci(struct yctx *c, yaml_node_t *n,
		      struct cfg_pci_device *d, struct loc *src)
{
	yaml_node_t *v[3];

	*src = yloc(c, n);
	if (n->type == YAML_SCALAR_NODE) {
		ybdf(c, n, "a PCI device", &d->bdf);
		return;
	}
	if (ymap(c, n, "a PCI device (its address, or bdf and bars)",
		 pci_fields, v))
		return;
	if (v[0]) {
		*src = yloc(c, v[0]);
		ybdf(c, v[0], "bdf", &d->bdf);
	}
	if (v[1])
		parse_bars(c, v[1], d);
	if (v[2])
		parse_caps(c, v[2], d);
}

static const struct yfield pins_fields[] = {
	{ "ioapic", 1 }, { "pins", 1 }, { NULL, 0 }
};

static void parse_pins(struct yctx *c, yaml_node_t *n,
		       struct cfg_pin_set *s, struct loc *src)
{
	yaml_node_t *v[2];

	*src = yloc(c, n);
	if (ymap(c, n, "an ioapic-pins entry", pins_fields, v))
		return;
	if (v[0])
		yu32(c, v[0], "ioapic (its id)", 0xff, &s->ioapic);
	if (v[1])
		yidlist(c, v[1], "pins", CFG_MAX_IOAPIC_PINS, s->pins, 32);
}

static const struct yfield vdev_fields[] = {
	{ "type", 1 }, { "name", 0 }, { "bdf", 0 }, { "base", 0 },
	{ "size", 0 }, { NULL, 0 }
};

static void parse_vdev(struct yctx *c, yaml_node_t *n, struct cfg_vdev *vd,
		       struct loc *src)
{
	static const char *const types[] = CFG_VDEV_TYPES;
	yaml_node_t *v[5];
	int t;

	*src = yloc(c, n);
	if (ymap(c, n, "a virtual device", vdev_fields, v))
		return;
	if (v[0] && (t = yenum(c, v[0], "virtual device type", types)) >= 0)
		vd->type = t;
	if (v[1])
		ystr(c, v[1], "virtual device name", vd->name,
		     sizeof(vd->name));
	if (v[2] && !ybdf(c, v[2], "bdf", &vd->bdf))
		vd->has |= CFG_VDEV_HAS_BDF;
	if (v[3] && !yint(c, v[3], "base", Y_NUMBER, &vd->base))
		vd->has |= CFG_VDEV_HAS_BASE;
	if (v[4] && !yint(c, v[4], "size", Y_SIZE, &vd->size))
		vd->has |= CFG_VDEV_HAS_SIZE;
}

/*
 * Walks a list into a bounded array; items beyond MAX are reported once,
 * naming the limit the hypervisor enforces.
 */
#define YLIST(c, n, what, max, count, parse_item)			\
	do {								\
		yaml_node_item_t *it_;					\
		struct loc at_;						\
		if (!yis_seq(c, n, what))				\
			break;						\
		for (it_ = (n)->data.sequence.items.start;		\
		     it_ < (n)->data.sequence.items.top; it_++) {	\
			yaml_node_t *item_ = ynode(c, *it_);		\
			if ((count) >= (max)) {				\
				at_ = yloc(c, item_);			\
				diag_error((c)->d, &at_, "too many "	\
					   "entries in %s: the "	\
					   "hypervisor accepts at "	\
					   "most %d", what, max);	\
				break;					\
			}						\
			parse_item;					\
			(count)++;					\
		}							\
	} while (0)

/* ---- cells ---- */

static const struct yfield cell_fields[] = {
	{ "kind", 1 }, { "name", 1 }, { "cpus", 1 }, { "entry", 0 },
	{ "console", 0 }, { "memory", 0 }, { "pio", 0 },
	{ "pci-devices", 0 }, { "ioapic-pins", 0 },
	{ "virtual-devices", 0 }, { NULL, 0 }
};
enum { C_KIND, C_NAME, C_CPUS, C_ENTRY, C_CONSOLE, C_MEMORY, C_PIO, C_PCI,
       C_PINS, C_VDEVS, C_NFIELDS };

static const struct yfield root_fields[] = {
	{ "-", 0 }, { "name", 0 }, { "cpus", 1 }, { "-", 0 }, { "-", 0 },
	{ "memory", 0 }, { "pio", 0 }, { "pci-devices", 0 },
	{ "ioapic-pins", 0 }, { "-", 0 }, { NULL, 0 }
};

static void parse_cell_lists(struct yctx *c, yaml_node_t **v, int is_root,
			     struct cfg_cell *cell, struct cell_src *src)
{
	if (v[C_MEMORY])
		YLIST(c, v[C_MEMORY], "memory", CFG_MAX_MEM_REGIONS,
		      cell->n_mem,
		      parse_region(c, item_, is_root,
				   &cell->mem[cell->n_mem],
				   &src->mem[cell->n_mem]));
	if (v[C_PIO])
		YLIST(c, v[C_PIO], "pio", CFG_MAX_PIO_RANGES, cell->n_pio,
		      parse_pio(c, item_, &cell->pio[cell->n_pio],
				&src->pio[cell->n_pio]));
	if (v[C_PCI])
		YLIST(c, v[C_PCI], "pci-devices", CFG_MAX_PCI_DEVICES,
		      cell->n_pci,
		      parse_pci(c, item_, &cell->pci[cell->n_pci],
				&src->pci[cell->n_pci]));
	if (v[C_PINS])
		YLIST(c, v[C_PINS], "ioapic-pins", CFG_MAX_PIN_SETS,
		      cell->n_pin_sets,
		      parse_pins(c, item_,
				 &cell->pin_sets[cell->n_pin_sets],
				 &src->pins[cell->n_pin_sets]));
	if (v[C_VDEVS])
		YLIST(c, v[C_VDEVS], "virtual-devices", CFG_MAX_VDEVS,
		      cell->n_vdevs,
		      parse_vdev(c, item_, &cell->vdevs[cell->n_vdevs],
				 &src->vdev[cell->n_vdevs]));
}

/* Where KEY of mapping N stands: a message about the key points there. */
static struct loc ykey_loc(struct yctx *c, yaml_node_t *n, const char *key)
{
	yaml_node_pair_t *p;
	yaml_node_t *k;

	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		k = ynode(c, p->key);
		if (k->type == YAML_SCALAR_NODE &&
		    !strcmp((const char *)k->data.scalar.value, key))
			return yloc(c, k);
	}
	return yloc(c, n);
}

static void parse_cell(struct yctx *c, yaml_node_t *n, int is_root,
		       struct cfg_cell *cell, struct cell_src *src)
{
	yaml_node_t *v[C_NFIELDS];
	uint32_t console;

	src->item = src->name = src->cpus = src->entry = yloc(c, n);
	if (ymap(c, n, is_root ? "root-cell" : "a cell config",
		 is_root ? root_fields : cell_fields, v))
		return;
	if (v[C_NAME]) {
		src->name = yloc(c, v[C_NAME]);
		ystr(c, v[C_NAME], "name", cell->name, sizeof(cell->name));
	} else if (is_root) {
		strcpy(cell->name, CFG_ROOT_CELL_NAME);
	}
	src->cpus_bad = 1;
	if (v[C_CPUS]) {
		src->cpus = yloc(c, v[C_CPUS]);
		src->cpus_bad = !!yidlist(c, v[C_CPUS], "cpus", CFG_MAX_CPUS,
					  cell->cpus, 64);
	}
	if (v[C_ENTRY]) {
		src->entry = yloc(c, v[C_ENTRY]);
		src->has_entry = yint(c, v[C_ENTRY], "entry", Y_NUMBER,
				      &cell->entry) ? -1 : 1;
	}
	if (v[C_CONSOLE] && !ybool(c, v[C_CONSOLE], "console", &console))
		cell->console = console;
	parse_cell_lists(c, v, is_root, cell, src);
	src->pci_key = src->pins_key = src->vdevs_key = src->item;
	if (v[C_PCI])
		src->pci_key = ykey_loc(c, n, "pci-devices");
	if (v[C_PINS])
		src->pins_key = ykey_loc(c, n, "ioapic-pins");
	if (v[C_VDEVS])
		src->vdevs_key = ykey_loc(c, n, "virtual-devices");
}

/* ---- system ---- */

static const struct yfield range_fields[] = {
	{ "phys", 1 }, { "size", 1 }, { NULL, 0 }
};

static void parse_phys_size(struct yctx *c, yaml_node_t *n, const char *what,
			    uint64_t *phys, uint64_t *size, struct loc *item,
			    struct loc *phys_at)
{
	yaml_node_t *v[2];

	*item = *phys_at = yloc(c, n);
	if (ymap(c, n, what, range_fields, v))
		return;
	if (v[0]) {
		*phys_at = yloc(c, v[0]);
		yint(c, v[0], "phys", Y_NUMBER, phys);
	}
	if (v[1])
		yint(c, v[1], "size", Y_SIZE, size);
}

static const struct yfield console_fields[] = {
	{ "type", 1 }, { "port", 0 }, { NULL, 0 }
};

static void parse_console(struct yctx *c, yaml_node_t *n,
			  struct cfg_system *sys, struct sys_src *src)
{
	static const char *const types[] = { CFG_CONSOLE_NONE,
					     CFG_CONSOLE_8250, NULL };
	yaml_node_t *v[2];
	struct loc at = yloc(c, n);
	int t;

	src->console_port = at;
	if (ymap(c, n, "debug-console", console_fields, v) || !v[0])
		return;
	t = yenum(c, v[0], "debug-console type", types);
	if (t < 0)
		return;
	sys->console_type = t;
	if (v[1]) {
		src->console_port = yloc(c, v[1]);
		yu32(c, v[1], "port", 0xfff8, &sys->console_port);
	}
	if (t == CFG_CONSOLE_TYPE_8250 && !v[1])
		diag_error(c->d, &at, "an 8250 debug-console needs 'port' "
			   "(COM1 is 0x3f8)");
	if (t == CFG_CONSOLE_TYPE_NONE && v[1])
		diag_warn(c->d, &src->console_port, "'port' has no effect "
			  "when the debug console type is none");
}

static const struct yfield iommu_fields[] = {
	{ "type", 1 }, { "base", 1 }, { "size", 0 }, { "optional", 0 },
	{ NULL, 0 }
};

static void parse_iommu(struct yctx *c, yaml_node_t *n, struct cfg_iommu *u,
			struct loc *src)
{
	static const char *const types[] = { CFG_IOMMU_VTD, CFG_IOMMU_AMDVI,
					     NULL };
	yaml_node_t *v[4];
	int t;

	*src = yloc(c, n);
	u->size = CFG_PAGE_SIZE;
	if (ymap(c, n, "an IOMMU", iommu_fields, v))
		return;
	if (v[0] && (t = yenum(c, v[0], "IOMMU type", types)) >= 0)
		u->type = t;
	if (v[1])
		yint(c, v[1], "base", Y_NUMBER, &u->base);
	if (v[2])
		yint(c, v[2], "size", Y_SIZE, &u->size);
	if (v[3])
		ybool(c, v[3], "optional", &u->optional);
}

static const struct yfield ioapic_fields[] = {
	{ "id", 1 }, { "base", 1 }, { "gsi-base", 0 }, { "pins", 0 },
	{ "source-id", 0 }, { NULL, 0 }
};

static void parse_ioapic(struct yctx *c, yaml_node_t *n,
			 struct cfg_ioapic *a, struct loc *src)
{
	yaml_node_t *v[5];

	*src = yloc(c, n);
	a->pins = 24;
	if (ymap(c, n, "an IOAPIC", ioapic_fields, v))
		return;
	if (v[0])
		yu32(c, v[0], "id", 0xff, &a->id);
	if (v[1])
		yint(c, v[1], "base", Y_NUMBER, &a->base);
	if (v[2])
		yu32(c, v[2], "gsi-base", 0xffffffff, &a->gsi_base);
	if (v[3])
		yu32(c, v[3], "pins", CFG_MAX_IOAPIC_PINS, &a->pins);
	if (v[4] && !ybdf(c, v[4], "source-id", &a->source_id))
		a->has_source_id = 1;
}

static const struct yfield pcihost_fields[] = {
	{ "mmconfig", 1 }, { "buses", 0 }, { NULL, 0 }
};

static void parse_pci_host(struct yctx *c, yaml_node_t *n,
			   struct cfg_system *sys, struct sys_src *src)
{
	yaml_node_t *v[2];
	uint64_t buses[4] = { 0 };
	int i;

	src->mmconfig = yloc(c, n);
	sys->has_mmconfig = 1;
	sys->bus_end = 255;
	if (ymap(c, n, "platform pci", pcihost_fields, v))
		return;
	if (v[0]) {
		src->mmconfig = yloc(c, v[0]);
		yint(c, v[0], "mmconfig", Y_NUMBER, &sys->mmconfig);
	}
	if (!v[1] || yidlist(c, v[1], "buses", 256, buses, 64))
		return;
	/* A bus range is contiguous: first and last set bits. */
	for (i = 0; i < 256 && !(buses[i / 64] >> (i % 64) & 1); i++)
		;
	sys->bus_start = i;
	for (i = 255; i >= 0 && !(buses[i / 64] >> (i % 64) & 1); i--)
		;
	sys->bus_end = i;
}

/* cpu-vendor is required, but checked by parse_vendor to say more. */
static const struct yfield platform_fields[] = {
	{ "pci", 0 }, { "iommus", 0 }, { "ioapics", 0 }, { "apic-mode", 0 },
	{ "tsc-khz", 0 }, { "apic-khz", 0 }, { "cpu-vendor", 0 },
	{ "dma-isolation", 0 }, { NULL, 0 }
};

/* The machine a system config is for: enable refuses it elsewhere. */
static void parse_vendor(struct yctx *c, yaml_node_t *platform,
			 yaml_node_t *n, struct cfg_system *sys)
{
	static const char *const vendors[] = { CFG_CPU_INTEL, CFG_CPU_AMD,
					       NULL };
	struct loc at = yloc(c, platform);
	int v;

	if (!n) {
		diag_error(c->d, &at, "platform lacks required key "
			   "'cpu-vendor': write 'cpu-vendor: intel' for a "
			   "VT-x machine or 'cpu-vendor: amd' for AMD-V");
		return;
	}
	v = yenum(c, n, "cpu-vendor", vendors);
	if (v >= 0)
		sys->cpu_vendor = v;
}

static void parse_platform(struct yctx *c, yaml_node_t *n,
			   struct cfg_system *sys, struct sys_src *src)
{
	static const char *const modes[] = { CFG_APIC_AUTO, CFG_APIC_XAPIC,
					     CFG_APIC_X2APIC, NULL };
	static const char *const dma[] = { CFG_DMA_ISOLATION_IOMMU,
					   CFG_DMA_ISOLATION_NONE, NULL };
	yaml_node_t *v[8];
	int m;

	src->dma_isolation = yloc(c, n);
	if (ymap(c, n, "platform", platform_fields, v))
		return;
	parse_vendor(c, n, v[6], sys);
	if (v[0])
		parse_pci_host(c, v[0], sys, src);
	if (v[1])
		YLIST(c, v[1], "iommus", CFG_MAX_IOMMUS, sys->n_iommus,
		      parse_iommu(c, item_, &sys->iommus[sys->n_iommus],
				  &src->iommu[sys->n_iommus]));
	if (v[2])
		YLIST(c, v[2], "ioapics", CFG_MAX_IOAPICS, sys->n_ioapics,
		      parse_ioapic(c, item_, &sys->ioapics[sys->n_ioapics],
				   &src->ioapic[sys->n_ioapics]));
	if (v[3] && (m = yenum(c, v[3], "apic-mode", modes)) >= 0)
		sys->apic_mode = m;
	if (v[4])
		yu32(c, v[4], "tsc-khz", 0xffffffff, &sys->tsc_khz);
	if (v[5])
		yu32(c, v[5], "apic-khz", 0xffffffff, &sys->apic_khz);
	if (v[7]) {
		src->dma_isolation = yloc(c, v[7]);
		m = yenum(c, v[7], "dma-isolation", dma);
		if (m >= 0)
			sys->dma_isolation = m;
	}
}

static const struct yfield system_fields[] = {
	{ "kind", 1 }, { "name", 1 }, { "hypervisor", 1 },
	{ "debug-console", 0 }, { "platform", 1 }, { "cell-pool", 0 },
	{ "root-cell", 1 }, { NULL, 0 }
};

static void parse_system(struct yctx *c, yaml_node_t *n,
			 struct cfg_system *sys, struct sys_src *src)
{
	yaml_node_t *v[7];

	src->item = src->name = src->hv = src->hv_phys = src->pool =
		src->console_port = src->mmconfig = yloc(c, n);
	if (ymap(c, n, "a system config", system_fields, v))
		return;
	if (v[1]) {
		src->name = yloc(c, v[1]);
		ystr(c, v[1], "name", sys->name, sizeof(sys->name));
	}
	src->hv_bad = 1;
	if (v[2]) {
		unsigned int errors = c->d->errors;

		parse_phys_size(c, v[2], "hypervisor", &sys->hv_phys,
				&sys->hv_size, &src->hv, &src->hv_phys);
		src->hv_bad = c->d->errors != errors;
	}
	if (v[3])
		parse_console(c, v[3], sys, src);
	if (v[4])
		parse_platform(c, v[4], sys, src);
	if (v[5]) {
		sys->has_pool = 1;
		parse_phys_size(c, v[5], "cell-pool", &sys->pool_phys,
				&sys->pool_size, &src->pool, &src->pool);
	}
	if (v[6])
		parse_cell(c, v[6], 1, &sys->root, &src->root);
}

/* ---- documents ---- */

static enum cfg_kind yfind_kind(struct yctx *c, yaml_node_t *root)
{
	static const char *const kinds[] = { "system", "cell", NULL };
	struct loc at = yloc(c, root);
	yaml_node_pair_t *p;
	yaml_node_t *k;
	int i;

	if (root->type != YAML_MAPPING_NODE) {
		diag_error(c->d, &at, "a config must be a mapping of keys, "
			   "starting with 'kind: system' or 'kind: cell'");
		return CFG_KIND_UNKNOWN;
	}
	for (p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		k = ynode(c, p->key);
		if (k->type == YAML_SCALAR_NODE &&
		    !strcmp((char *)k->data.scalar.value, "kind")) {
			i = yenum(c, ynode(c, p->value), "kind", kinds);
			return i < 0 ? CFG_KIND_UNKNOWN : CFG_KIND_SYSTEM + i;
		}
	}
	diag_error(c->d, &at, "missing required key 'kind': start the file "
		   "with 'kind: system' or 'kind: cell'");
	return CFG_KIND_UNKNOWN;
}

static void ysyntax_error(struct yctx *c, yaml_parser_t *p)
{
	struct loc at = { c->file, (int)p->problem_mark.line + 1,
			  (int)p->problem_mark.column + 1 };

	if (p->error == YAML_MEMORY_ERROR) {
		diag_error(c->d, &at, "out of memory reading YAML");
		return;
	}
	if (p->context)
		diag_error(c->d, &at, "YAML syntax: %s (%s at line %d)",
			   p->problem ? p->problem : "error", p->context,
			   (int)p->context_mark.line + 1);
	else
		diag_error(c->d, &at, "YAML syntax: %s",
			   p->problem ? p->problem : "error");
}

/* Depth of the collection an event opens (+1), closes (-1), or 0. */
static int yevent_depth(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return 1;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return -1;
	default:
		return 0;
	}
}

/*
 * Refuses nesting deeper than CFG_MAX_DEPTH from libyaml's events, before
 * a document is built: a config nests a few levels, and libyaml's time
 * grows with the square of the depth. Syntax errors are left to yload.
 */
static int ycheck_depth(struct yctx *c, const unsigned char *buf, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, err = 0, done = 0;
	struct loc at;

	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, buf, len);
	while (!done && !err && yaml_parser_parse(&parser, &ev)) {
		depth += yevent_depth(&ev);
		done = ev.type == YAML_STREAM_END_EVENT;
		if (depth > CFG_MAX_DEPTH) {
			at = (struct loc){ c->file, (int)ev.start_mark.line + 1,
					   (int)ev.start_mark.column + 1 };
			diag_error(c->d, &at, "lists and mappings nest more "
				   "than %d levels deep here: not a config",
				   CFG_MAX_DEPTH);
			err = -1;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return err;
}

static int yload(struct yctx *c, const unsigned char *buf, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	int ok, more;

	if (ycheck_depth(c, buf, len) || !yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, buf, len);
	ok = yaml_parser_load(&parser, &c->doc);
	if (!ok) {
		ysyntax_error(c, &parser);
		yaml_parser_delete(&parser);
		return -1;
	}
	/* A second document would be silently ignored: refuse it. */
	if (yaml_parser_load(&parser, &extra)) {
		more = yaml_document_get_root_node(&extra) != NULL;
		if (more) {
			struct loc at = { c->file,
				(int)extra.start_mark.line + 1,
				(int)extra.start_mark.column + 1 };
			diag_error(c->d, &at, "a config file holds one YAML "
				   "document; remove this second one");
		}
		yaml_document_delete(&extra);
	} else {
		ysyntax_error(c, &parser);
		more = 1;
	}
	yaml_parser_delete(&parser);
	if (more) {
		yaml_document_delete(&c->doc);
		return -1;
	}
	return 0;
}

struct cfg_file *cfg_load_yaml(const char *path, const unsigned char *buf,
			       size_t len, struct diag *d)
{
	struct yctx c = { .file = path, .d = d };
	struct loc at = { path, 0, 0 };
	struct cfg_file *f;
	yaml_node_t *root;
	unsigned int errors = d->errors;

	if (len > CFG_MAX_FILE_SIZE) {
		diag_error(d, &at, "larger than %u bytes (1 MiB): not a "
			   "config; give the YAML or DTB file",
			   CFG_MAX_FILE_SIZE);
		return NULL;
	}
	if (yload(&c, buf, len))
		return NULL;
	f = calloc(1, sizeof(*f));
	root = yaml_document_get_root_node(&c.doc);
	if (!f || !root) {
		if (f)
			diag_error(d, &at, "file is empty: a config starts "
				   "with 'kind: system' or 'kind: cell'");
		free(f);
		yaml_document_delete(&c.doc);
		return NULL;
	}
	f->path = path;
	f->kind = yfind_kind(&c, root);
	if (f->kind == CFG_KIND_SYSTEM)
		parse_system(&c, root, &f->sys, &f->sys_src);
	else if (f->kind == CFG_KIND_CELL)
		parse_cell(&c, root, 0, &f->cell, &f->cell_src);
	yaml_document_delete(&c.doc);
	if (f->kind == CFG_KIND_UNKNOWN && d->errors == errors)
		d->errors++;
	f->errors = d->errors - errors;
	return f;
}
