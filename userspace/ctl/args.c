// SPDX-License-Identifier: GPL-2.0-only
/*
 * Command line parsing of edgewardctl. Everything the kernel would reject
 * for its shape (names outside the alphabet, bad digests, the cgroup named
 * twice or not at all) is caught here, with a message naming the culprit.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "daemon/config.h"
#include "daemon/logbuf.h"
#include "edgeward.h"

#define CMD_BIT(c)	(1u << (c))
/* Commands that send a registration, and those that describe one. */
#define CMDS_SPEC	(CMD_BIT(CTL_CMD_REGISTER) | CMD_BIT(CTL_CMD_UPDATE))
#define CMDS_CONTENT	(CMDS_SPEC | CMD_BIT(CTL_CMD_MANIFEST))
#define CMDS_CGROUP	(CMDS_SPEC | CMD_BIT(CTL_CMD_UNREGISTER))
/* Commands that read edgewardd's configuration or call it. */
#define CMDS_DAEMON	(CMD_BIT(CTL_CMD_SYSTEM_STATUS) | CMD_BIT(CTL_CMD_LIST) | \
			 CMD_BIT(CTL_CMD_MODULE_ENV) | CMD_BIT(CTL_CMD_LOGS) | \
			 CMD_BIT(CTL_CMD_CHECK))
#define CMDS_LOGS	CMD_BIT(CTL_CMD_LOGS)

enum opt_id {
	OPT_JSON,
	OPT_HELP,
	OPT_VERSION,
	OPT_NAME,
	OPT_GEN_ID,
	OPT_CGROUP,
	OPT_CGROUP_ID,
	OPT_DIGEST,
	OPT_MODE,
	OPT_SIGNER,
	OPT_FLAGS,
	OPT_MANIFEST_SIG,
	OPT_COUNT,
	OPT_TIMEOUT,
	OPT_CONFIG,
	OPT_MGMT_SOCKET,
	OPT_FOLLOW,
	OPT_TAIL,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_TIMESTAMPS,
};

struct opt {
	const char *name;	/* without the leading "--" */
	char short_name;
	bool has_value;
	unsigned int cmds;	/* commands that take it; 0: any, or none */
	enum opt_id id;
	/*
	 * Global: may come before the command too, so whether the command
	 * takes it is checked once the whole line is read.
	 */
	bool global;
};

static const struct opt opts[] = {
	{ "json", 0, false, 0, OPT_JSON, false },
	{ "help", 'h', false, 0, OPT_HELP, false },
	{ "version", 0, false, 0, OPT_VERSION, false },
	{ "name", 0, true, CMDS_CONTENT, OPT_NAME, false },
	{ "gen-id", 0, true, CMDS_CONTENT, OPT_GEN_ID, false },
	{ "cgroup", 0, true, CMDS_CGROUP, OPT_CGROUP, false },
	{ "cgroup-id", 0, true, CMDS_CGROUP, OPT_CGROUP_ID, false },
	{ "digest", 0, true, CMDS_CONTENT, OPT_DIGEST, false },
	{ "mode", 0, true, CMDS_CONTENT, OPT_MODE, false },
	{ "signer", 0, true, CMDS_CONTENT, OPT_SIGNER, false },
	{ "flags", 0, true, CMDS_CONTENT, OPT_FLAGS, false },
	{ "manifest-sig", 0, true, CMDS_SPEC, OPT_MANIFEST_SIG, false },
	{ "count", 0, true, CMD_BIT(CTL_CMD_EVENTS), OPT_COUNT, false },
	{ "timeout", 0, true, CMD_BIT(CTL_CMD_EVENTS), OPT_TIMEOUT, false },
	{ "config", 0, true, CMDS_DAEMON, OPT_CONFIG, true },
	{ "mgmt-socket", 0, true, CMDS_DAEMON, OPT_MGMT_SOCKET, true },
	{ "follow", 'f', false, CMDS_LOGS, OPT_FOLLOW, false },
	{ "tail", 0, true, CMDS_LOGS, OPT_TAIL, false },
	{ "since", 0, true, CMDS_LOGS, OPT_SINCE, false },
	{ "until", 0, true, CMDS_LOGS, OPT_UNTIL, false },
	{ "timestamps", 0, false, CMDS_LOGS, OPT_TIMESTAMPS, false },
};

