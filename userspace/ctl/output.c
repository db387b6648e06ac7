// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rendering of statuses, registrations, attested processes and events as
 * JSON and as text.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

/*
 * cJSON keeps numbers as doubles, exact only up to 2^53; cgroup ids and
 * sequence numbers are 64-bit, so integers are written as raw decimal text.
 */
static bool add_uint(cJSON *obj, const char *key, uint64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	return cJSON_AddRawToObject(obj, key, num) != NULL;
}

static bool add_str(cJSON *obj, const char *key, const char *s)
{
	return cJSON_AddStringToObject(obj, key, s) != NULL;
}

static bool add_null(cJSON *obj, const char *key)
{
	return cJSON_AddNullToObject(obj, key) != NULL;
}

static bool add_bool(cJSON *obj, const char *key, bool v)
{
	return cJSON_AddBoolToObject(obj, key, v) != NULL;
}

/* Appends a string to an array; false if out of memory. */
static bool append_str(cJSON *arr, const char *s)
{
	cJSON *item = cJSON_CreateString(s);

	if (!item || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

/* Adds arr (consumed) to obj as key; NULL arr is out of memory. */
static bool add_array(cJSON *obj, const char *key, cJSON *arr)
{
	if (!arr || !cJSON_AddItemToObject(obj, key, arr)) {
		cJSON_Delete(arr);
		return false;
	}
	return true;
}

/* A registration's own mode by name, null when it follows the global one. */
static bool add_reg_mode(cJSON *obj, uint32_t mode)
{
	if (!mode)
		return add_null(obj, "mode");
	return add_str(obj, "mode", ew_mode_name(mode));
}

/* Length of the well-formed UTF-8 sequence at p, 0 if there is none. */
static size_t utf8_seq(const unsigned char *p)
{
	unsigned char lo, hi;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		/* No overlong forms, no surrogates. */
		lo = p[0] == 0xe0 ? 0xa0 : 0x80;
		hi = p[0] == 0xed ? 0x9f : 0xbf;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		/* No overlong forms, nothing above U+10FFFF. */
		lo = p[0] == 0xf0 ? 0x90 : 0x80;
		hi = p[0] == 0xf4 ? 0x8f : 0xbf;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 &&
		       (p[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/*
 * A copy of s with every byte that is not part of well-formed UTF-8
 * replaced by U+FFFD, or NULL if s is well-formed (or memory ran out, with
 * *oom set).
 */
static char *utf8_repair(const char *s, bool *oom)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out, *o;
	size_t n;

	*oom = false;
	for (; *p; p += n)
		if (!(n = utf8_seq(p)))
			break;
	if (!*p)
		return NULL;
	out = malloc(3 * strlen(s) + 1);
	if (!out) {
		*oom = true;
		return NULL;
	}
	for (p = (const unsigned char *)s, o = out; *p; p += n ? n : 1) {
		n = utf8_seq(p);
		if (n) {
			memcpy(o, p, n);
			o += n;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
		}
	}
	*o = '\0';
	return out;
}

/*
 * Strings the kernel passes through from elsewhere (cgroup paths may hold
 * any byte) must still make valid JSON, which is UTF-8.
 */
static bool add_text(cJSON *obj, const char *key, const char *s)
{
	bool oom, ok;
	char *fixed = utf8_repair(s, &oom);

	if (oom)
		return false;
	ok = add_str(obj, key, fixed ? fixed : s);
	free(fixed);
	return ok;
}

cJSON *ctl_json_status(const struct ew_status *st)
{
	cJSON *j = cJSON_CreateObject();

	if (!j || !add_text(j, "version", st->version) ||
	    !add_str(j, "mode", ew_mode_name(st->mode)) ||
	    !add_uint(j, "reg_count", st->reg_count) ||
	    !add_uint(j, "generation", st->generation) ||
	    !add_uint(j, "event_seq", st->event_seq) ||
	    !add_str(j, "ima", ew_ima_state_name(st->ima)) ||
	    !add_str(j, "keyring", ew_keyring_state_name(st->keyring)) ||
	    !add_uint(j, "keyring_id", st->keyring_id) ||
	    !add_bool(j, "locked", st->locked)) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

static cJSON *digests_array(const struct ew_reg *r)
{
	char hex[2 * EDGEWARD_DIGEST_LEN + 1];
	cJSON *arr = cJSON_CreateArray();
	unsigned int i;

	for (i = 0; arr && i < r->n_digests && i < EDGEWARD_DIGESTS_MAX; i++) {
		ew_digest_format(r->digests[i], hex);
		if (!append_str(arr, hex)) {
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

/* Key ids as 8 lowercase hex digits, in the kernel's order. */
static cJSON *signers_array(const struct ew_reg *r)
{
	cJSON *arr = cJSON_CreateArray();
	unsigned int i;
	char id[9];

	for (i = 0; arr && i < r->n_signers && i < EDGEWARD_SIGNERS_MAX; i++) {
		ew_signer_format(r->signers[i], id);
		if (!append_str(arr, id)) {
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

/* The flags by name: the items of ew_reg_flags_format, in its order. */
static cJSON *flags_array(uint32_t flags)
{
	char text[EW_REG_FLAGS_STRLEN], *item, *save = NULL;
	cJSON *arr = cJSON_CreateArray();

	ew_reg_flags_format(flags, text);
	for (item = strtok_r(text, ",", &save); arr && item;
	     item = strtok_r(NULL, ",", &save)) {
		if (!append_str(arr, item)) {
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

/* The registration's fields, added to obj (shared with events). */
static bool add_reg_fields(cJSON *obj, const struct ew_reg *r)
{
	return add_uint(obj, "cgroup_id", r->cgroup_id) &&
	       add_text(obj, "cgroup_path", r->cgroup_path) &&
	       add_str(obj, "name", r->name) &&
	       add_str(obj, "gen_id", r->gen_id) &&
	       add_array(obj, "digests", digests_array(r)) &&
	       add_reg_mode(obj, r->mode) &&
	       add_array(obj, "signers", signers_array(r)) &&
	       add_array(obj, "flags", flags_array(r->flags));
}

/* The digest in hex, or null when the executable was not measured. */
static bool add_task_digest(cJSON *obj, const struct ew_task *t)
{
	char hex[2 * EDGEWARD_DIGEST_LEN + 1];

	if (!t->has_digest)
		return add_null(obj, "digest");
	ew_digest_format(t->digest, hex);
	return add_str(obj, "digest", hex);
}

/*
 * A process's fields, added to obj (shared by attest and exec events; the
 * start time only means something in an attestation).
 */
static bool add_task_fields(cJSON *obj, const struct ew_task *t,
			    bool start_time)
{
	return add_str(obj, "verdict", ew_verdict_name(t->verdict)) &&
	       add_uint(obj, "pid", t->pid) &&
	       (!start_time || add_uint(obj, "start_time", t->start_time)) &&
	       add_str(obj, "name", t->name) &&
	       add_str(obj, "gen_id", t->gen_id) &&
	       add_uint(obj, "cgroup_id", t->cgroup_id) &&
	       add_uint(obj, "reg_cgroup_id", t->reg_cgroup_id) &&
	       add_task_digest(obj, t) &&
	       add_text(obj, "path", t->path);
}

cJSON *ctl_json_task(const struct ew_task *t)
{
	cJSON *j = cJSON_CreateObject();

	if (!j || !add_task_fields(j, t, true)) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

cJSON *ctl_json_reg(const struct ew_reg *r)
{
	cJSON *j = cJSON_CreateObject();

	if (!j || !add_reg_fields(j, r)) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

cJSON *ctl_json_regs(const struct ew_reg *regs, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	cJSON *j;
	size_t i;

	for (i = 0; arr && i < n; i++) {
		j = ctl_json_reg(&regs[i]);
		if (!j || !cJSON_AddItemToArray(arr, j)) {
			cJSON_Delete(j);
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

cJSON *ctl_json_event(const struct ew_event *ev)
{
	cJSON *j = cJSON_CreateObject();
	bool ok;

	ok = j && add_str(j, "event", ew_event_name(ev->cmd)) &&
	     add_uint(j, "seq", ev->seq);
	switch (ev->cmd) {
	case EDGEWARD_CMD_REG_ADD_NTF:
	case EDGEWARD_CMD_REG_DEL_NTF:
	case EDGEWARD_CMD_REG_CHANGE_NTF:
		ok = ok && add_reg_fields(j, &ev->reg);
		break;
	case EDGEWARD_CMD_MODE_CHANGE_NTF:
		ok = ok && add_str(j, "mode", ew_mode_name(ev->mode));
		break;
	case EDGEWARD_CMD_EXEC_NTF:
		ok = ok && add_task_fields(j, &ev->task, false);
		break;
	default:
		break;
	}
	if (!ok) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

cJSON *ctl_json_mode(uint32_t mode)
{
	cJSON *j = cJSON_CreateObject();

	if (!j || !add_str(j, "mode", ew_mode_name(mode))) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

cJSON *ctl_json_manifest(const char *text)
{
	cJSON *j = cJSON_CreateObject();

	/* Names and generation ids are ASCII: no UTF-8 repair is needed. */
	if (!j || !add_str(j, "manifest", text)) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

cJSON *ctl_json_locked(bool locked)
{
	cJSON *j = cJSON_CreateObject();

	if (!j || !add_bool(j, "locked", locked)) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

int ctl_json_print(FILE *f, const cJSON *j, bool pretty)
{
	char *s;

	if (!j)
		return -ENOMEM;
	s = pretty ? cJSON_Print(j) : cJSON_PrintUnformatted(j);
	if (!s)
		return -ENOMEM;
	fprintf(f, "%s\n", s);
	cJSON_free(s);
	return 0;
}

/*
 * The columns ctl_fputs_safe(s) takes on a terminal: its escapes are ASCII,
 * and a UTF-8 sequence counts once (its continuation bytes take none).
 */
static int safe_width(const char *s)
{
	const unsigned char *p;
	int w = 0;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\' || *p == '\n' || *p == '\t')
			w += 2;
		else if (*p < 0x20 || *p == 0x7f)
			w += 4;
		else if (*p < 0x80 || *p >= 0xc0)
			w += 1;
	}
	return w;
}

void ctl_fputs_safe(const char *s, FILE *f)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

/* "key:" padded so that the values of a block line up. */
static void key(FILE *f, const char *k)
{
	fprintf(f, "%-15s", k);
}

void ctl_text_status(FILE *f, const struct ew_status *st)
{
	key(f, "version:");
	ctl_fputs_safe(st->version, f);
	fputc('\n', f);
	key(f, "mode:");
	fprintf(f, "%s\n", ew_mode_name(st->mode));
	key(f, "registrations:");
	fprintf(f, "%" PRIu32 "\n", st->reg_count);
	key(f, "generation:");
	fprintf(f, "%" PRIu32 "\n", st->generation);
	key(f, "event seq:");
	fprintf(f, "%" PRIu64 "\n", st->event_seq);
	key(f, "ima:");
	fprintf(f, "%s\n", ew_ima_state_name(st->ima));
	key(f, "keyring:");
	fprintf(f, "%s\n", ew_keyring_state_name(st->keyring));
	key(f, "keyring id:");
	fprintf(f, "%" PRIu32 "\n", st->keyring_id);
	key(f, "locked:");
	fprintf(f, "%s\n", st->locked ? "yes" : "no");
}

/* Room for every signer of a registration, comma-separated. */
#define SIGNERS_TEXT_MAX (EDGEWARD_SIGNERS_MAX * 9)

/* The signers joined by commas, "-" for none. */
static void signers_text(const struct ew_reg *r, char out[SIGNERS_TEXT_MAX])
{
	unsigned int i;
	char *p = out;

	strcpy(out, "-");
	for (i = 0; i < r->n_signers && i < EDGEWARD_SIGNERS_MAX; i++) {
		if (i)
			*p++ = ',';
		ew_signer_format(r->signers[i], p);
		p += 8;
	}
}

/* The flags joined by commas, "-" for none. */
static void flags_text(uint32_t flags, char out[EW_REG_FLAGS_STRLEN])
{
	ew_reg_flags_format(flags, out);
	if (!out[0])
		strcpy(out, "-");
}

void ctl_text_reg(FILE *f, const struct ew_reg *r)
{
	char hex[2 * EDGEWARD_DIGEST_LEN + 1], flags[EW_REG_FLAGS_STRLEN], id[9];
	unsigned int i;

	key(f, "cgroup id:");
	fprintf(f, "%" PRIu64 "\n", r->cgroup_id);
	key(f, "cgroup path:");
	ctl_fputs_safe(r->cgroup_path, f);
	fputc('\n', f);
	key(f, "name:");
	fprintf(f, "%s\n", r->name);
	key(f, "gen id:");
	fprintf(f, "%s\n", r->gen_id);
	key(f, "mode:");
	fprintf(f, "%s\n", r->mode ? ew_mode_name(r->mode) : "- (follows the global mode)");
	key(f, "digests:");
	fprintf(f, "%u\n", r->n_digests);
	for (i = 0; i < r->n_digests && i < EDGEWARD_DIGESTS_MAX; i++) {
		ew_digest_format(r->digests[i], hex);
		fprintf(f, "  %s\n", hex);
	}
	key(f, "flags:");
	flags_text(r->flags, flags);
	fprintf(f, "%s\n", flags);
	key(f, "signers:");
	fprintf(f, "%u\n", r->n_signers);
	for (i = 0; i < r->n_signers && i < EDGEWARD_SIGNERS_MAX; i++) {
		ew_signer_format(r->signers[i], id);
		fprintf(f, "  %s\n", id);
	}
}

/* A registration's own mode, "-" when it follows the global one. */
static const char *reg_mode_text(uint32_t mode)
{
	return mode ? ew_mode_name(mode) : "-";
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

void ctl_text_regs(FILE *f, const struct ew_reg *regs, size_t n)
{
	int w_id = (int)strlen("CGROUP-ID"), w_name = (int)strlen("NAME");
	int w_gen = (int)strlen("GEN-ID"), w_dig = (int)strlen("DIGESTS");
	int w_mode = (int)strlen("enforce"), w_path = (int)strlen("PATH");
	int w_signers = (int)strlen("SIGNERS");
	char num[24], signers[SIGNERS_TEXT_MAX], flags[EW_REG_FLAGS_STRLEN];
	size_t i;

	for (i = 0; i < n; i++) {
		w_id = max_int(w_id, snprintf(num, sizeof(num), "%" PRIu64,
					      regs[i].cgroup_id));
		w_name = max_int(w_name, (int)strlen(regs[i].name));
		w_gen = max_int(w_gen, (int)strlen(regs[i].gen_id));
		w_path = max_int(w_path, safe_width(regs[i].cgroup_path));
		signers_text(&regs[i], signers);
		w_signers = max_int(w_signers, (int)strlen(signers));
	}
	/* SIGNERS and FLAGS came later: after PATH, so that no column moves. */
	fprintf(f, "%-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %s\n", w_id,
		"CGROUP-ID", w_name, "NAME", w_gen, "GEN-ID", w_dig, "DIGESTS",
		w_mode, "MODE", w_path, "PATH", w_signers, "SIGNERS", "FLAGS");
	for (i = 0; i < n; i++) {
		fprintf(f, "%-*" PRIu64 "  %-*s  %-*s  %-*u  %-*s  ", w_id,
			regs[i].cgroup_id, w_name, regs[i].name, w_gen,
			regs[i].gen_id, w_dig, regs[i].n_digests, w_mode,
			reg_mode_text(regs[i].mode));
		ctl_fputs_safe(regs[i].cgroup_path, f);
		signers_text(&regs[i], signers);
		flags_text(regs[i].flags, flags);
		fprintf(f, "%*s  %-*s  %s\n",
			w_path - safe_width(regs[i].cgroup_path), "", w_signers,
			signers, flags);
	}
}

/* The digest in hex, or "-" when the executable was not measured. */
static void fputs_digest(const struct ew_task *t, FILE *f)
{
	char hex[2 * EDGEWARD_DIGEST_LEN + 1];

	if (!t->has_digest) {
		fputc('-', f);
		return;
	}
	ew_digest_format(t->digest, hex);
	fputs(hex, f);
}

void ctl_text_task(FILE *f, const struct ew_task *t)
{
	key(f, "verdict:");
	fprintf(f, "%s\n", ew_verdict_name(t->verdict));
	key(f, "pid:");
	fprintf(f, "%" PRIu32 "\n", t->pid);
	key(f, "start time:");
	fprintf(f, "%" PRIu64 "\n", t->start_time);
	key(f, "cgroup id:");
	fprintf(f, "%" PRIu64 "\n", t->cgroup_id);
	key(f, "reg cgroup id:");
	fprintf(f, "%" PRIu64 "\n", t->reg_cgroup_id);
	key(f, "name:");
	fprintf(f, "%s\n", t->name);
	key(f, "gen id:");
	fprintf(f, "%s\n", t->gen_id);
	key(f, "digest:");
	fputs_digest(t, f);
	fputc('\n', f);
	key(f, "path:");
	ctl_fputs_safe(t->path, f);
	fputc('\n', f);
}

void ctl_text_event(FILE *f, const struct ew_event *ev)
{
	char signers[SIGNERS_TEXT_MAX], flags[EW_REG_FLAGS_STRLEN];

	fprintf(f, "seq=%" PRIu64 " event=%s", ev->seq, ew_event_name(ev->cmd));
	switch (ev->cmd) {
	case EDGEWARD_CMD_REG_ADD_NTF:
	case EDGEWARD_CMD_REG_DEL_NTF:
	case EDGEWARD_CMD_REG_CHANGE_NTF:
		signers_text(&ev->reg, signers);
		flags_text(ev->reg.flags, flags);
		/* The path comes last: it may hold spaces. */
		fprintf(f, " cgroup_id=%" PRIu64 " name=%s gen_id=%s digests=%u mode=%s"
			" signers=%s flags=%s path=", ev->reg.cgroup_id, ev->reg.name,
			ev->reg.gen_id, ev->reg.n_digests,
			reg_mode_text(ev->reg.mode), signers, flags);
		ctl_fputs_safe(ev->reg.cgroup_path, f);
		break;
	case EDGEWARD_CMD_MODE_CHANGE_NTF:
		fprintf(f, " mode=%s", ew_mode_name(ev->mode));
		break;
	case EDGEWARD_CMD_EXEC_NTF:
		/* The path comes last: it may hold spaces. */
		fprintf(f, " verdict=%s pid=%" PRIu32 " name=%s gen_id=%s cgroup_id=%" PRIu64
			" digest=", ew_verdict_name(ev->task.verdict), ev->task.pid,
			ev->task.name, ev->task.gen_id, ev->task.cgroup_id);
		fputs_digest(&ev->task, f);
		fputs(" path=", f);
		ctl_fputs_safe(ev->task.path, f);
		break;
	default:
		break;
	}
	fputc('\n', f);
}

/* --- edgewardd ------------------------------------------------------------ */

/* A row's own fields when the kernel has no registration for it. */
static bool add_unregistered_fields(cJSON *obj, const struct ctl_daemon_mod *m)
{
	return (m->cgroup_id ? add_uint(obj, "cgroup_id", m->cgroup_id) :
			       add_null(obj, "cgroup_id")) &&
	       add_null(obj, "cgroup_path") &&
	       add_str(obj, "name", m->name) &&
	       add_null(obj, "gen_id") &&
	       add_null(obj, "digests") &&
	       add_null(obj, "mode") &&
	       add_null(obj, "signers") &&
	       add_null(obj, "flags");
}

static cJSON *json_mod_row(const struct ctl_mod_row *row)
{
	cJSON *j = cJSON_CreateObject();
	bool ok;

	ok = j && (row->reg ? add_reg_fields(j, row->reg) :
			      row->mod && add_unregistered_fields(j, row->mod));
	ok = ok && (row->mod ? add_str(j, "status", ctl_mod_status_name(row->mod->status)) :
			       add_null(j, "status"));
	ok = ok && (row->has_verdict ? add_str(j, "verdict", ew_verdict_name(row->verdict)) :
				       add_null(j, "verdict"));
	ok = ok && add_bool(j, "managed", row->mod != NULL);
	if (!ok) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

cJSON *ctl_json_mods(const struct ctl_mod_row *rows, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	cJSON *j;
	size_t i;

	for (i = 0; arr && i < n; i++) {
		j = json_mod_row(&rows[i]);
		if (!j || !cJSON_AddItemToArray(arr, j)) {
			cJSON_Delete(j);
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

/* The cells of a row of list as text: "-" where the row has no value. */
struct mod_cells {
	char id[24];
	const char *name;
	const char *gen;
	char digests[12];
	const char *mode;
	const char *path;	/* escaped when printed */
	char signers[SIGNERS_TEXT_MAX];
	char flags[EW_REG_FLAGS_STRLEN];
	const char *status;
	const char *verdict;
	const char *managed;
};

static void mod_cells(const struct ctl_mod_row *row, struct mod_cells *c)
{
	const struct ew_reg *r = row->reg;

	if (r) {
		snprintf(c->id, sizeof(c->id), "%" PRIu64, r->cgroup_id);
		c->name = r->name;
		c->gen = r->gen_id;
		snprintf(c->digests, sizeof(c->digests), "%u", r->n_digests);
		c->mode = reg_mode_text(r->mode);
		c->path = r->cgroup_path;
		signers_text(r, c->signers);
		flags_text(r->flags, c->flags);
	} else {
		if (row->mod && row->mod->cgroup_id)
			snprintf(c->id, sizeof(c->id), "%" PRIu64, row->mod->cgroup_id);
		else
			strcpy(c->id, "-");
		c->name = row->mod ? row->mod->name : "-";
		c->gen = "-";
		strcpy(c->digests, "-");
		c->mode = "-";
		c->path = "-";
		strcpy(c->signers, "-");
		strcpy(c->flags, "-");
	}
	c->status = row->mod ? ctl_mod_status_name(row->mod->status) : "-";
	c->verdict = row->has_verdict ? ew_verdict_name(row->verdict) : "-";
	c->managed = row->mod ? "yes" : "no";
}

void ctl_text_mods(FILE *f, const struct ctl_mod_row *rows, size_t n)
{
	int w_id = (int)strlen("CGROUP-ID"), w_name = (int)strlen("NAME");
	int w_gen = (int)strlen("GEN-ID"), w_dig = (int)strlen("DIGESTS");
	int w_mode = (int)strlen("enforce"), w_path = (int)strlen("PATH");
	int w_signers = (int)strlen("SIGNERS"), w_flags = (int)strlen("FLAGS");
	int w_status = (int)strlen("running"), w_verdict = (int)strlen("VERDICT");
	struct mod_cells c;
	size_t i;

	for (i = 0; i < n; i++) {
		mod_cells(&rows[i], &c);
		w_id = max_int(w_id, (int)strlen(c.id));
		w_name = max_int(w_name, (int)strlen(c.name));
		w_gen = max_int(w_gen, (int)strlen(c.gen));
		w_path = max_int(w_path, safe_width(c.path));
		w_signers = max_int(w_signers, (int)strlen(c.signers));
		w_flags = max_int(w_flags, (int)strlen(c.flags));
		w_status = max_int(w_status, (int)strlen(c.status));
		w_verdict = max_int(w_verdict, (int)strlen(c.verdict));
	}
	/* The columns of the kernel's table keep their places; ours follow. */
	fprintf(f, "%-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %s\n",
		w_id, "CGROUP-ID", w_name, "NAME", w_gen, "GEN-ID", w_dig, "DIGESTS",
		w_mode, "MODE", w_path, "PATH", w_signers, "SIGNERS", w_flags, "FLAGS",
		w_status, "STATUS", w_verdict, "VERDICT", "MANAGED");
	for (i = 0; i < n; i++) {
		mod_cells(&rows[i], &c);
		fprintf(f, "%-*s  %-*s  %-*s  %-*s  %-*s  ", w_id, c.id, w_name, c.name,
			w_gen, c.gen, w_dig, c.digests, w_mode, c.mode);
		ctl_fputs_safe(c.path, f);
		fprintf(f, "%*s  %-*s  %-*s  %-*s  %-*s  %s\n", w_path - safe_width(c.path), "",
			w_signers, c.signers, w_flags, c.flags, w_status, c.status,
			w_verdict, c.verdict, c.managed);
	}
}

cJSON *ctl_json_sysinfo(const struct ctl_sysinfo *si)
{
	cJSON *j = cJSON_CreateObject(), *km = NULL, *mods = NULL;
	bool ok;
	int i;

	ok = j && add_text(j, "version", si->version) &&
	     add_text(j, "provisioning_type", si->provisioning) &&
	     (km = cJSON_AddObjectToObject(j, "kernel_module")) &&
	     add_bool(km, "loaded", si->km_loaded) &&
	     (si->km_loaded ? add_text(km, "version", si->km_version) &&
			      add_text(km, "mode", si->km_mode) :
			      add_null(km, "version") && add_null(km, "mode")) &&
	     (mods = cJSON_AddObjectToObject(j, "modules")) &&
	     add_uint(mods, "total", si->n_modules);
	for (i = 0; ok && i < CTL_MOD_STATUS_COUNT; i++)
		ok = add_uint(mods, ctl_mod_status_name((enum ctl_mod_status)i), si->by_status[i]);
	if (!ok) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

void ctl_text_sysinfo(FILE *f, const struct ctl_sysinfo *si)
{
	int i;

	key(f, "version:");
	ctl_fputs_safe(si->version, f);
	fputc('\n', f);
	key(f, "provisioning:");
	ctl_fputs_safe(si->provisioning, f);
	fputc('\n', f);
	key(f, "kernel module:");
	if (si->km_loaded) {
		fputs("loaded, version ", f);
		ctl_fputs_safe(si->km_version, f);
		fputs(", mode ", f);
		ctl_fputs_safe(si->km_mode, f);
		fputc('\n', f);
	} else {
		fputs("not loaded\n", f);
	}
	key(f, "modules:");
	fprintf(f, "%zu (", si->n_modules);
	for (i = 0; i < CTL_MOD_STATUS_COUNT; i++)
		fprintf(f, "%s%zu %s", i ? ", " : "", si->by_status[i],
			ctl_mod_status_name((enum ctl_mod_status)i));
	fputs(")\n", f);
}

cJSON *ctl_json_env(const struct ctl_env *env)
{
	cJSON *j = cJSON_CreateObject();
	size_t i;

	for (i = 0; j && i < env->n; i++) {
		if (!add_text(j, env->v[i].key, env->v[i].value)) {
			cJSON_Delete(j);
			return NULL;
		}
	}
	return j;
}

void ctl_text_env(FILE *f, const struct ctl_env *env)
{
	size_t i;

	/* As env(1) prints them, so that the output can be compared. */
	for (i = 0; i < env->n; i++)
		fprintf(f, "%s=%s\n", env->v[i].key, env->v[i].value);
}

cJSON *ctl_json_checks(const struct ctl_checks *c)
{
	cJSON *arr = cJSON_CreateArray(), *j;
	size_t i;

	for (i = 0; arr && i < c->n; i++) {
		j = cJSON_CreateObject();
		if (!j || !add_str(j, "check", c->v[i].name) ||
		    !add_str(j, "result", ctl_check_result_name(c->v[i].result)) ||
		    !add_text(j, "detail", c->v[i].detail) || !cJSON_AddItemToArray(arr, j)) {
			cJSON_Delete(j);
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

void ctl_text_check(FILE *f, const struct ctl_check *c)
{
	static const char *const tags[] = {
		[CTL_CHECK_OK] = "[ ok ]",
		[CTL_CHECK_WARN] = "[warn]",
		[CTL_CHECK_FAIL] = "[FAIL]",
	};

	fprintf(f, "%s %s: ", (unsigned int)c->result <= CTL_CHECK_FAIL ? tags[c->result] :
			      tags[CTL_CHECK_FAIL], c->name);
	ctl_fputs_safe(c->detail, f);
	fputc('\n', f);
}

cJSON *ctl_json_config_check(const char *file, const char *error)
{
	cJSON *j = cJSON_CreateObject();

	if (!j || !add_text(j, "file", file) || !add_bool(j, "ok", !error) ||
	    !(error ? add_text(j, "error", error) : add_null(j, "error"))) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}
