// SPDX-License-Identifier: GPL-2.0-only
/*
 * The configuration's top level and its runtime tables: the keys at the
 * top, [aziot_keys], [preloaded_keys], [preloaded_certs], [tpm], [agent]
 * (a Docker container as in Azure, or one of edgeward's host processes),
 * [connect], [listen], [watchdog], [moby_runtime],
 * [image_garbage_collection], [iotedge_max_requests], the tables of Azure's
 * that edgeward accepts and ignores ([localid], [aziot_max_requests]),
 * and edgeward's own [kernel] and [edgeward]. The identity tables are
 * config_prov.c's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "daemon/config_internal.h"
#include "edgeward.h"

#define CFG_OFF(member) offsetof(struct ew_config, member)
#define AGENT_OFF(member) offsetof(struct ew_config_agent, member)

static const struct cfg_range u32_positive = { 1, UINT32_MAX };
static const struct cfg_range u32_any = { 0, UINT32_MAX };

/* --- maps of URIs --------------------------------------------------------- */

/* struct ew_config_map of name -> path, from name -> file URI. */
static int f_file_map(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		      void *dst, const void *arg)
{
	(void)arg;
	return cfg_read_map(c, v, name, dst, cfg_f_file, NULL);
}

static const struct cfg_list preloaded_keys = {
	.type = EW_TOML_TABLE, .want = "a table", .size = sizeof(struct ew_config_named_key),
	.fn = cfg_f_key, .off = offsetof(struct ew_config_named_key, key),
};
CFG_LIST_READER(f_preloaded_keys, struct ew_config, preloaded_keys, n_preloaded_keys,
		&preloaded_keys)

/* A certificate: a file URI, or a non-empty array of them (a bundle). */
static int f_cert_paths(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			void *dst, const void *arg)
{
	struct ew_config_named_certs *certs = dst;
	bool one = ew_toml_type(v) == EW_TOML_STRING;
	const char **paths;
	size_t i, n;
	int r = 0;

	(void)arg;
	n = one ? 1 : ew_toml_type(v) == EW_TOML_ARRAY ? ew_toml_array_len(v) : 0;
	if (!n)
		return cfg_wrong_type(c, v, name, "a file URI or a non-empty array of file URIs");
	paths = cfg_alloc(c, n * sizeof(*paths));
	if (!paths)
		return -ENOMEM;
	for (i = 0; !r && i < n; i++)
		r = cfg_file_uri(c, one ? v : ew_toml_array_at(v, i), name, &paths[i]);
	certs->paths = paths;
	certs->n_paths = n;
	return r;
}

static const struct cfg_list preloaded_certs = {
	.type = EW_TOML_TABLE, .want = "a table", .size = sizeof(struct ew_config_named_certs),
	.fn = f_cert_paths,
};
CFG_LIST_READER(f_preloaded_certs, struct ew_config, preloaded_certs, n_preloaded_certs,
		&preloaded_certs)

/* --- numbers that may be written as strings ------------------------------- */

/* A uint32_t written as an integer, or as a string that @parse reads. */
struct int_or_string {
	int64_t min, max;			/* of the integer */
	int (*parse)(const char *s, int64_t *out);	/* 0, or not such a string */
	const char *want_string;		/* what the string must be */
	const char *want;			/* what the value must be */
};

static int f_int_or_string(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			   void *dst, const void *arg)
{
	const struct int_or_string *is = arg;
	const char *s;
	int64_t n = 0;
	int r;

	if (ew_toml_type(v) == EW_TOML_INTEGER) {
		r = cfg_read_int(c, v, name, is->min, is->max, &n);
	} else if (ew_toml_type(v) == EW_TOML_STRING) {
		r = cfg_read_string(c, v, name, &s);
		if (!r && is->parse(s, &n))
			r = cfg_wrong_value(c, v, name, is->want_string, s);
	} else {
		return cfg_wrong_type(c, v, name, is->want);
	}
	if (!r)
		*(uint32_t *)dst = (uint32_t)n;
	return r;
}

