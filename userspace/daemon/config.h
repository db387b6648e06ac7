/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgewardd's configuration: /etc/edgeward/config.toml, whose tables and
 * keys are those of Azure IoT Edge's /etc/aziot/config.toml, so that an
 * operator can point edgewardd at the file they already have, plus
 * edgeward's own [kernel] and [edgeward] tables.
 *
 * Loading is strict: an unknown key, a value of the wrong type, a value
 * outside what is allowed, a malformed URI or connection string, or two
 * forms of one thing mixed (an Edge CA both preloaded and issued) make the
 * whole load fail. The loader stops at the first problem and reports it as
 * one line, "FILE:LINE:COLUMN: what is wrong", at the place it was found:
 *
 *	config.toml:3:1: unknown key "hostnme"
 *	config.toml:9:1: unknown key "mod" in table [kernel]
 *	config.toml:2:12: "hostname" must be a string, not an integer
 *	config.toml:8:10: "source" must be "manual", "dps" or "none", not "foo"
 *
 * A key missing from a table, or two keys that exclude each other, are
 * reported at the table or at the later key; a table whose allowed keys
 * depend on a discriminator (source, method, type) reads that one first.
 * A problem with no place in the text (the file cannot be read) is
 * "FILE: what is wrong". Key material and passwords are never echoed.
 *
 * The result is plain data. Every string is NUL-terminated and lives
 * until ew_config_free(); NULL means "not set" where a field says so.
 * File URIs ("file:///abs/path") are stored as the absolute path they
 * name (percent-decoded); PKCS#11 URIs are kept as written.
 *
 * Keys the daemon does not act on (yet) are still checked and stored, so
 * that a file that loads today means the same thing tomorrow. Keys of
 * Azure's file whose feature edgeward lacks, and keys Azure itself has
 * superseded and ignores, are checked the same way (a wrong type is still
 * an error) but also leave a warning, one line per key, in the result:
 *
 *	config.toml:4:1: "dps_trust_bundle" is ignored: edgeward does not provision with DPS
 *
 * Superseded keys are not stored: nothing will ever act on them.
 */
#ifndef EW_DAEMON_CONFIG_H
#define EW_DAEMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "certs/certs.h"
#include "daemon/state.h"

#define EW_CONFIG_PATH "/etc/edgeward/config.toml"
/* Bytes of text a configuration file may have. */
#define EW_CONFIG_MAX_SIZE (1u << 20)

#define EW_CONFIG_WORKLOAD_URI "unix:///run/edgeward/workload.sock"
#define EW_CONFIG_MANAGEMENT_URI "unix:///run/edgeward/mgmt.sock"
#define EW_CONFIG_STATE_DIR "/var/lib/edgeward"
#define EW_CONFIG_AGENT_NAME "edgeAgent"
#define EW_CONFIG_QUICKSTART_DAYS 90
/* Azure's requests at once per user of each API ([iotedge_max_requests]). */
#define EW_CONFIG_MANAGEMENT_MAX_REQUESTS 50
#define EW_CONFIG_WORKLOAD_MAX_REQUESTS 10
/* Azure's default TPM authentication key index (handle 0x81000100). */
#define EW_CONFIG_TPM_AUTH_KEY_INDEX 0x000100u

enum ew_config_reprovision {
	EW_CONFIG_REPROVISION_DYNAMIC,		/* "Dynamic" (default) */
	EW_CONFIG_REPROVISION_ALWAYS_ON_STARTUP,	/* "AlwaysOnStartup" */
	EW_CONFIG_REPROVISION_ON_ERROR_ONLY,	/* "OnErrorOnly" */
};

/* Where a private or symmetric key is. */
enum ew_config_key_kind {
	EW_CONFIG_KEY_NONE,	/* not configured */
	EW_CONFIG_KEY_FILE,	/* location: an absolute path */
	EW_CONFIG_KEY_PKCS11,	/* location: the "pkcs11:" URI as written */
	EW_CONFIG_KEY_VALUE,	/* value: the key itself (inline symmetric keys) */
};

struct ew_config_key {
	enum ew_config_key_kind kind;
	const char *location;
	const unsigned char *value;
	size_t value_len;	/* 1..64 bytes for a symmetric key */
};

/* A table of strings, in the order of the file. */
struct ew_config_pair {
	const char *name;
	const char *value;
};

struct ew_config_map {
	const struct ew_config_pair *items;
	size_t n;
};

/*
 * An auto_renew table. The policy is certs/certs.h's: a threshold as a
 * share of the lifetime ("80%": due once 80% of it has passed) or a time
 * before notAfter ("10day", "10d", "12h", "90min", "30m", "45s"); a retry
 * interval as a share of the lifetime or a time. Percentages are 1..99 (a
 * certificate at 100% of its lifetime has expired).
 */