static const struct {
	const char *name;
	enum ctl_cmd cmd;
} cmds[] = {
	{ "status", CTL_CMD_STATUS },
	{ "list", CTL_CMD_LIST },
	{ "register", CTL_CMD_REGISTER },
	{ "update", CTL_CMD_UPDATE },
	{ "unregister", CTL_CMD_UNREGISTER },
	{ "mode", CTL_CMD_MODE },
	{ "events", CTL_CMD_EVENTS },
	{ "attest", CTL_CMD_ATTEST },
	{ "manifest", CTL_CMD_MANIFEST },
	{ "lock", CTL_CMD_LOCK },
	{ "system", CTL_CMD_SYSTEM },
	{ "module", CTL_CMD_MODULE },
	{ "logs", CTL_CMD_LOGS },
	{ "check", CTL_CMD_CHECK },
	{ "config", CTL_CMD_CONFIG },
};

/* The commands that are two words: a group, then what to do in it. */
static const struct {
	enum ctl_cmd group;
	const char *name;	/* the second word */
	const char *full;	/* both, as messages name the command */
	enum ctl_cmd cmd;
} subcmds[] = {
	{ CTL_CMD_SYSTEM, "status", "system status", CTL_CMD_SYSTEM_STATUS },
	{ CTL_CMD_MODULE, "env", "module env", CTL_CMD_MODULE_ENV },
	{ CTL_CMD_CONFIG, "check", "config check", CTL_CMD_CONFIG_CHECK },
};

#define IDENT_ALPHABET "letters, digits and -:.+%_#*?!(),=@$'"
#define FLAG_NAMES "agent, require-signed-manifest"

/* Parsing state: the result, and where to explain a failure. */
struct parser {
	struct ctl_args *a;
	char *err;
	size_t errlen;
};

static int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

const char *ctl_cmd_name(enum ctl_cmd c)
{
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (cmds[i].cmd == c)
			return cmds[i].name;
	for (i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++)
		if (subcmds[i].cmd == c)
			return subcmds[i].full;
	return "?";
}

/* A character as it can be shown in a message. */
static void show_char(char out[8], unsigned char c)
{
	if (isprint(c) && c != '\'')
		snprintf(out, 8, "'%c'", c);
	else if (c == '\'')
		snprintf(out, 8, "\"'\"");
	else
		snprintf(out, 8, "\\x%02x", c);
}

/* A name or generation id; what names it in messages ("--name"). */
static int parse_ident(struct parser *p, const char *what, const char *s,
		       const char **out)
{
	size_t i, len = strlen(s);
	char shown[8];

	if (*out)
		return fail(p, "%s given twice", what);
	if (len == 0)
		return fail(p, "%s: must not be empty", what);
	if (len > EDGEWARD_NAME_MAX_LEN)
		return fail(p, "%s: too long (%zu characters, at most %d)",
			    what, len, EDGEWARD_NAME_MAX_LEN);
	for (i = 0; i < len; i++) {
		if (!ew_ident_char_valid((unsigned char)s[i])) {
			show_char(shown, (unsigned char)s[i]);
			return fail(p, "%s: invalid character %s at position %zu (allowed: %s)",
				    what, shown, i + 1, IDENT_ALPHABET);
		}
	}
	*out = s;
	return 0;
}

static int parse_digest(struct parser *p, const char *s)
{
	struct ctl_args *a = p->a;
	size_t i, len = strlen(s);
	char shown[8];

	if (a->n_digests >= EDGEWARD_DIGESTS_MAX)
		return fail(p, "--digest: at most %d digests", EDGEWARD_DIGESTS_MAX);
	if (len != 2 * EDGEWARD_DIGEST_LEN)
		return fail(p, "--digest: a SHA-256 digest is %d hex digits, got %zu characters",
			    2 * EDGEWARD_DIGEST_LEN, len);
	for (i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)s[i])) {
			show_char(shown, (unsigned char)s[i]);
			return fail(p, "--digest: %s at position %zu is not a hex digit",
				    shown, i + 1);
		}
	}
	if (ew_digest_parse(s, a->digests[a->n_digests]))
		return fail(p, "--digest: not a SHA-256 digest");
	a->n_digests++;
	return 0;
}