/* --- [tpm] ---------------------------------------------------------------- */

#define TPM_AUTH_KEY_INDEX_MAX 0x7fffff

/* "0x00_01_00" or "256": Azure's persistent handle index, underscores allowed. */
static int parse_index(const char *s, int64_t *out)
{
	int base = 10, digits = 0;
	int64_t n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; *s; s++) {
		int d;

		if (*s == '_') {
			/* Only between digits, as in TOML's own integers. */
			if (!digits || !s[1] || s[1] == '_')
				return -1;
			continue;
		}
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		if (n > TPM_AUTH_KEY_INDEX_MAX)
			return -2;
		n = n * base + d;
		digits++;
	}
	if (!digits)
		return -1;
	*out = n;
	return n > TPM_AUTH_KEY_INDEX_MAX ? -2 : 0;
}

static const struct int_or_string auth_key_index = {
	0, TPM_AUTH_KEY_INDEX_MAX, parse_index,
	"a number from 0 to 0x7fffff (\"0x00_01_00\")", "an integer or a string",
};

static const struct cfg_field hierarchy_fields[] = {
	{ "endorsement", cfg_f_string, offsetof(struct ew_config_tpm, endorsement_auth), NULL },
	{ "owner", cfg_f_string, offsetof(struct ew_config_tpm, owner_auth), NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct cfg_field tpm_fields[] = {
	{ "tcti", cfg_f_text, offsetof(struct ew_config_tpm, tcti), NULL },
	{ "auth_key_index", f_int_or_string, offsetof(struct ew_config_tpm, auth_key_index),
	  &auth_key_index },
	{ "hierarchy_authorization", cfg_f_table, 0, hierarchy_fields },
	{ NULL, NULL, 0, NULL },
};

/* --- [agent] -------------------------------------------------------------- */

/* Docker's createOptions are JSON: the table is carried over value by value. */
static int to_json(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		   cJSON **out)
{
	/* cJSON keeps numbers as doubles: larger integers would change. */
	const int64_t exact = INT64_C(1) << 53;
	const char *s;
	cJSON *j = NULL;
	size_t i, n;
	int r;

	*out = NULL;
	switch (ew_toml_type(v)) {
	case EW_TOML_TABLE:
		j = cJSON_CreateObject();
		n = ew_toml_table_len(v);
		for (i = 0; j && i < n; i++) {
			struct ew_toml_key k;
			const struct ew_toml_value *item = ew_toml_table_at(v, i, &k);
			const char *key;
			cJSON *child;

			r = cfg_key_name(c, &k, &key);
			if (!r)
				r = to_json(c, item, name, &child);
			if (r) {
				cJSON_Delete(j);
				return r;
			}
			if (!cJSON_AddItemToObject(j, key, child)) {
				cJSON_Delete(child);
				cJSON_Delete(j);
				j = NULL;
			}
		}
		break;
	case EW_TOML_ARRAY:
		j = cJSON_CreateArray();
		n = ew_toml_array_len(v);
		for (i = 0; j && i < n; i++) {
			cJSON *child;

			r = to_json(c, ew_toml_array_at(v, i), name, &child);
			if (r) {
				cJSON_Delete(j);
				return r;
			}
			if (!cJSON_AddItemToArray(j, child)) {
				cJSON_Delete(child);
				cJSON_Delete(j);
				j = NULL;
			}
		}
		break;
	case EW_TOML_STRING:
		r = cfg_read_string(c, v, name, &s);
		if (r)
			return r;
		j = cJSON_CreateString(s);
		break;
	case EW_TOML_INTEGER:
		if (ew_toml_int(v) < -exact || ew_toml_int(v) > exact)
			return cfg_fail_at(c, v,
					   "\"%s\" cannot hold integers beyond 2^53 (JSON numbers are doubles)",
					   name);
		j = cJSON_CreateNumber((double)ew_toml_int(v));
		break;
	case EW_TOML_FLOAT:
		if (!isfinite(ew_toml_float(v)))
			return cfg_fail_at(c, v, "\"%s\" cannot hold inf or nan (JSON has neither)",
					   name);
		j = cJSON_CreateNumber(ew_toml_float(v));
		break;
	case EW_TOML_BOOL:
		j = cJSON_CreateBool(ew_toml_bool(v));
		break;
	default:
		j = cJSON_CreateString(ew_toml_datetime_text(v));
		break;
	}
	if (!j)
		return cfg_nomem(c);
	*out = j;
	return 0;
}

static int f_create_options(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			    void *dst, const void *arg)
{
	int r;

	(void)arg;
	r = cfg_expect_table(c, v, name);
	if (r)
		return r;
	return to_json(c, v, name, dst);
}

static const struct cfg_list agent_args = {
	.type = EW_TOML_ARRAY, .want = "an array of strings", .size = sizeof(const char *),
	.fn = cfg_f_string,
};
CFG_LIST_READER(f_args, struct ew_config_agent, args, n_args, &agent_args)

static int check_user(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		      const char *s)
{
	size_t i, n = strlen(s);

	/* A user name or a numeric uid, as the management API takes it. */
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f || s[i] == ':' || s[i] == '/')
			break;
	if (n <= 64 && i == n)
		return 0;
	return cfg_wrong_value(c, v, name, "a user name or id (at most 64 characters)", s);
}

static const cfg_check user_check = check_user;

static int f_expected_digest(struct cfg_ctx *c, const struct ew_toml_value *v,
			     const char *name, void *dst, const void *arg)
{
	struct ew_config_agent *a = dst;
	const char *s;
	int r;

	(void)arg;
	r = cfg_read_string(c, v, name, &s);
	if (r)
		return r;
	if (strncmp(s, "sha256:", 7) || ew_digest_parse(s + 7, a->expected_digest))
		return cfg_wrong_value(c, v, name, "\"sha256:\" and 64 hexadecimal digits", s);
	a->has_expected_digest = true;
	return 0;
}

static const struct cfg_field registry_auth_fields[] = {
	{ "serveraddress", cfg_f_text, AGENT_OFF(auth_serveraddress), NULL },
	{ "username", cfg_f_string, AGENT_OFF(auth_username), NULL },
	{ "password", cfg_f_string, AGENT_OFF(auth_password), NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct cfg_field docker_config_fields[] = {
	{ "image", cfg_f_text, AGENT_OFF(image), NULL },
	{ "createOptions", f_create_options, AGENT_OFF(create_options), NULL },
	{ "auth", cfg_f_table, 0, registry_auth_fields },
	{ "digest", cfg_f_text, AGENT_OFF(digest), NULL },
	{ "imageHash", cfg_f_text, AGENT_OFF(image_hash), NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct cfg_field process_config_fields[] = {
	{ "exec", cfg_f_text, AGENT_OFF(exec), &cfg_abs_path_check },
	{ "args", f_args, 0, NULL },
	{ "user", cfg_f_text, AGENT_OFF(user), &user_check },
	{ "expectedDigest", f_expected_digest, 0, NULL },
	{ NULL, NULL, 0, NULL },
};

static int f_agent_config(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			  void *dst, const void *arg)
{
	struct ew_config_agent *a = dst;
	bool docker = a->type == EW_MODULE_DOCKER;
	int r;

	(void)arg;
	r = cfg_enter(c, v, name);
	if (r)
		return r;
	r = cfg_walk(c, v, docker ? docker_config_fields : process_config_fields, a,
		     docker ? " for agent type \"docker\"" : " for agent type \"process\"");
	if (!r && docker)
		r = cfg_require(c, v, "image");
	cfg_pop(c);
	return r;
}

static int check_env_name(struct cfg_ctx *c, const struct ew_toml_value *table,
			  const struct ew_config_pair *item)
{
	char q[CFG_QUOTE_MAX], t[CFG_PATH_MAX + 16];
	const char *k = item->name;

	if (*k && !strchr(k, '='))
		return 0;
	return cfg_fail(c, cfg_key_pos(table, k),
			"environment variable name %s must not be empty or contain '='%s",
			cfg_quote(q, sizeof(q), k, strlen(k)), cfg_in_table(c, t, sizeof(t)));
}

static int f_env(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		 void *dst, const void *arg)
{
	(void)arg;
	return cfg_read_map_checked(c, v, name, dst, check_env_name);
}

static const char *const pull_names[] = { "on-create", "never" };
static const int pull_values[] = { EW_CONFIG_PULL_ON_CREATE, EW_CONFIG_PULL_NEVER };
static const struct cfg_enum pull_policies = { pull_names, pull_values, 2 };

static const char *const agent_type_names[] = { "docker", "process" };
static const int agent_type_values[] = { EW_MODULE_DOCKER, EW_MODULE_PROCESS };
static const struct cfg_enum agent_types = { agent_type_names, agent_type_values, 2 };

static const struct cfg_field agent_fields[] = {
	{ "name", cfg_f_text, AGENT_OFF(name), &cfg_ident_check },
	{ "type", NULL, 0, NULL },
	{ "imagePullPolicy", cfg_f_enum, AGENT_OFF(image_pull_policy), &pull_policies },
	{ "config", f_agent_config, 0, NULL },
	{ "env", f_env, AGENT_OFF(env), NULL },
	{ NULL, NULL, 0, NULL },
};

static int f_agent(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		   void *dst, const void *arg)
{
	struct ew_config_agent *a = dst;
	const struct ew_toml_value *type;
	int t = EW_MODULE_DOCKER, r;

	(void)arg;
	r = cfg_enter(c, v, name);
	if (r)
		return r;
	/* As in Azure's file, an [agent] without a type is a Docker container. */
	type = ew_toml_get(v, "type");
	if (type)
		r = cfg_f_enum(c, type, "type", &t, &agent_types);
	if (!r) {
		a->type = (enum ew_module_type)t;
		r = cfg_walk(c, v, agent_fields, a, NULL);
	}
	if (!r && a->type == EW_MODULE_DOCKER)
		r = cfg_require(c, v, "config");
	cfg_pop(c);
	return r;
}

/* --- [connect], [listen], [watchdog] -------------------------------------- */

static const char *const tls_names[] = { "tls1.0", "tls1.2", "tls1.3" };
static const int tls_values[] = { EW_CONFIG_TLS_1_0, EW_CONFIG_TLS_1_2, EW_CONFIG_TLS_1_3 };
static const struct cfg_enum tls_versions = { tls_names, tls_values, 3 };

static const struct cfg_field connect_fields[] = {
	{ "workload_uri", cfg_f_sock, CFG_OFF(connect.workload), NULL },
	{ "management_uri", cfg_f_sock, CFG_OFF(connect.management), NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct cfg_field listen_fields[] = {
	/* arg: systemd sockets ("fd://name") are allowed here. */
	{ "workload_uri", cfg_f_sock, CFG_OFF(listen.workload), "fd" },
	{ "management_uri", cfg_f_sock, CFG_OFF(listen.management), "fd" },
	{ "min_tls_version", cfg_f_enum, CFG_OFF(listen_min_tls_version), &tls_versions },
	{ NULL, NULL, 0, NULL },
};

/* "infinite" is 0, which no integer may be. */
static int parse_infinite(const char *s, int64_t *out)
{
	*out = 0;
	return strcmp(s, "infinite");
}

static const struct int_or_string max_retries = {
	1, UINT32_MAX, parse_infinite,
	"\"infinite\" or an integer of at least 1", "\"infinite\" or an integer",
};

static const struct cfg_field watchdog_fields[] = {
	{ "max_retries", f_int_or_string, 0, &max_retries },
	{ NULL, NULL, 0, NULL },
};

/* --- [moby_runtime] ------------------------------------------------------- */

/* Docker's rule for network names. */
static int check_network_name(struct cfg_ctx *c, const struct ew_toml_value *v,
			      const char *name, const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || (i && strchr("_.-", s[i]))))
			return cfg_wrong_value(c, v, name,
					       "a Docker network name (a letter or digit, then letters, digits, '_', '.' or '-')",
					       s);
	return 0;
}

static const cfg_check network_name_check = check_network_name;

static int check_ip(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		    const char *s)
{
	unsigned char buf[16];

	if (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1)
		return 0;
	return cfg_wrong_value(c, v, name, "an IP address", s);
}

static int check_cidr(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		      const char *s)
{
	const char *slash = strchr(s, '/');
	unsigned char buf[16];
	char addr[64];
	int af = 0, bits = 0, max;
	size_t i;

	if (slash && (size_t)(slash - s) < sizeof(addr) && slash[1] && strlen(slash + 1) <= 3) {
		memcpy(addr, s, (size_t)(slash - s));
		addr[slash - s] = '\0';
		af = inet_pton(AF_INET, addr, buf) == 1 ? AF_INET :
		     inet_pton(AF_INET6, addr, buf) == 1 ? AF_INET6 : 0;
		for (i = 1; af && slash[i]; i++) {
			if (slash[i] < '0' || slash[i] > '9')
				af = 0;
			else
				bits = bits * 10 + (slash[i] - '0');
		}
	}
	max = af == AF_INET ? 32 : 128;
	if (af && bits <= max)
		return 0;
	return cfg_wrong_value(c, v, name, "an IP network (\"172.18.0.0/16\")", s);
}

static const cfg_check ip_check = check_ip;
static const cfg_check cidr_check = check_cidr;

static const struct cfg_field ipam_config_fields[] = {
	{ "gateway", cfg_f_text, offsetof(struct ew_config_ipam, gateway), &ip_check },
	{ "subnet", cfg_f_text, offsetof(struct ew_config_ipam, subnet), &cidr_check },
	{ "ip_range", cfg_f_text, offsetof(struct ew_config_ipam, ip_range), &cidr_check },
	{ NULL, NULL, 0, NULL },
};

/* An item of an array of tables, already entered: its keys are @arg's fields. */
static int f_walk(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		  void *dst, const void *arg)
{
	(void)name;
	return cfg_walk(c, v, arg, dst, NULL);
}

static const struct cfg_list ipam_config = {
	.type = EW_TOML_ARRAY, .want = "an array of tables", .size = sizeof(struct ew_config_ipam),
	.fn = f_walk, .arg = ipam_config_fields, .tables = true,
};
CFG_LIST_READER(f_ipam_config, struct ew_config_moby, ipam, n_ipam, &ipam_config)

static const struct cfg_field ipam_fields[] = {
	{ "config", f_ipam_config, 0, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct cfg_field network_fields[] = {
	{ "name", cfg_f_text, offsetof(struct ew_config_moby, network), &network_name_check },
	{ "ipv6", cfg_f_bool, offsetof(struct ew_config_moby, ipv6), NULL },
	{ "ipam", cfg_f_table, 0, ipam_fields },
	{ NULL, NULL, 0, NULL },
};
static const char *const network_required[] = { "name", NULL };
static const struct cfg_table network_table = { network_fields, network_required };

/* A network name, or a table with its name and addressing. */
static int f_network(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		     void *dst, const void *arg)
{
	struct ew_config_moby *m = dst;

	(void)arg;
	if (ew_toml_type(v) == EW_TOML_STRING)
		return cfg_f_text(c, v, name, &m->network, &network_name_check);
	if (ew_toml_type(v) != EW_TOML_TABLE)
		return cfg_wrong_type(c, v, name, "a string or a table");
	return cfg_f_table_req(c, v, name, m, &network_table);
}

static const struct cfg_field content_trust_fields[] = {
	{ "ca_certs", f_file_map, 0, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct cfg_field moby_fields[] = {
	{ "uri", cfg_f_docker_uri, offsetof(struct ew_config_moby, uri), NULL },
	{ "network", f_network, 0, NULL },
	{ "content_trust", cfg_f_table, offsetof(struct ew_config_moby, content_trust),
	  content_trust_fields },
	{ NULL, NULL, 0, NULL },
};

/* --- [image_garbage_collection] ------------------------------------------- */

static int f_cleanup_time(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			  void *dst, const void *arg)
{
	const char *s;
	int r;

	(void)arg;
	r = cfg_read_string(c, v, name, &s);
	if (r)
		return r;
	if (strlen(s) == 5 && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
	    s[2] == ':' && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9' &&
	    (s[0] - '0') * 10 + (s[1] - '0') < 24) {
		*(uint32_t *)dst = (uint32_t)(((s[0] - '0') * 10 + (s[1] - '0')) * 60 +
					      (s[3] - '0') * 10 + (s[4] - '0'));
		return 0;
	}
	return cfg_wrong_value(c, v, name, "a time of day \"HH:MM\" (00:00 to 23:59)", s);
}

static const struct cfg_field image_gc_fields[] = {
	{ "enabled", cfg_f_bool, offsetof(struct ew_config_image_gc, enabled), NULL },
	{ "cleanup_recurrence", cfg_f_duration,
	  offsetof(struct ew_config_image_gc, cleanup_recurrence), NULL },
	{ "image_age_cleanup_threshold", cfg_f_duration,
	  offsetof(struct ew_config_image_gc, image_age_cleanup_threshold), NULL },
	{ "cleanup_time", f_cleanup_time, offsetof(struct ew_config_image_gc, cleanup_time),
	  NULL },
	{ NULL, NULL, 0, NULL },
};

static int f_image_gc(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		      void *dst, const void *arg)
{
	const struct ew_config_image_gc *gc = dst;
	int r;

	(void)arg;
	r = cfg_f_table(c, v, name, dst, image_gc_fields);
	/* Azure collects at most once a day: cleanup_time is a time of day. */
	if (!r && gc->cleanup_recurrence < 86400)
		r = cfg_fail_at(c, ew_toml_get(v, "cleanup_recurrence"),
				"\"cleanup_recurrence\" must be at least 1d");
	return r;
}

/* --- edgeward's [kernel] and [edgeward] ----------------------------------- */

static const char *const mode_names[] = { "off", "audit", "enforce" };
static const int mode_values[] = { EDGEWARD_MODE_OFF, EDGEWARD_MODE_AUDIT,
				   EDGEWARD_MODE_ENFORCE };
static const struct cfg_enum kernel_modes = { mode_names, mode_values, 3 };

static const struct cfg_field kernel_fields[] = {
	{ "required", cfg_f_bool, offsetof(struct ew_config_kernel, required), NULL },
	{ "mode", cfg_f_enum, offsetof(struct ew_config_kernel, mode), &kernel_modes },
	{ "lock_after_boot", cfg_f_bool, offsetof(struct ew_config_kernel, lock_after_boot),
	  NULL },
	{ NULL, NULL, 0, NULL },
};

static const char *const level_names[] = { "error", "warn", "info", "debug" };
static const int level_values[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
static const struct cfg_enum log_levels = { level_names, level_values, 4 };

/* A path under the cgroup mount: relative, no empty, "." or ".." parts. */
static int check_cgroup_base(struct cfg_ctx *c, const struct ew_toml_value *v,
			     const char *name, const char *s)
{
	const char *p = s;
	bool ok = *s && strlen(s) < 256;

	while (ok && *p) {
		size_t n = strcspn(p, "/");
		size_t i;

		ok = n && !(n == 1 && p[0] == '.') && !(n == 2 && p[0] == '.' && p[1] == '.');
		for (i = 0; ok && i < n; i++)
			ok = (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
			     (p[i] >= '0' && p[i] <= '9') || strchr("_.-", p[i]);
		p += n;
		if (ok && *p == '/')
			ok = *++p != '\0';
	}
	if (ok)
		return 0;
	return cfg_wrong_value(c, v, name,
			       "a relative path of letters, digits, '_', '.' and '-' (\"edgeward\")", s);
}

static const cfg_check cgroup_base_check = check_cgroup_base;

static const struct cfg_field edgeward_fields[] = {
	{ "state_dir", cfg_f_text, offsetof(struct ew_config_edgeward, state_dir),
	  &cfg_abs_path_check },
	{ "log_level", cfg_f_enum, offsetof(struct ew_config_edgeward, log_level), &log_levels },
	{ "module_cgroup_base", cfg_f_text,
	  offsetof(struct ew_config_edgeward, module_cgroup_base), &cgroup_base_check },
	{ NULL, NULL, 0, NULL },
};

/* --- Azure's keys that edgeward ignores ----------------------------------- */

static const struct cfg_ignored dps_trust_bundle = {
	cfg_f_text, NULL, "edgeward does not provision with DPS",
};

static const struct cfg_ignored additional_info = {
	cfg_f_file, NULL, "edgeward does not report additional system information",
};

static const struct cfg_field localid_fields[] = {
	{ "domain", cfg_f_text, 0, NULL },
	{ NULL, NULL, 0, NULL },
};
static const char *const localid_required[] = { "domain", NULL };
static const struct cfg_table localid_table = { localid_fields, localid_required };
static const struct cfg_ignored localid = {
	cfg_f_table_req, &localid_table, "edgeward does not issue local identities",
};

#define IOTEDGE_MAX_OFF(member) offsetof(struct ew_config_iotedge_max_requests, member)
#define AZIOT_MAX_OFF(member) offsetof(struct ew_config_aziot_max_requests, member)

static const struct cfg_field iotedge_max_requests_fields[] = {
	{ "management", cfg_f_u32, IOTEDGE_MAX_OFF(management), &u32_positive },
	{ "workload", cfg_f_u32, IOTEDGE_MAX_OFF(workload), &u32_positive },
	{ NULL, NULL, 0, NULL },
};
/* Azure takes the table whole: neither limit has a default inside it. */
static const char *const iotedge_max_requests_required[] = { "management", "workload", NULL };
static const struct cfg_table iotedge_max_requests_table = {
	iotedge_max_requests_fields, iotedge_max_requests_required,
};

static const struct cfg_field aziot_max_requests_fields[] = {
	{ "keyd", cfg_f_u32, AZIOT_MAX_OFF(keyd), &u32_positive },
	{ "certd", cfg_f_u32, AZIOT_MAX_OFF(certd), &u32_positive },
	{ "tpmd", cfg_f_u32, AZIOT_MAX_OFF(tpmd), &u32_positive },
	{ "identityd", cfg_f_u32, AZIOT_MAX_OFF(identityd), &u32_positive },
	{ NULL, NULL, 0, NULL },
};
static const struct cfg_ignored aziot_max_requests = {
	cfg_f_table, aziot_max_requests_fields,
	"edgeward runs none of the Azure services it limits",
};

/* --- the top level -------------------------------------------------------- */

static const char *const reprovision_names[] = { "Dynamic", "AlwaysOnStartup", "OnErrorOnly" };
static const int reprovision_values[] = {
	EW_CONFIG_REPROVISION_DYNAMIC, EW_CONFIG_REPROVISION_ALWAYS_ON_STARTUP,
	EW_CONFIG_REPROVISION_ON_ERROR_ONLY,
};
static const struct cfg_enum reprovision_modes = { reprovision_names, reprovision_values, 3 };

static const struct cfg_field root_fields[] = {
	{ "hostname", cfg_f_text, CFG_OFF(hostname), &cfg_hostname_check },
	{ "parent_hostname", cfg_f_text, CFG_OFF(parent_hostname), &cfg_hostname_check },
	/* The Identity Service's name for it; Azure takes either. */
	{ "local_gateway_hostname", cfg_f_text, CFG_OFF(parent_hostname), &cfg_hostname_check },
	{ "trust_bundle_cert", cfg_f_file, CFG_OFF(trust_bundle_cert), NULL },
	{ "manifest_trust_bundle_cert", cfg_f_file, CFG_OFF(manifest_trust_bundle_cert), NULL },
	{ "allow_elevated_docker_permissions", cfg_f_bool,
	  CFG_OFF(allow_elevated_docker_permissions), NULL },
	{ "auto_reprovisioning_mode", cfg_f_enum, CFG_OFF(auto_reprovisioning_mode),
	  &reprovision_modes },
	{ "prefer_module_identity_cache", cfg_f_bool, CFG_OFF(prefer_module_identity_cache),
	  NULL },
	{ "imported_master_encryption_key", cfg_f_file, CFG_OFF(imported_master_encryption_key),
	  NULL },
	{ "cloud_timeout_sec", cfg_f_u32, CFG_OFF(cloud_timeout_sec), &u32_positive },
	{ "cloud_retries", cfg_f_u32, CFG_OFF(cloud_retries), &u32_any },
	{ "dps_trust_bundle", cfg_f_ignored, CFG_OFF(dps_trust_bundle), &dps_trust_bundle },
	{ "additional_info", cfg_f_ignored, CFG_OFF(additional_info), &additional_info },
	{ "localid", cfg_f_ignored, CFG_OFF(localid_domain), &localid },
	{ "iotedge_max_requests", cfg_f_table_req, CFG_OFF(iotedge_max_requests),
	  &iotedge_max_requests_table },
	{ "aziot_max_requests", cfg_f_ignored, CFG_OFF(aziot_max_requests),
	  &aziot_max_requests },
	{ "provisioning", cfg_f_provisioning, CFG_OFF(provisioning), NULL },
	{ "cert_issuance", cfg_f_cert_issuance, 0, NULL },
	{ "edge_ca", cfg_f_edge_ca, CFG_OFF(edge_ca), NULL },
	{ "aziot_keys", cfg_f_map, CFG_OFF(aziot_keys), NULL },
	{ "preloaded_keys", f_preloaded_keys, 0, NULL },
	{ "preloaded_certs", f_preloaded_certs, 0, NULL },
	{ "tpm", cfg_f_table, CFG_OFF(tpm), tpm_fields },
	{ "agent", f_agent, CFG_OFF(agent), NULL },
	{ "connect", cfg_f_table, 0, connect_fields },
	{ "listen", cfg_f_table, 0, listen_fields },
	{ "watchdog", cfg_f_table, CFG_OFF(watchdog_max_retries), watchdog_fields },
	{ "moby_runtime", cfg_f_table, CFG_OFF(moby_runtime), moby_fields },
	{ "image_garbage_collection", f_image_gc, CFG_OFF(image_gc), NULL },
	{ "kernel", cfg_f_table, CFG_OFF(kernel), kernel_fields },
	{ "edgeward", cfg_f_table, CFG_OFF(edgeward), edgeward_fields },
	{ NULL, NULL, 0, NULL },
};

int cfg_read_root(struct cfg_ctx *c, const struct ew_toml_value *root)
{
	int r = cfg_exclusive(c, root, "parent_hostname", "local_gateway_hostname");

	if (!r)
		r = cfg_walk(c, root, root_fields, c->cfg, NULL);

	/* Local mode names the device after the host, as the file may set it. */
	if (!r && !ew_toml_get(root, "provisioning"))
		c->cfg->provisioning.device_id = c->cfg->hostname;
	return r;
}
