// SPDX-License-Identifier: GPL-2.0-only
/*
 * The configuration's identity tables: [provisioning] (manual with a
 * connection string or explicit credentials, DPS with its three kinds of
 * attestation, or none), the X.509 identities in it (preloaded or issued),
 * [cert_issuance] (EST and a local CA) and [edge_ca] (preloaded, quickstart
 * or issued). Which keys a table may have depends on its source, method or
 * form, decided first. Keys Azure superseded in [provisioning] are
 * accepted with a warning.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/objects.h>

#include "daemon/config_internal.h"

#define PROV_OFF(member) offsetof(struct ew_config_provisioning, member)
#define ISSUE_OFF(member) offsetof(struct ew_config_cert_issue, member)
#define EST_OFF(member) offsetof(struct ew_config_est, member)

/* 100 years: Azure takes any positive number; more is surely a typo. */
static const struct cfg_range expiry_days_range = { 1, 36500 };

/* --- certificate issuance options ----------------------------------------- */

static const char *const issue_names[] = { "est", "local_ca" };
static const int issue_values[] = { EW_CONFIG_ISSUE_EST, EW_CONFIG_ISSUE_LOCAL_CA };
const struct cfg_enum cfg_issue_methods = { issue_names, issue_values, 2 };

/* A field OpenSSL has no name (or OID) for could never go into a certificate. */
static int check_dn_field(struct cfg_ctx *c, const struct ew_toml_value *table,
			  const struct ew_config_pair *item)
{
	char q[CFG_QUOTE_MAX], t[CFG_PATH_MAX + 16];
	const char *f = item->name;

	if (OBJ_txt2nid(f) == NID_undef)
		return cfg_fail(c, cfg_key_pos(table, f), "unknown DN field %s%s",
				cfg_quote(q, sizeof(q), f, strlen(f)),
				cfg_in_table(c, t, sizeof(t)));
	if (!*item->value)
		return cfg_fail_at(c, ew_toml_get(table, f), "\"%s\" must not be empty", f);
	return 0;
}

int cfg_f_subject(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		  void *dst, const void *arg)
{
	(void)arg;
	return cfg_read_map_checked(c, v, name, dst, check_dn_field);
}

/*
 * How an EST client authenticates, in [cert_issuance.est.auth] and in the
 * options of an issued certificate: fields of two structs, hence a macro.
 */
#define EST_AUTH_FIELDS(OFF)							\
	{ "username", cfg_f_text, OFF(username), NULL },			\
	{ "password", cfg_f_string, OFF(password), NULL },			\
	{ "identity_cert", cfg_f_file, OFF(identity_cert), NULL },		\
	{ "identity_pk", cfg_f_key, OFF(identity_pk), NULL },			\
	{ "bootstrap_identity_cert", cfg_f_file, OFF(bootstrap_identity_cert), NULL }, \
	{ "bootstrap_identity_pk", cfg_f_key, OFF(bootstrap_identity_pk), NULL }

#define ISSUE_FIELDS(OFF)							\
	{ "method", cfg_f_enum, OFF(method), &cfg_issue_methods },		\
	{ "common_name", cfg_f_text, OFF(common_name), NULL },			\
	{ "subject", cfg_f_subject, OFF(subject), NULL },			\
	{ "expiry_days", cfg_f_u32, OFF(expiry_days), &expiry_days_range },	\
	{ "url", cfg_f_https, OFF(url), NULL },					\
	EST_AUTH_FIELDS(OFF)

static const struct cfg_field issue_fields[] = {
	ISSUE_FIELDS(ISSUE_OFF),
	{ "auto_renew", cfg_f_auto_renew, ISSUE_OFF(auto_renew), NULL },
	{ NULL, NULL, 0, NULL },
};

/* Keys of an EST request a local CA has no use for. */
static const char *const est_only[] = {
	"url", "username", "password", "identity_cert", "identity_pk",
	"bootstrap_identity_cert", "bootstrap_identity_pk",
};