struct ew_config_auto_renew {
	bool set;			/* the file had the table */
	bool rotate_key;		/* default true */
	struct ew_renew_policy policy;	/* default 80% and 4% */
};

/*
 * How a certificate is issued: the table form of identity_cert and an
 * issued [edge_ca]. The EST-only fields are NULL/NONE for local_ca.
 */
enum ew_config_issue_method {
	EW_CONFIG_ISSUE_NONE,		/* not issued (preloaded, or absent) */
	EW_CONFIG_ISSUE_EST,		/* "est" */
	EW_CONFIG_ISSUE_LOCAL_CA,	/* "local_ca" */
};

struct ew_config_cert_issue {
	enum ew_config_issue_method method;
	const char *common_name;	/* NULL: the issuer's choice */
	struct ew_config_map subject;	/* DN fields ("CN", "O", ...), n 0: none */
	uint32_t expiry_days;		/* 0: the issuer's default */
	const char *url;		/* https; NULL: [cert_issuance.est.urls] */
	const char *username;
	const char *password;
	const char *identity_cert;	/* path */
	struct ew_config_key identity_pk;
	const char *bootstrap_identity_cert;	/* path */
	struct ew_config_key bootstrap_identity_pk;
	struct ew_config_auto_renew auto_renew;
};

/*
 * An X.509 identity: preloaded (identity_cert names a file, identity_pk
 * the key), or issued (identity_cert is a table: issue.method is set and
 * the key is generated). Both unset: X.509 without a certificate of ours
 * (a connection string with "x509=true").
 */
struct ew_config_x509 {
	const char *identity_cert;	/* preloaded: path */
	struct ew_config_key identity_pk;
	struct ew_config_cert_issue issue;
};

enum ew_config_prov_source {
	EW_CONFIG_PROV_MANUAL = 1,	/* "manual" */
	EW_CONFIG_PROV_DPS,		/* "dps" */
	EW_CONFIG_PROV_NONE,		/* "none": no IoT Hub identity */
};

enum ew_config_auth {
	/*
	 * Manual provisioning without cloud credentials: edgeward's local
	 * mode (the embedded defaults), where the device identity only names
	 * the device to its modules and nothing talks to IoT Hub.
	 */
	EW_CONFIG_AUTH_LOCAL,
	EW_CONFIG_AUTH_SAS,		/* a shared access key */
	EW_CONFIG_AUTH_X509,
};

enum ew_config_attestation {
	EW_CONFIG_ATTEST_NONE,
	EW_CONFIG_ATTEST_SYMMETRIC_KEY,	/* "symmetric_key" */
	EW_CONFIG_ATTEST_X509,		/* "x509" */
	EW_CONFIG_ATTEST_TPM,		/* "tpm" */
};

struct ew_config_provisioning {
	enum ew_config_prov_source source;

	/* source "manual" */
	bool from_connection_string;	/* the identity came as connection_string */
	const char *iothub_hostname;
	const char *device_id;
	const char *gateway_hostname;	/* GatewayHostName; NULL: none */
	enum ew_config_auth auth;
	struct ew_config_key device_id_pk;	/* auth SAS */

	/* source "dps" */
	const char *global_endpoint;	/* https URL */
	const char *id_scope;
	const char *payload;		/* path of a JSON payload; NULL: none */
	bool always_reprovision_on_startup;	/* the older key */
	enum ew_config_attestation attestation;
	const char *registration_id;	/* NULL: x509 takes the cert's CN */
	struct ew_config_key symmetric_key;

	/* manual auth X509, or dps attestation X509 */
	struct ew_config_x509 x509;
};

struct ew_config_est {
	bool present;			/* [cert_issuance.est] was given */
	const char *const *trusted_certs;	/* paths */
	size_t n_trusted_certs;
	const char *username;
	const char *password;
	const char *identity_cert;	/* path */
	struct ew_config_key identity_pk;
	const char *bootstrap_identity_cert;
	struct ew_config_key bootstrap_identity_pk;
	struct ew_config_auto_renew identity_auto_renew;
	struct ew_config_map urls;	/* name -> https URL */
	const char *default_url;	/* urls' "default", or NULL */
};

struct ew_config_local_ca {
	const char *cert;		/* path; NULL: no local CA */
	struct ew_config_key pk;
};

enum ew_config_edge_ca_kind {
	EW_CONFIG_EDGE_CA_QUICKSTART,	/* self-signed, generated */
	EW_CONFIG_EDGE_CA_PRELOADED,	/* cert + pk */
	EW_CONFIG_EDGE_CA_ISSUED,	/* method = "est" | "local_ca" */
};