static int parse_signer(struct parser *p, const char *s)
{
	struct ctl_args *a = p->a;
	size_t i, len = strlen(s);
	char shown[8];

	if (a->n_signers >= EDGEWARD_SIGNERS_MAX)
		return fail(p, "--signer: at most %d signers", EDGEWARD_SIGNERS_MAX);
	if (len != 8)
		return fail(p, "--signer: a key id is 8 hex digits, got %zu characters", len);
	for (i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)s[i])) {
			show_char(shown, (unsigned char)s[i]);
			return fail(p, "--signer: %s at position %zu is not a hex digit",
				    shown, i + 1);
		}
	}
	if (ew_signer_parse(s, &a->signers[a->n_signers]))
		return fail(p, "--signer: not a key id");
	a->n_signers++;
	return 0;
}

/*
 * Comma-separated flag names, "" for none. Each name is checked on its own
 * so that the message names the culprit.
 */
static int parse_flags(struct parser *p, const char *s)
{
	uint32_t flags = 0, bit;
	const char *item;
	char name[64];
	size_t len;

	if (p->a->has_flags)
		return fail(p, "--flags given twice");
	for (item = s; *s; item += len + 1) {
		len = strcspn(item, ",");
		if (len == 0)
			return fail(p, "--flags: empty flag name in '%s'", s);
		snprintf(name, sizeof(name), "%.*s", (int)len, item);
		if (len >= sizeof(name) || ew_reg_flags_parse(name, &bit))
			return fail(p, "--flags: unknown flag '%.*s' (expected %s)",
				    (int)len, item, FLAG_NAMES);
		if (flags & bit)
			return fail(p, "--flags: '%s' given twice", name);
		flags |= bit;
		if (!item[len])
			break;
	}
	p->a->has_flags = true;
	p->a->flags = flags;
	return 0;
}

static int parse_manifest_sig(struct parser *p, const char *s)
{
	if (p->a->manifest_sig_path)
		return fail(p, "--manifest-sig given twice");
	if (!*s)
		return fail(p, "--manifest-sig: empty path");
	p->a->manifest_sig_path = s;
	return 0;
}

/* A decimal integer in [1, max]: no sign, no spaces, nothing after it. */
static int parse_positive(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (max - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v == 0)
		return -ERANGE;
	*out = v;
	return 0;
}

static int parse_cgroup_id(struct parser *p, const char *s)
{
	struct ctl_args *a = p->a;

	if (a->has_cgroup_id)
		return fail(p, "--cgroup-id given twice");
	if (parse_positive(s, UINT64_MAX, &a->cgroup_id))
		return fail(p, "--cgroup-id: '%s' is not a cgroup id (a positive decimal integer)", s);
	a->has_cgroup_id = true;
	return 0;
}

static int parse_cgroup_path(struct parser *p, const char *s)
{
	if (p->a->cgroup_path)
		return fail(p, "--cgroup given twice");
	if (!*s)
		return fail(p, "--cgroup: empty path");
	p->a->cgroup_path = s;
	return 0;
}

static int parse_reg_mode(struct parser *p, const char *s)
{
	if (p->a->reg_mode)
		return fail(p, "--mode given twice");
	if (ew_mode_parse(s, &p->a->reg_mode))
		return fail(p, "--mode: unknown mode '%s' (expected off, audit or enforce)", s);
	return 0;
}

static int parse_count(struct parser *p, const char *s)
{
	uint64_t v;

	if (p->a->count)
		return fail(p, "--count given twice");
	if (parse_positive(s, ULONG_MAX, &v))
		return fail(p, "--count: '%s' is not a positive integer", s);
	p->a->count = (unsigned long)v;
	return 0;
}