/* Keys that only make sense together: the one missing is reported. */
static int require_pairs(struct cfg_ctx *c, const struct ew_toml_value *table)
{
	static const char *const pairs[][2] = {
		{ "identity_cert", "identity_pk" },
		{ "bootstrap_identity_cert", "bootstrap_identity_pk" },
		{ "username", "password" },
	};
	size_t i;
	int r = 0;

	for (i = 0; !r && i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		bool a = ew_toml_get(table, pairs[i][0]), b = ew_toml_get(table, pairs[i][1]);

		if (a != b)
			r = cfg_require(c, table, pairs[i][a ? 1 : 0]);
	}
	return r;
}

int cfg_cert_issue_check(struct cfg_ctx *c, const struct ew_toml_value *table,
			 const struct ew_config_cert_issue *is)
{
	char t[CFG_PATH_MAX + 16];
	size_t i;
	int r;

	r = cfg_exclusive(c, table, "common_name", "subject");
	if (r)
		return r;
	if (is->method == EW_CONFIG_ISSUE_LOCAL_CA) {
		for (i = 0; i < sizeof(est_only) / sizeof(est_only[0]); i++)
			if (ew_toml_get(table, est_only[i]))
				return cfg_fail(c, cfg_key_pos(table, est_only[i]),
						"\"%s\" is only for method \"est\"%s", est_only[i],
						cfg_in_table(c, t, sizeof(t)));
	}
	return require_pairs(c, table);
}

int cfg_f_cert_issue(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		     void *dst, const void *arg)
{
	struct ew_config_cert_issue *is = dst;
	int r;

	(void)arg;
	r = cfg_enter(c, v, name);
	if (r)
		return r;
	memset(is, 0, sizeof(*is));
	cfg_renew_defaults(&is->auto_renew);
	r = cfg_require(c, v, "method");
	if (!r)
		r = cfg_walk(c, v, issue_fields, is, NULL);
	if (!r)
		r = cfg_cert_issue_check(c, v, is);
	cfg_pop(c);
	return r;
}

/* --- X.509 identities ----------------------------------------------------- */

/* identity_cert: a file URI (preloaded) or a table (issued). */
static int f_identity_cert(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			   void *dst, const void *arg)
{
	struct ew_config_x509 *x = dst;

	(void)arg;
	if (ew_toml_type(v) == EW_TOML_TABLE)
		return cfg_f_cert_issue(c, v, name, &x->issue, NULL);
	if (ew_toml_type(v) != EW_TOML_STRING)
		return cfg_wrong_type(c, v, name, "a file URI string or a table");
	return cfg_file_uri(c, v, name, &x->identity_cert);
}

/* The rules of a table holding identity_cert and identity_pk. */
static int x509_check(struct cfg_ctx *c, const struct ew_toml_value *table)
{
	const struct ew_toml_value *cert;
	char t[CFG_PATH_MAX + 16];
	int r;

	r = cfg_require(c, table, "identity_cert");
	if (r)
		return r;
	cert = ew_toml_get(table, "identity_cert");
	if (ew_toml_type(cert) != EW_TOML_TABLE)
		return cfg_require(c, table, "identity_pk");
	if (ew_toml_get(table, "identity_pk"))
		return cfg_fail(c, cfg_key_pos(table, "identity_pk"),
				"\"identity_pk\" cannot be combined with an issued \"identity_cert\" (its key is generated)%s",
				cfg_in_table(c, t, sizeof(t)));
	return 0;
}

/* --- [provisioning] ------------------------------------------------------- */

static const char *const source_names[] = { "manual", "dps", "none" };
static const int source_values[] = {
	EW_CONFIG_PROV_MANUAL, EW_CONFIG_PROV_DPS, EW_CONFIG_PROV_NONE,
};
static const struct cfg_enum sources = { source_names, source_values, 3 };

static const char *const auth_names[] = { "sas", "x509" };
static const int auth_values[] = { EW_CONFIG_AUTH_SAS, EW_CONFIG_AUTH_X509 };
static const struct cfg_enum auth_methods = { auth_names, auth_values, 2 };

static const char *const attest_names[] = { "symmetric_key", "x509", "tpm" };
static const int attest_values[] = {
	EW_CONFIG_ATTEST_SYMMETRIC_KEY, EW_CONFIG_ATTEST_X509, EW_CONFIG_ATTEST_TPM,
};
static const struct cfg_enum attest_methods = { attest_names, attest_values, 3 };