struct ew_config_edge_ca {
	enum ew_config_edge_ca_kind kind;
	uint32_t quickstart_expiry_days;	/* 1..3650, default 90 */
	const char *cert;		/* preloaded: path */
	struct ew_config_key pk;	/* preloaded */
	struct ew_config_cert_issue issue;	/* issued (its auto_renew unused) */
	struct ew_config_auto_renew auto_renew;	/* quickstart and issued */
};

struct ew_config_named_key {
	const char *name;
	struct ew_config_key key;
};

struct ew_config_named_certs {
	const char *name;
	const char *const *paths;	/* one, or a bundle */
	size_t n_paths;
};

struct ew_config_tpm {
	const char *tcti;		/* default "device" */
	uint32_t auth_key_index;	/* 0..0x7fffff */
	const char *endorsement_auth;	/* NULL: none */
	const char *owner_auth;
};

enum ew_config_pull_policy {
	EW_CONFIG_PULL_ON_CREATE,	/* "on-create" (default) */
	EW_CONFIG_PULL_NEVER,		/* "never" */
};

struct ew_config_agent {
	const char *name;		/* default "edgeAgent" */
	/*
	 * "docker" when [agent] is given without a type (as in Azure's file);
	 * "process" in the embedded defaults, which start no agent.
	 */
	enum ew_module_type type;
	enum ew_config_pull_policy image_pull_policy;

	/* docker */
	const char *image;
	cJSON *create_options;		/* an object; NULL: none */
	const char *auth_serveraddress;
	const char *auth_username;
	const char *auth_password;
	const char *digest;
	const char *image_hash;

	/* process */
	const char *exec;		/* absolute; NULL: no agent is started */
	const char *const *args;
	size_t n_args;
	const char *user;		/* NULL: the daemon's choice */
	bool has_expected_digest;
	uint8_t expected_digest[32];	/* sha256 */

	struct ew_config_map env;	/* in the order of the file */
};

enum ew_config_sock_kind {
	EW_CONFIG_SOCK_UNIX = 1,	/* "unix:///abs/path" */
	EW_CONFIG_SOCK_FD,		/* "fd://name": a systemd socket by name */
};

struct ew_config_sock {
	enum ew_config_sock_kind kind;
	const char *uri;		/* as written */
	const char *path;		/* unix: the socket path; fd: the name */
};

struct ew_config_endpoints {
	struct ew_config_sock workload;
	struct ew_config_sock management;
};

enum ew_config_tls {
	EW_CONFIG_TLS_1_0,		/* "tls1.0" (default) */
	EW_CONFIG_TLS_1_2,		/* "tls1.2" */
	EW_CONFIG_TLS_1_3,		/* "tls1.3" */
};

struct ew_config_ipam {
	const char *gateway;		/* an IP address; NULL: none */
	const char *subnet;		/* CIDR */
	const char *ip_range;		/* CIDR */
};

struct ew_config_moby {
	const char *uri;		/* unix:// or tcp://, as written */
	const char *network;		/* default "azure-iot-edge" */
	bool ipv6;
	const struct ew_config_ipam *ipam;
	size_t n_ipam;
	struct ew_config_map content_trust;	/* registry -> CA cert path */
};

struct ew_config_image_gc {
	bool enabled;				/* default true */
	uint64_t cleanup_recurrence;		/* seconds, default 1 day */
	uint64_t image_age_cleanup_threshold;	/* seconds, default 7 days */
	uint32_t cleanup_time;			/* minutes after midnight, default 0 */
};

struct ew_config_kernel {
	bool required;		/* refuse to run without the module (default false) */
	uint32_t mode;		/* EDGEWARD_MODE_*; 0: leave the kernel's alone */
	bool lock_after_boot;	/* default false */
};

struct ew_config_edgeward {
	const char *state_dir;		/* absolute, default /var/lib/edgeward */
	/* LOG_ERR, LOG_WARNING, LOG_INFO (default) or LOG_DEBUG (<syslog.h>) */
	int log_level;
	const char *module_cgroup_base;	/* relative, default "edgeward" */
};

/* [iotedge_max_requests]: both, when the table is given. */
struct ew_config_iotedge_max_requests {
	uint32_t management;		/* default 50 */
	uint32_t workload;		/* default 10 */
};

/* [aziot_max_requests]: limits of Azure's identity services; 0: not set. */
struct ew_config_aziot_max_requests {
	uint32_t keyd;
	uint32_t certd;
	uint32_t tpmd;
	uint32_t identityd;
};

struct ew_config_arena;