static int parse_timeout(struct parser *p, const char *s)
{
	uint64_t v;

	if (p->a->timeout_s >= 0)
		return fail(p, "--timeout given twice");
	if (parse_positive(s, CTL_TIMEOUT_MAX, &v))
		return fail(p, "--timeout: '%s' is not a number of seconds from 1 to %d",
			    s, CTL_TIMEOUT_MAX);
	p->a->timeout_s = (int)v;
	return 0;
}

/* A path-like value: given once, not empty. */
static int parse_path(struct parser *p, const char *opt, const char *s,
		      const char **out)
{
	if (*out)
		return fail(p, "--%s given twice", opt);
	if (!*s)
		return fail(p, "--%s: empty path", opt);
	*out = s;
	return 0;
}

/* --tail: what the daemon's logs query takes, checked by its own parser. */
static int parse_tail(struct parser *p, const char *s)
{
	struct ew_log_query q;
	struct ew_error e;

	if (p->a->tail)
		return fail(p, "--tail given twice");
	ew_log_query_init(&q);
	if (ew_log_query_parse(&q, NULL, s, NULL, NULL, NULL, &e))
		return fail(p, "--tail: '%s' is not a number of lines or \"all\"", s);
	p->a->tail = s;
	return 0;
}

/* --since, --until: a time as the daemon's logs query reads it. */
static int parse_log_time(struct parser *p, const char *opt, const char *s,
			  const char **out)
{
	int64_t ns;
	int r;

	if (*out)
		return fail(p, "--%s given twice", opt);
	r = ew_log_time_parse(s, &ns);
	if (r == -ERANGE)
		return fail(p, "--%s: '%s' is before 1970 or after 2262", opt, s);
	if (r)
		return fail(p, "--%s: '%s' is not Unix seconds or an RFC 3339 time "
			    "(2024-05-01T12:00:00Z)", opt, s);
	*out = s;
	return 0;
}

static int apply_opt(struct parser *p, const struct opt *o, const char *val)
{
	struct ctl_args *a = p->a;

	switch (o->id) {
	case OPT_JSON:
		a->json = true;
		return 0;
	case OPT_NAME:
		return parse_ident(p, "--name", val, &a->name);
	case OPT_GEN_ID:
		return parse_ident(p, "--gen-id", val, &a->gen_id);
	case OPT_CGROUP:
		return parse_cgroup_path(p, val);
	case OPT_CGROUP_ID:
		return parse_cgroup_id(p, val);
	case OPT_DIGEST:
		return parse_digest(p, val);
	case OPT_MODE:
		return parse_reg_mode(p, val);
	case OPT_SIGNER:
		return parse_signer(p, val);
	case OPT_FLAGS:
		return parse_flags(p, val);
	case OPT_MANIFEST_SIG:
		return parse_manifest_sig(p, val);
	case OPT_COUNT:
		return parse_count(p, val);
	case OPT_TIMEOUT:
		return parse_timeout(p, val);
	case OPT_CONFIG:
		return parse_path(p, o->name, val, &a->config_path);
	case OPT_MGMT_SOCKET:
		return parse_path(p, o->name, val, &a->mgmt_socket);
	case OPT_FOLLOW:
		a->follow = true;
		return 0;
	case OPT_TIMESTAMPS:
		a->timestamps = true;
		return 0;
	case OPT_TAIL:
		return parse_tail(p, val);
	case OPT_SINCE:
		return parse_log_time(p, o->name, val, &a->since);
	case OPT_UNTIL:
		return parse_log_time(p, o->name, val, &a->until);
	case OPT_HELP:
	case OPT_VERSION:
		break;		/* handled by the caller */
	}
	return 0;
}

static const struct opt *find_opt(const char *arg, size_t namelen)
{
	size_t i;

	if (arg[1] != '-') {	/* a short option: exactly "-x" */
		for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			if (opts[i].short_name && arg[1] == opts[i].short_name && !arg[2])
				return &opts[i];
		return NULL;
	}
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strlen(opts[i].name) == namelen &&
		    !strncmp(arg + 2, opts[i].name, namelen))
			return &opts[i];
	return NULL;
}

