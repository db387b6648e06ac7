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
#include "edgeward.h"

#define CMD_BIT(c)	(1u << (c))
/* Commands that send a registration, and those that describe one. */
#define CMDS_SPEC	(CMD_BIT(CTL_CMD_REGISTER) | CMD_BIT(CTL_CMD_UPDATE))
#define CMDS_CONTENT	(CMDS_SPEC | CMD_BIT(CTL_CMD_MANIFEST))
#define CMDS_CGROUP	(CMDS_SPEC | CMD_BIT(CTL_CMD_UNREGISTER))

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
};

struct opt {
	const char *name;	/* without the leading "--" */
	char short_name;
	bool has_value;
	unsigned int cmds;	/* commands that take it; 0: any, or none */
	enum opt_id id;
};

static const struct opt opts[] = {
	{ "json", 0, false, 0, OPT_JSON },
	{ "help", 'h', false, 0, OPT_HELP },
	{ "version", 0, false, 0, OPT_VERSION },
	{ "name", 0, true, CMDS_CONTENT, OPT_NAME },
	{ "gen-id", 0, true, CMDS_CONTENT, OPT_GEN_ID },
	{ "cgroup", 0, true, CMDS_CGROUP, OPT_CGROUP },
	{ "cgroup-id", 0, true, CMDS_CGROUP, OPT_CGROUP_ID },
	{ "digest", 0, true, CMDS_CONTENT, OPT_DIGEST },
	{ "mode", 0, true, CMDS_CONTENT, OPT_MODE },
	{ "signer", 0, true, CMDS_CONTENT, OPT_SIGNER },
	{ "flags", 0, true, CMDS_CONTENT, OPT_FLAGS },
	{ "manifest-sig", 0, true, CMDS_SPEC, OPT_MANIFEST_SIG },
	{ "count", 0, true, CMD_BIT(CTL_CMD_EVENTS), OPT_COUNT },
	{ "timeout", 0, true, CMD_BIT(CTL_CMD_EVENTS), OPT_TIMEOUT },
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

static int parse_ident(struct parser *p, const char *opt, const char *s,
		       const char **out)
{
	size_t i, len = strlen(s);
	char shown[8];

	if (*out)
		return fail(p, "--%s given twice", opt);
	if (len == 0)
		return fail(p, "--%s: must not be empty", opt);
	if (len > EDGEWARD_NAME_MAX_LEN)
		return fail(p, "--%s: too long (%zu characters, at most %d)",
			    opt, len, EDGEWARD_NAME_MAX_LEN);
	for (i = 0; i < len; i++) {
		if (!ew_ident_char_valid((unsigned char)s[i])) {
			show_char(shown, (unsigned char)s[i]);
			return fail(p, "--%s: invalid character %s at position %zu (allowed: %s)",
				    opt, shown, i + 1, IDENT_ALPHABET);
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

static int apply_opt(struct parser *p, const struct opt *o, const char *val)
{
	struct ctl_args *a = p->a;

	switch (o->id) {
	case OPT_JSON:
		a->json = true;
		return 0;
	case OPT_NAME:
		return parse_ident(p, o->name, val, &a->name);
	case OPT_GEN_ID:
		return parse_ident(p, o->name, val, &a->gen_id);
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
	if (o->cmds && p->a->cmd == CTL_CMD_NONE)
		return fail(p, "option --%s must follow the command", o->name);
	if (o->cmds && !(o->cmds & CMD_BIT(p->a->cmd)))
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

static int parse_positional(struct parser *p, const char *arg)
{
	struct ctl_args *a = p->a;
	size_t i;

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
	default:
		return 0;
	}
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
	return check_complete(&p);
}

void ctl_usage(FILE *f)
{
	fputs("Usage: edgewardctl [--json] COMMAND [OPTIONS]\n"
	      "\n"
	      "Drives the edgeward kernel module (needs CAP_SYS_ADMIN).\n"
	      "\n"
	      "Commands:\n"
	      "  status                      show the module's state\n"
	      "  list                        list the registrations\n"
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
	      "Options:\n"
	      "  --json                      print JSON instead of text\n"
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
	      "\n"
	      "Exit status: 0 success, 1 the operation failed, 2 usage error.\n", f);
}