/* A table with a "method" that decides its other keys. */
struct method_table {
	const char *key;			/* "method" */
	const struct cfg_enum *methods;
	const struct cfg_field *const *fields;	/* per value, by index in methods */
	const char *const *const *required;	/* per value: NULL-ended lists */
	size_t off;				/* of the method in the struct */
};

static const char *const sas_required[] = { "device_id_pk", NULL };
static const char *const none_required[] = { NULL };
static const char *const symkey_required[] = { "registration_id", "symmetric_key", NULL };
static const char *const tpm_required[] = { "registration_id", NULL };

static const struct cfg_field auth_sas_fields[] = {
	{ "method", NULL, 0, NULL },
	{ "device_id_pk", cfg_f_sym_key, PROV_OFF(device_id_pk), NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct cfg_field auth_x509_fields[] = {
	{ "method", NULL, 0, NULL },
	{ "identity_cert", f_identity_cert, PROV_OFF(x509), NULL },
	{ "identity_pk", cfg_f_key, PROV_OFF(x509.identity_pk), NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct cfg_field *const auth_fields[] = { auth_sas_fields, auth_x509_fields };
static const char *const *const auth_required[] = { sas_required, none_required };

static const struct method_table auth_table = {
	"method", &auth_methods, auth_fields, auth_required, PROV_OFF(auth),
};

static const struct cfg_field attest_symkey_fields[] = {
	{ "method", NULL, 0, NULL },
	{ "registration_id", cfg_f_text, PROV_OFF(registration_id), NULL },
	{ "symmetric_key", cfg_f_sym_key, PROV_OFF(symmetric_key), NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct cfg_field attest_x509_fields[] = {
	{ "method", NULL, 0, NULL },
	{ "registration_id", cfg_f_text, PROV_OFF(registration_id), NULL },
	{ "identity_cert", f_identity_cert, PROV_OFF(x509), NULL },
	{ "identity_pk", cfg_f_key, PROV_OFF(x509.identity_pk), NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct cfg_field attest_tpm_fields[] = {
	{ "method", NULL, 0, NULL },
	{ "registration_id", cfg_f_text, PROV_OFF(registration_id), NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct cfg_field *const attest_fields[] = {
	attest_symkey_fields, attest_x509_fields, attest_tpm_fields,
};
static const char *const *const attest_required[] = {
	symkey_required, none_required, tpm_required,
};

static const struct method_table attest_table = {
	"method", &attest_methods, attest_fields, attest_required, PROV_OFF(attestation),
};

/* The key of @table that decides which others it may have: read first. */
static int read_discriminator(struct cfg_ctx *c, const struct ew_toml_value *table,
			      const char *key, const struct cfg_enum *values, int *out)
{
	int r = cfg_require(c, table, key);

	return r ? r : cfg_f_enum(c, ew_toml_get(table, key), key, out, values);
}

static int read_method_table(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			     struct ew_config_provisioning *p, const struct method_table *mt)
{
	char why[64];
	size_t i;
	int method = 0, r;

	r = cfg_enter(c, v, name);
	if (r)
		return r;
	r = read_discriminator(c, v, mt->key, mt->methods, &method);
	if (r)
		goto out;
	memcpy((char *)p + mt->off, &method, sizeof(method));
	for (i = 0; i < mt->methods->n && mt->methods->values[i] != method; i++)
		;
	snprintf(why, sizeof(why), " for %s \"%s\"", mt->key, mt->methods->names[i]);
	r = cfg_walk(c, v, mt->fields[i], p, why);
	if (!r)
		r = cfg_require_all(c, v, mt->required[i]);
	/* Both tables' "x509" holds an identity_cert and its key. */
	if (!r && !strcmp(mt->methods->names[i], "x509"))
		r = x509_check(c, v);
out:
	cfg_pop(c);
	return r;
}

static int f_authentication(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			    void *dst, const void *arg)
{
	(void)arg;
	return read_method_table(c, v, name, dst, &auth_table);
}

static int f_attestation(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			 void *dst, const void *arg)
{
	(void)arg;
	return read_method_table(c, v, name, dst, &attest_table);
}

static int f_connection_string(struct cfg_ctx *c, const struct ew_toml_value *v,
			       const char *name, void *dst, const void *arg)
{
	(void)name;
	(void)arg;
	return cfg_connection_string(c, v, dst);
}

static const struct cfg_field payload_fields[] = {
	{ "uri", cfg_f_file, 0, NULL },
	{ NULL, NULL, 0, NULL },
};
static const char *const payload_required[] = { "uri", NULL };
static const struct cfg_table payload_table = { payload_fields, payload_required };

/*
 * Keys Azure superseded, still in files written for it (Microsoft's own
 * guides show dynamic_reprovisioning in /etc/aziot/config.toml), and which
 * its daemons now pass over without a word: accepted with a warning.
 */
static const struct cfg_ignored dynamic_reprovisioning = {
	cfg_f_bool, NULL,
	"Azure IoT Edge 1.2 and later ignore it too (auto_reprovisioning_mode replaced it)",
};

#define DEVICE_ID_RENEWAL_REPLACED \
	"Azure ignores it too ([provisioning.attestation.identity_cert.auto_renew] replaced it)"

static const struct cfg_ignored auto_renew_device_id = {
	cfg_f_bool, NULL, DEVICE_ID_RENEWAL_REPLACED,
};

static const struct cfg_ignored device_id_renewal_policy = {
	cfg_f_renew_value, NULL, DEVICE_ID_RENEWAL_REPLACED,
};

/* Said of a top-level key written under [provisioning]. */
#define TOP_LEVEL_KEY "it is a top-level key (write it before the first table)"

static const struct cfg_field manual_fields[] = {
	{ "source", NULL, 0, NULL },
	{ "connection_string", f_connection_string, 0, NULL },
	{ "iothub_hostname", cfg_f_text, PROV_OFF(iothub_hostname), &cfg_hostname_check },
	{ "device_id", cfg_f_text, PROV_OFF(device_id), &cfg_ident_check },
	{ "authentication", f_authentication, 0, NULL },
	{ "dynamic_reprovisioning", cfg_f_superseded, 0, &dynamic_reprovisioning },
	{ "dps_trust_bundle", cfg_f_misplaced, 0, TOP_LEVEL_KEY },
	{ NULL, NULL, 0, NULL },
};

static const struct cfg_field dps_fields[] = {
	{ "source", NULL, 0, NULL },
	{ "global_endpoint", cfg_f_https, PROV_OFF(global_endpoint), NULL },
	{ "id_scope", cfg_f_text, PROV_OFF(id_scope), NULL },
	{ "attestation", f_attestation, 0, NULL },
	{ "payload", cfg_f_table_req, PROV_OFF(payload), &payload_table },
	{ "always_reprovision_on_startup", cfg_f_bool,
	  PROV_OFF(always_reprovision_on_startup), NULL },
	{ "dynamic_reprovisioning", cfg_f_superseded, 0, &dynamic_reprovisioning },
	{ "auto_renew_device_id", cfg_f_superseded, 0, &auto_renew_device_id },
	{ "device_id_renewal_threshold", cfg_f_superseded, 0, &device_id_renewal_policy },
	{ "device_id_renewal_retry", cfg_f_superseded, 0, &device_id_renewal_policy },
	{ "dps_trust_bundle", cfg_f_misplaced, 0, TOP_LEVEL_KEY },
	{ NULL, NULL, 0, NULL },
};

static const struct cfg_field none_fields[] = {
	{ "source", NULL, 0, NULL },
	{ "dps_trust_bundle", cfg_f_misplaced, 0, TOP_LEVEL_KEY },
	{ NULL, NULL, 0, NULL },
};

static const char *const dps_required[] = {
	"global_endpoint", "id_scope", "attestation", NULL,
};

static int read_manual(struct cfg_ctx *c, const struct ew_toml_value *t,
		       struct ew_config_provisioning *p)
{
	static const char *const explicit_keys[] = {
		"iothub_hostname", "device_id", "authentication", NULL,
	};
	size_t i;
	int r = 0;

	for (i = 0; !r && explicit_keys[i]; i++)
		r = cfg_exclusive(c, t, "connection_string", explicit_keys[i]);
	if (!r)
		r = cfg_walk(c, t, manual_fields, p, " for source \"manual\"");
	if (r || ew_toml_get(t, "connection_string"))
		return r;
	return cfg_require_all(c, t, explicit_keys);
}

int cfg_f_provisioning(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		       void *dst, const void *arg)
{
	struct ew_config_provisioning *p = dst;
	int source = 0, r;

	(void)arg;
	r = cfg_enter(c, v, name);
	if (r)
		return r;
	/* The file's provisioning replaces local mode whole. */
	memset(p, 0, sizeof(*p));
	cfg_renew_defaults(&p->x509.issue.auto_renew);
	r = read_discriminator(c, v, "source", &sources, &source);
	if (r)
		goto out;
	p->source = (enum ew_config_prov_source)source;
	switch (p->source) {
	case EW_CONFIG_PROV_MANUAL:
		r = read_manual(c, v, p);
		break;
	case EW_CONFIG_PROV_DPS:
		r = cfg_walk(c, v, dps_fields, p, " for source \"dps\"");
		if (!r)
			r = cfg_require_all(c, v, dps_required);
		break;
	case EW_CONFIG_PROV_NONE:
		r = cfg_walk(c, v, none_fields, p, " for source \"none\"");
		break;
	}
out:
	cfg_pop(c);
	return r;
}

/* --- [cert_issuance] ------------------------------------------------------ */

static const struct cfg_list trusted_certs = {
	.type = EW_TOML_ARRAY, .want = "an array of file URIs", .size = sizeof(const char *),
	.fn = cfg_f_file,
};
CFG_LIST_READER(f_trusted_certs, struct ew_config_est, trusted_certs, n_trusted_certs,
		&trusted_certs)

static const struct cfg_field est_auth_fields[] = {
	EST_AUTH_FIELDS(EST_OFF),
	{ NULL, NULL, 0, NULL },
};

static int f_est_auth(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		      void *dst, const void *arg)
{
	int r;

	(void)arg;
	r = cfg_enter(c, v, name);
	if (r)
		return r;
	r = cfg_walk(c, v, est_auth_fields, dst, NULL);
	if (!r)
		r = require_pairs(c, v);
	cfg_pop(c);
	return r;
}

static int f_est_urls(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		      void *dst, const void *arg)
{
	struct ew_config_est *est = dst;
	size_t i;
	int r;

	(void)arg;
	r = cfg_f_map(c, v, name, &est->urls, &cfg_https_check);
	for (i = 0; !r && i < est->urls.n; i++)
		if (!strcmp(est->urls.items[i].name, "default"))
			est->default_url = est->urls.items[i].value;
	return r;
}

static const struct cfg_field est_fields[] = {
	{ "trusted_certs", f_trusted_certs, 0, NULL },
	{ "auth", f_est_auth, 0, NULL },
	{ "identity_auto_renew", cfg_f_auto_renew, EST_OFF(identity_auto_renew), NULL },
	{ "urls", f_est_urls, 0, NULL },
	{ NULL, NULL, 0, NULL },
};

static int f_est(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		 void *dst, const void *arg)
{
	struct ew_config_est *est = dst;

	(void)arg;
	est->present = true;
	return cfg_f_table(c, v, name, dst, est_fields);
}

static const struct cfg_field local_ca_fields[] = {
	{ "cert", cfg_f_file, offsetof(struct ew_config_local_ca, cert), NULL },
	{ "pk", cfg_f_key, offsetof(struct ew_config_local_ca, pk), NULL },
	{ NULL, NULL, 0, NULL },
};
/* A CA's certificate and its key: a local CA's, and a preloaded Edge CA's. */
static const char *const ca_required[] = { "cert", "pk", NULL };
static const struct cfg_table local_ca_table = { local_ca_fields, ca_required };

static const struct cfg_field cert_issuance_fields[] = {
	{ "est", f_est, offsetof(struct ew_config, cert_issuance.est), NULL },
	{ "local_ca", cfg_f_table_req, offsetof(struct ew_config, cert_issuance.local_ca),
	  &local_ca_table },
	{ NULL, NULL, 0, NULL },
};

int cfg_f_cert_issuance(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
			void *dst, const void *arg)
{
	(void)arg;
	return cfg_f_table(c, v, name, dst, cert_issuance_fields);
}

/* --- [edge_ca] ------------------------------------------------------------ */

#define EDGE_OFF(member) offsetof(struct ew_config_edge_ca, member)
#define EDGE_ISSUE_OFF(member) EDGE_OFF(issue.member)

static const struct cfg_range quickstart_days = { 1, 3650 };

static const struct cfg_field edge_ca_fields[] = {
	{ "cert", cfg_f_file, EDGE_OFF(cert), NULL },
	{ "pk", cfg_f_key, EDGE_OFF(pk), NULL },
	{ "auto_generated_edge_ca_expiry_days", cfg_f_u32, EDGE_OFF(quickstart_expiry_days),
	  &quickstart_days },
	{ "auto_renew", cfg_f_auto_renew, EDGE_OFF(auto_renew), NULL },
	ISSUE_FIELDS(EDGE_ISSUE_OFF),
	{ NULL, NULL, 0, NULL },
};

enum {
	FORM_PRELOADED = 1,
	FORM_QUICKSTART = 2,
	FORM_ISSUED = 4,
};

/* Which forms of an Edge CA each key belongs to. */
static unsigned int edge_ca_forms(const char *key, size_t len)
{
	static const struct {
		const char *key;
		unsigned int forms;
	} keys[] = {
		{ "cert", FORM_PRELOADED },
		{ "pk", FORM_PRELOADED },
		{ "auto_generated_edge_ca_expiry_days", FORM_QUICKSTART },
		/* A preloaded CA has no issuer to renew it from. */
		{ "auto_renew", FORM_QUICKSTART | FORM_ISSUED },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].key) == len && !memcmp(keys[i].key, key, len))
			return keys[i].forms;
	/* The issuance options (unknown keys are the walk's to report). */
	return cfg_find_field(edge_ca_fields, key, len) ? FORM_ISSUED : 0;
}

/*
 * Preloaded (cert + pk), quickstart (auto_generated_edge_ca_expiry_days)
 * or issued (method and its options): the first key of a form decides,
 * a key of another form after it is an error.
 */
static int edge_ca_form(struct cfg_ctx *c, const struct ew_toml_value *t, unsigned int *out)
{
	unsigned int allowed = FORM_PRELOADED | FORM_QUICKSTART | FORM_ISSUED;
	const char *decided = NULL;
	size_t i, n = ew_toml_table_len(t);

	for (i = 0; i < n; i++) {
		char tb[CFG_PATH_MAX + 16];
		unsigned int forms;
		struct ew_toml_key k;

		ew_toml_table_at(t, i, &k);
		forms = edge_ca_forms(k.name, k.len);
		if (!forms)
			continue;
		if (!(allowed & forms))
			return cfg_fail(c, k.pos, "\"%s\" cannot be combined with \"%s\"%s", k.name,
					decided, cfg_in_table(c, tb, sizeof(tb)));
		if ((allowed & forms) != allowed) {
			allowed &= forms;
			decided = k.name;
		}
	}
	*out = allowed;
	return 0;
}

int cfg_f_edge_ca(struct cfg_ctx *c, const struct ew_toml_value *v, const char *name,
		  void *dst, const void *arg)
{
	struct ew_config_edge_ca *ca = dst;
	unsigned int form = 0;
	int r;

	(void)arg;
	r = cfg_enter(c, v, name);
	if (r)
		return r;
	memset(ca, 0, sizeof(*ca));
	ca->kind = EW_CONFIG_EDGE_CA_QUICKSTART;
	ca->quickstart_expiry_days = EW_CONFIG_QUICKSTART_DAYS;
	cfg_renew_defaults(&ca->auto_renew);
	cfg_renew_defaults(&ca->issue.auto_renew);
	r = edge_ca_form(c, v, &form);
	if (!r)
		r = cfg_walk(c, v, edge_ca_fields, ca, NULL);
	if (r)
		goto out;
	if (form == FORM_PRELOADED) {
		ca->kind = EW_CONFIG_EDGE_CA_PRELOADED;
		r = cfg_require_all(c, v, ca_required);
	} else if (form == FORM_ISSUED) {
		ca->kind = EW_CONFIG_EDGE_CA_ISSUED;
		r = cfg_require(c, v, "method");
		if (!r)
			r = cfg_cert_issue_check(c, v, &ca->issue);
	}
out:
	cfg_pop(c);
	return r;
}