/*
 * Handles the option at argv[*i] ("--opt", "--opt VALUE" or "--opt=VALUE"),
 * advancing *i past its value. Returns 1 when parsing is over (--help,
 * --version), 0 to go on, or -EINVAL.
 */
static int parse_opt(struct parser *p, int argc, char *const argv[], int *i)
{
	const char *arg = argv[*i];
	const char *eq = arg[1] == '-' ? strchr(arg, '=') : NULL;
	size_t namelen = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
	const struct opt *o = find_opt(arg, namelen);
	const char *val = NULL;

	if (!o)
		return fail(p, "unknown option '%.*s'",
			    (int)(eq ? (size_t)(eq - arg) : strlen(arg)), arg);
	if (o->id == OPT_HELP || o->id == OPT_VERSION) {
		if (eq)
			return fail(p, "--%s takes no value", o->name);
		p->a->cmd = o->id == OPT_HELP ? CTL_CMD_HELP : CTL_CMD_VERSION;
		return 1;
	}
	if (o->cmds && !o->global && p->a->cmd == CTL_CMD_NONE)
		return fail(p, "option --%s must follow the command", o->name);
	if (o->cmds && !o->global && !(o->cmds & CMD_BIT(p->a->cmd)))
		return fail(p, "'%s' takes no option --%s", ctl_cmd_name(p->a->cmd), o->name);
	if (o->has_value) {
		if (eq) {
			val = eq + 1;
		} else {
			/* The value may itself start with '-': names can. */
			if (*i + 1 >= argc)
				return fail(p, "option --%s requires a value", o->name);
			val = argv[++*i];
		}
	} else if (eq) {
		return fail(p, "--%s takes no value", o->name);
	}
	return apply_opt(p, o, val);
}

/* The two-word command of a group ("system status"). */
static const char *group_expects(enum ctl_cmd group)
{
	size_t i;

	for (i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++)
		if (subcmds[i].group == group)
			return subcmds[i].full;
	return "?";
}

/* The second word of a two-word command. */
static int parse_subcommand(struct parser *p, const char *arg)
{
	size_t i;

	for (i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++) {
		if (subcmds[i].group == p->a->cmd && !strcmp(arg, subcmds[i].name)) {
			p->a->cmd = subcmds[i].cmd;
			return 0;
		}
	}
	return fail(p, "unknown command '%s %s' (expected '%s')", ctl_cmd_name(p->a->cmd),
		    arg, group_expects(p->a->cmd));
}

static int parse_positional(struct parser *p, const char *arg)
{
	struct ctl_args *a = p->a;
	size_t i;

	if (a->cmd == CTL_CMD_SYSTEM || a->cmd == CTL_CMD_MODULE || a->cmd == CTL_CMD_CONFIG)
		return parse_subcommand(p, arg);
	if ((a->cmd == CTL_CMD_MODULE_ENV || a->cmd == CTL_CMD_LOGS) && !a->module) {
		char what[32];

		snprintf(what, sizeof(what), "%s: NAME", ctl_cmd_name(a->cmd));
		return parse_ident(p, what, arg, &a->module);
	}
	if (a->cmd == CTL_CMD_CONFIG_CHECK && !a->file) {
		if (!*arg)
			return fail(p, "config check: FILE must not be empty");
		a->file = arg;
		return 0;
	}
	if (a->cmd == CTL_CMD_NONE) {
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
			if (!strcmp(arg, cmds[i].name)) {
				a->cmd = cmds[i].cmd;
				return 0;
			}
		}
		return fail(p, "unknown command '%s'", arg);
	}
	if (a->cmd == CTL_CMD_MODE && !a->has_mode) {
		if (ew_mode_parse(arg, &a->mode))
			return fail(p, "unknown mode '%s' (expected off, audit or enforce)", arg);
		a->has_mode = true;
		return 0;
	}
	if (a->cmd == CTL_CMD_ATTEST && !a->pid) {
		uint64_t pid;

		if (parse_positive(arg, INT_MAX, &pid))
			return fail(p, "attest: '%s' is not a process id (a positive decimal integer)", arg);
		a->pid = (uint32_t)pid;
		return 0;
	}
	return fail(p, "unexpected argument '%s'", arg);
}

