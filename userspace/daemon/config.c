// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading edgewardd's configuration (see config.h): the embedded defaults,
 * reading the file, parsing it with the TOML library, laying the file over
 * the defaults, and what the management API reports of the result. The
 * schema itself is in config_schema.c and config_prov.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "daemon/config_internal.h"

/*
 * A configuration is small and written by hand: limits far below the
 * parser's defaults keep a hostile file cheap.
 */
static const struct ew_toml_limits config_limits = {
	.max_size = EW_CONFIG_MAX_SIZE,
	.max_depth = 32,
	.max_memory = 16u << 20,
};

/* gethostname() into the arena, or NULL. */
static const char *host_name(struct cfg_ctx *c)
{
	char buf[256];

	if (gethostname(buf, sizeof(buf)) || !buf[0])
		return NULL;
	buf[sizeof(buf) - 1] = '\0';
	return cfg_strdup(c, buf, strlen(buf));
}

void ew_config_defaults(struct ew_config *cfg)
{
	struct cfg_ctx c = { .file = "(defaults)", .cfg = cfg };
	const char *host;

	memset(cfg, 0, sizeof(*cfg));
	host = host_name(&c);
	cfg->hostname = host ? host : "localhost";
	cfg->allow_elevated_docker_permissions = true;
	cfg->auto_reprovisioning_mode = EW_CONFIG_REPROVISION_DYNAMIC;
	cfg->cloud_timeout_sec = 10;
	cfg->cloud_retries = 1;
	cfg->iotedge_max_requests.management = EW_CONFIG_MANAGEMENT_MAX_REQUESTS;
	cfg->iotedge_max_requests.workload = EW_CONFIG_WORKLOAD_MAX_REQUESTS;

	/* Local mode: an identity for the modules, nothing in the cloud. */
	cfg->provisioning.source = EW_CONFIG_PROV_MANUAL;
	cfg->provisioning.iothub_hostname = "localhost";
	cfg->provisioning.device_id = cfg->hostname;
	cfg->provisioning.auth = EW_CONFIG_AUTH_LOCAL;
	cfg_renew_defaults(&cfg->provisioning.x509.issue.auto_renew);

	cfg_renew_defaults(&cfg->cert_issuance.est.identity_auto_renew);
	cfg->edge_ca.kind = EW_CONFIG_EDGE_CA_QUICKSTART;
	cfg->edge_ca.quickstart_expiry_days = EW_CONFIG_QUICKSTART_DAYS;
	cfg_renew_defaults(&cfg->edge_ca.auto_renew);
	cfg_renew_defaults(&cfg->edge_ca.issue.auto_renew);

	cfg->tpm.tcti = "device";
	cfg->tpm.auth_key_index = EW_CONFIG_TPM_AUTH_KEY_INDEX;

	cfg->agent.name = EW_CONFIG_AGENT_NAME;
	cfg->agent.type = EW_MODULE_PROCESS;
	cfg->agent.image_pull_policy = EW_CONFIG_PULL_ON_CREATE;

	cfg->connect.workload = (struct ew_config_sock){
		EW_CONFIG_SOCK_UNIX, EW_CONFIG_WORKLOAD_URI, "/run/edgeward/workload.sock",
	};
	cfg->connect.management = (struct ew_config_sock){
		EW_CONFIG_SOCK_UNIX, EW_CONFIG_MANAGEMENT_URI, "/run/edgeward/mgmt.sock",
	};
	cfg->listen = cfg->connect;
	cfg->listen_min_tls_version = EW_CONFIG_TLS_1_0;
	cfg->watchdog_max_retries = 0;

	cfg->moby_runtime.uri = "unix:///var/run/docker.sock";
	cfg->moby_runtime.network = "azure-iot-edge";

	cfg->image_gc.enabled = true;
	cfg->image_gc.cleanup_recurrence = 86400;
	cfg->image_gc.image_age_cleanup_threshold = 7 * 86400;
	cfg->image_gc.cleanup_time = 0;

	cfg->kernel.required = false;
	cfg->kernel.mode = 0;
	cfg->kernel.lock_after_boot = false;

	cfg->edgeward.state_dir = EW_CONFIG_STATE_DIR;
	cfg->edgeward.log_level = LOG_INFO;
	cfg->edgeward.module_cgroup_base = "edgeward";
}

void ew_config_free(struct ew_config *cfg)
{
	if (!cfg)
		return;
	cJSON_Delete(cfg->agent.create_options);
	cfg_arena_free(cfg->arena);
	memset(cfg, 0, sizeof(*cfg));
}