struct ew_config {
	const char *hostname;		/* default: gethostname() */
	/* NULL: not nested. Azure's other name for it: local_gateway_hostname. */
	const char *parent_hostname;
	const char *trust_bundle_cert;	/* path; NULL: none */
	const char *manifest_trust_bundle_cert;
	bool allow_elevated_docker_permissions;	/* default true, as Azure */
	enum ew_config_reprovision auto_reprovisioning_mode;
	bool prefer_module_identity_cache;
	const char *imported_master_encryption_key;	/* path; NULL: none */
	uint32_t cloud_timeout_sec;	/* > 0, default 10 */
	uint32_t cloud_retries;		/* default 1 */
	/* Under which name DPS's trust bundle is kept; NULL: Azure's default. */
	const char *dps_trust_bundle;
	const char *additional_info;	/* path of a TOML file of strings; NULL: none */
	const char *localid_domain;	/* [localid] domain; NULL: no local identities */
	struct ew_config_iotedge_max_requests iotedge_max_requests;
	struct ew_config_aziot_max_requests aziot_max_requests;

	struct ew_config_provisioning provisioning;
	struct {
		struct ew_config_est est;
		struct ew_config_local_ca local_ca;
	} cert_issuance;
	struct ew_config_edge_ca edge_ca;
	struct ew_config_map aziot_keys;
	const struct ew_config_named_key *preloaded_keys;
	size_t n_preloaded_keys;
	const struct ew_config_named_certs *preloaded_certs;
	size_t n_preloaded_certs;
	struct ew_config_tpm tpm;
	struct ew_config_agent agent;
	struct ew_config_endpoints connect;
	struct ew_config_endpoints listen;
	enum ew_config_tls listen_min_tls_version;
	uint32_t watchdog_max_retries;	/* 0: "infinite" (default) */
	struct ew_config_moby moby_runtime;
	struct ew_config_image_gc image_gc;
	struct ew_config_kernel kernel;
	struct ew_config_edgeward edgeward;

	/*
	 * The warnings of the load, "FILE:LINE:COLUMN: ..." each, in the
	 * order the keys were read; none for the embedded defaults. The
	 * caller shows them: the loader prints nothing.
	 */
	const char *const *warnings;
	size_t n_warnings;

	struct ew_config_arena *arena;	/* owns the strings and arrays */
};

/*
 * The embedded defaults, what the daemon runs on without a file: the host
 * name from gethostname() ("localhost" if that fails), manual provisioning
 * in local mode (IoT Hub "localhost", the device id the host name, no
 * cloud credentials), a quickstart Edge CA of 90 days, keys in files,
 * connect and listen on unix:///run/edgeward/{workload,mgmt}.sock, an agent
 * of type "process" without exec (no agent is started), the kernel module
 * optional and its mode left alone. Cannot fail; ew_config_free() after.
 */
void ew_config_defaults(struct ew_config *cfg);

/*
 * Loads @len bytes of TOML from @buf over the defaults; @name is FILE in
 * messages. Return 0, or -EINVAL (a message in @err) for a file that does
 * not parse or validate, -ENOMEM. On failure @cfg is left empty (zeroed,
 * safe to free); on success ew_config_free() releases it.
 */
int ew_config_load_buffer(const char *name, const char *buf, size_t len,
			  struct ew_config *cfg, char *err, size_t errlen);
/*
 * The same for the file at @path (at most EW_CONFIG_MAX_SIZE bytes): a
 * file that cannot be read returns its -errno (-ENOENT: there is none, and
 * the caller may run on ew_config_defaults()).
 */
int ew_config_load_file(const char *path, struct ew_config *cfg, char *err,
			size_t errlen);

/* Frees everything @cfg holds and zeroes it. NULL is fine. */
void ew_config_free(struct ew_config *cfg);

/*
 * The management API's SystemInfo provisioning.type: "dps.symmetric_key",
 * "dps.x509", "dps.tpm", "manual.connection_string" (manual with a shared
 * access key, given as a connection string or as iothub_hostname +
 * device_id + sas, which is what Azure's 1.1 daemon called every SAS
 * identity), "manual.x509", or "none" (source "none", and local mode,
 * which has no IoT Hub identity either).
 */
const char *ew_config_provisioning_type(const struct ew_config *cfg);
/*
 * SystemInfo provisioning.dynamicReprovisioning and
 * .alwaysReprovisionOnStartup: auto_reprovisioning_mode applies to DPS
 * only (Azure ignores it for a manually provisioned device), so both are
 * false for any other source.
 */
bool ew_config_dynamic_reprovisioning(const struct ew_config *cfg);
/*
 * The device identity modules are told of: the provisioning's IoT hub and
 * device id, or in local mode "localhost" and the host name.
 */
const char *ew_config_hub(const struct ew_config *cfg);
const char *ew_config_device_id(const struct ew_config *cfg);
bool ew_config_always_reprovision(const struct ew_config *cfg);

#endif /* EW_DAEMON_CONFIG_H */