/* What each command needs once every argument has been read. */
static int check_complete(struct parser *p)
{
	struct ctl_args *a = p->a;

	switch (a->cmd) {
	case CTL_CMD_NONE:
		return fail(p, "no command given");
	case CTL_CMD_REGISTER:
	case CTL_CMD_UPDATE:
		if (!a->name)
			return fail(p, "%s: --name NAME is required", ctl_cmd_name(a->cmd));
		if (!a->gen_id)
			return fail(p, "%s: --gen-id GENID is required", ctl_cmd_name(a->cmd));
		/* fall through */
	case CTL_CMD_UNREGISTER:
		if (a->cgroup_path && a->has_cgroup_id)
			return fail(p, "%s: give either --cgroup or --cgroup-id, not both",
				    ctl_cmd_name(a->cmd));
		if (!a->cgroup_path && !a->has_cgroup_id)
			return fail(p, "%s: one of --cgroup PATH or --cgroup-id ID is required",
				    ctl_cmd_name(a->cmd));
		return 0;
	case CTL_CMD_ATTEST:
		if (!a->pid)
			return fail(p, "attest: PID is required");
		return 0;
	case CTL_CMD_MANIFEST:
		if (!a->name)
			return fail(p, "manifest: --name NAME is required");
		if (!a->gen_id)
			return fail(p, "manifest: --gen-id GENID is required");
		return 0;
	case CTL_CMD_SYSTEM:
	case CTL_CMD_MODULE:
	case CTL_CMD_CONFIG:
		return fail(p, "'%s' needs a command (expected '%s')", ctl_cmd_name(a->cmd),
			    group_expects(a->cmd));
	case CTL_CMD_MODULE_ENV:
	case CTL_CMD_LOGS:
		if (!a->module)
			return fail(p, "%s: NAME is required", ctl_cmd_name(a->cmd));
		return 0;
	case CTL_CMD_CONFIG_CHECK:
		if (!a->file)
			return fail(p, "config check: FILE is required");
		return 0;
	default:
		return 0;
	}
}

/* What the global options and --json need of the command, now known. */
static int check_global(struct parser *p)
{
	struct ctl_args *a = p->a;
	int64_t since, until;

	if (a->config_path && !(CMDS_DAEMON & CMD_BIT(a->cmd)))
		return fail(p, "'%s' takes no option --config", ctl_cmd_name(a->cmd));
	if (a->mgmt_socket && !(CMDS_DAEMON & CMD_BIT(a->cmd)))
		return fail(p, "'%s' takes no option --mgmt-socket", ctl_cmd_name(a->cmd));
	/* Logs are the module's own text, streamed as it comes. */
	if (a->json && a->cmd == CTL_CMD_LOGS)
		return fail(p, "'logs' takes no option --json (logs are the module's text)");
	if (a->since && a->until && !ew_log_time_parse(a->since, &since) &&
	    !ew_log_time_parse(a->until, &until) && since > until)
		return fail(p, "--since %s is after --until %s", a->since, a->until);
	return 0;
}

int ctl_parse_args(int argc, char *const argv[], struct ctl_args *a,
		   char *err, size_t errlen)
{
	struct parser p = { .a = a, .err = err, .errlen = errlen };
	int i, r;

	memset(a, 0, sizeof(*a));
	a->timeout_s = -1;
	if (errlen)
		err[0] = '\0';
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (arg[0] == '-' && arg[1])
			r = parse_opt(&p, argc, argv, &i);
		else
			r = parse_positional(&p, arg);
		if (r < 0)
			return r;
		if (r > 0)
			return 0;	/* --help, --version */
	}
	r = check_complete(&p);
	return r ? r : check_global(&p);
}