int ew_config_load_buffer(const char *name, const char *buf, size_t len,
			  struct ew_config *cfg, char *err, size_t errlen)
{
	struct cfg_ctx c = { .file = name ? name : "(config)", .err = err, .errlen = errlen,
			     .cfg = cfg };
	struct ew_toml_error e;
	struct ew_toml_doc *doc;
	int r;

	if (err && errlen)
		err[0] = '\0';
	ew_config_defaults(cfg);
	doc = ew_toml_parse(buf, len, &config_limits, &e);
	if (!doc) {
		r = cfg_fail(&c, (struct ew_toml_pos){ e.line, e.column }, "%s", e.message);
		if (strstr(e.message, "out of memory"))
			r = -ENOMEM;
	} else {
		r = cfg_read_root(&c, ew_toml_root(doc));
		ew_toml_free(doc);
	}
	if (r)
		ew_config_free(cfg);
	return r;
}

/* The whole file, at most EW_CONFIG_MAX_SIZE bytes, or -errno. */
static int read_file(const char *path, char **out, size_t *len, char *err, size_t errlen)
{
	size_t cap = 4096, n = 0;
	struct stat st;
	char *buf;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		goto fail_errno;
	if (fstat(fd, &st))
		goto fail_errno;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail_errno;
	}
	buf = malloc(cap);
	if (!buf)
		goto fail_errno;
	for (;;) {
		ssize_t got;

		if (n == cap) {
			char *nb;

			/* One byte past the limit tells a file that is too large. */
			if (cap > EW_CONFIG_MAX_SIZE) {
				free(buf);
				close(fd);
				snprintf(err, errlen, "%s: larger than %u bytes", path,
					 EW_CONFIG_MAX_SIZE);
				return -EFBIG;
			}
			cap = cap * 2 > EW_CONFIG_MAX_SIZE + 1 ? EW_CONFIG_MAX_SIZE + 1 : cap * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				goto fail_errno;
			}
			buf = nb;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = -errno;
			free(buf);
			goto fail;
		}
		if (!got)
			break;
		n += (size_t)got;
	}
	close(fd);
	*out = buf;
	*len = n;
	return 0;

fail_errno:
	r = -errno;
fail:
	if (fd >= 0)
		close(fd);
	snprintf(err, errlen, "%s: %s", path, strerror(-r));
	return r;
}

int ew_config_load_file(const char *path, struct ew_config *cfg, char *err, size_t errlen)
{
	char scratch[1];
	size_t len = 0;
	char *buf = NULL;
	int r;

	memset(cfg, 0, sizeof(*cfg));
	if (!err || !errlen) {
		err = scratch;
		errlen = sizeof(scratch);
	}
	r = read_file(path, &buf, &len, err, errlen);
	if (r)
		return r;
	r = ew_config_load_buffer(path, buf, len, cfg, err, errlen);
	/* The text may hold keys and passwords. */
	explicit_bzero(buf, len);
	free(buf);
	return r;
}

const char *ew_config_hub(const struct ew_config *cfg)
{
	return cfg->provisioning.iothub_hostname ? cfg->provisioning.iothub_hostname : "localhost";
}

const char *ew_config_device_id(const struct ew_config *cfg)
{
	const char *id = cfg->provisioning.device_id;

	return id ? id : cfg->hostname ? cfg->hostname : "";
}

const char *ew_config_provisioning_type(const struct ew_config *cfg)
{
	const struct ew_config_provisioning *p = &cfg->provisioning;

	switch (p->source) {
	case EW_CONFIG_PROV_DPS:
		switch (p->attestation) {
		case EW_CONFIG_ATTEST_SYMMETRIC_KEY:
			return "dps.symmetric_key";
		case EW_CONFIG_ATTEST_X509:
			return "dps.x509";
		case EW_CONFIG_ATTEST_TPM:
			return "dps.tpm";
		case EW_CONFIG_ATTEST_NONE:
			break;
		}
		break;
	case EW_CONFIG_PROV_MANUAL:
		if (p->auth == EW_CONFIG_AUTH_X509)
			return "manual.x509";
		if (p->auth == EW_CONFIG_AUTH_SAS)
			return "manual.connection_string";
		break;
	case EW_CONFIG_PROV_NONE:
		break;
	}
	return "none";
}

bool ew_config_dynamic_reprovisioning(const struct ew_config *cfg)
{
	return cfg->provisioning.source == EW_CONFIG_PROV_DPS &&
	       cfg->auto_reprovisioning_mode == EW_CONFIG_REPROVISION_DYNAMIC;
}

bool ew_config_always_reprovision(const struct ew_config *cfg)
{
	return cfg->provisioning.source == EW_CONFIG_PROV_DPS &&
	       (cfg->auto_reprovisioning_mode == EW_CONFIG_REPROVISION_ALWAYS_ON_STARTUP ||
		cfg->provisioning.always_reprovision_on_startup);
}