void ctl_usage(FILE *f)
{
	fputs("Usage: edgewardctl [--json] [--config FILE] [--mgmt-socket PATH] COMMAND [OPTIONS]\n"
	      "\n"
	      "Drives the edgeward kernel module (needs CAP_SYS_ADMIN) and asks edgewardd.\n"
	      "\n"
	      "Commands:\n"
	      "  status                      show the module's state\n"
	      "  list                        list the registrations, joined with\n"
	      "                              edgewardd's modules (STATUS, VERDICT of\n"
	      "                              the first process, MANAGED) when it runs\n"
	      "  register --name NAME --gen-id GENID (--cgroup PATH | --cgroup-id ID)\n"
	      "           [--digest HEX]... [--signer KEYID]... [--mode off|audit|enforce]\n"
	      "           [--flags FLAGS] [--manifest-sig FILE]\n"
	      "                              register a module for a cgroup v2\n"
	      "  update (the options of register)\n"
	      "                              replace a registration in one step; what\n"
	      "                              is not given (digests, signers, --mode,\n"
	      "                              --flags) is not kept\n"
	      "  unregister (--cgroup PATH | --cgroup-id ID)\n"
	      "                              remove a registration\n"
	      "  mode [off|audit|enforce]    show or set the global mode\n"
	      "  events [--count N] [--timeout SEC]\n"
	      "                              print events as they happen\n"
	      "  attest PID                  show which module a process belongs to\n"
	      "                              and the verdict on its executable\n"
	      "  manifest --name NAME --gen-id GENID [--digest HEX]... [--signer KEYID]...\n"
	      "           [--mode off|audit|enforce] [--flags FLAGS]\n"
	      "                              print the canonical manifest to sign for\n"
	      "                              register/update with the same options\n"
	      "  lock                        lock the module until reboot: the mode can\n"
	      "                              only be raised, registrations need a signed\n"
	      "                              manifest, the module cannot be unloaded\n"
	      "\n"
	      "Commands of edgewardd:\n"
	      "  system status               the daemon's version, provisioning, kernel\n"
	      "                              module, and its modules counted by status\n"
	      "  module env NAME             the IOTEDGE_* variables module NAME is given\n"
	      "  logs NAME [-f|--follow] [--tail N|all] [--since T] [--until T] [--timestamps]\n"
	      "                              print a module's logs as they come\n"
	      "  check                       health check of the configuration, state,\n"
	      "                              keys, certificates, kernel module and\n"
	      "                              sockets; needs neither edgewardd nor the\n"
	      "                              network; exit 1 if any check FAILs\n"
	      "  config check FILE           load FILE as edgewardd would: 'FILE: ok', or\n"
	      "                              'FILE:LINE:COLUMN: what is wrong' and exit 1\n"
	      "\n"
	      "Options:\n"
	      "  --json                      print JSON instead of text\n"
	      "  --config FILE               edgewardd's configuration (default\n"
	      "                              " EW_CONFIG_PATH "; the embedded\n"
	      "                              defaults when that file does not exist)\n"
	      "  --mgmt-socket PATH          edgewardd's management socket (default: the\n"
	      "                              configuration's [connect] management_uri)\n"
	      "  -h, --help                  show this help\n"
	      "  --version                   show the version\n"
	      "\n"
	      "NAME and GENID: 1 to 128 characters of " IDENT_ALPHABET ".\n"
	      "HEX: a SHA-256 digest, 64 hex digits; up to 64 --digest options.\n"
	      "KEYID: a key of the .edgeward keyring whose IMA signatures the module\n"
	      "may run, 8 hex digits (the end of its subject key identifier); up to 16.\n"
	      "--mode: the registration's own mode; without it, the registration\n"
	      "follows the global mode (and the global mode off turns every one off).\n"
	      "FLAGS: comma-separated, of " FLAG_NAMES ".\n"
	      "--manifest-sig FILE: a detached CMS/PKCS#7 signature in DER over the\n"
	      "output of 'manifest' with the same options in the same order, e.g.\n"
	      "  openssl cms -sign -binary -noattr -outform DER -md sha256 \\\n"
	      "    -in MANIFEST -signer CERT -inkey KEY -out FILE\n"
	      "T (logs): Unix seconds or RFC 3339 (2024-05-01T12:00:00Z).\n"
	      "\n"
	      "Exit status: 0 success, 1 the operation failed, 2 usage error.\n", f);
}
