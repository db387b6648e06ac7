// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of daemon/config*.c: the embedded defaults, the example files
 * of docs/examples (an Azure IoT Edge config.toml among them) loading to
 * the values they say, the keys of newer Azure files that load with a
 * warning, every kind of mistake in a file producing its one exact message
 * at the right line and column, and a failed load leaving nothing behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "daemon/config.h"
#include "edgeward.h"

#define FILE_NAME "t.toml"

/* Enum constants are ints, enum objects unsigned: compare both as ints. */
#define EXPECT_ENUM(want, seen) EXPECT_EQ((int)(want), (int)(seen))
#define ASSERT_ENUM(want, seen) ASSERT_EQ((int)(want), (int)(seen))

static const char *s(const char *p)
{
	return p ? p : "(null)";
}

static int load(const char *text, struct ew_config *cfg, char *err, size_t errlen)
{
	return ew_config_load_buffer(FILE_NAME, text, strlen(text), cfg, err, errlen);
}

struct err_case {
	const char *text;
	const char *msg;	/* without the "t.toml:" in front */
};

/* Each text must fail with exactly its message, and leave cfg empty. */
static void check_errors(struct __test_metadata *_metadata, const struct err_case *cases,
			 size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char err[512], want[512];
		struct ew_config cfg;
		int r;

		memset(&cfg, 0x5a, sizeof(cfg));
		snprintf(want, sizeof(want), FILE_NAME ":%s", cases[i].msg);
		r = load(cases[i].text, &cfg, err, sizeof(err));
		EXPECT_EQ(-EINVAL, r) TH_LOG("case %zu:\n%s", i, cases[i].text);
		if (r) {
			EXPECT_STREQ(want, err) TH_LOG("case %zu:\n%s", i, cases[i].text);
			EXPECT_EQ(NULL, cfg.arena);
			EXPECT_EQ(NULL, cfg.hostname);
			EXPECT_EQ(NULL, cfg.agent.create_options);
			/* Nor the warnings of keys read before the mistake. */
			EXPECT_EQ(NULL, cfg.warnings);
			EXPECT_EQ(0u, cfg.n_warnings);
		} else {
			ew_config_free(&cfg);
		}
	}
}

#define CHECK_ERRORS(cases) check_errors(_metadata, cases, sizeof(cases) / sizeof(cases[0]))

/* --- defaults ------------------------------------------------------------- */

static void check_defaults(struct __test_metadata *_metadata, const struct ew_config *cfg)
{
	char host[256] = "";

	if (gethostname(host, sizeof(host)) || !host[0])
		strcpy(host, "localhost");
	EXPECT_STREQ(host, s(cfg->hostname));
	EXPECT_EQ(NULL, cfg->parent_hostname);
	EXPECT_EQ(NULL, cfg->trust_bundle_cert);
	EXPECT_EQ(NULL, cfg->manifest_trust_bundle_cert);
	EXPECT_TRUE(cfg->allow_elevated_docker_permissions);
	EXPECT_ENUM(EW_CONFIG_REPROVISION_DYNAMIC, cfg->auto_reprovisioning_mode);
	EXPECT_FALSE(cfg->prefer_module_identity_cache);
	EXPECT_EQ(10u, cfg->cloud_timeout_sec);
	EXPECT_EQ(1u, cfg->cloud_retries);
	EXPECT_EQ(NULL, cfg->dps_trust_bundle);
	EXPECT_EQ(NULL, cfg->additional_info);
	EXPECT_EQ(NULL, cfg->localid_domain);
	EXPECT_EQ(50u, cfg->iotedge_max_requests.management);
	EXPECT_EQ(10u, cfg->iotedge_max_requests.workload);
	EXPECT_EQ(0u, cfg->aziot_max_requests.keyd);
	EXPECT_EQ(0u, cfg->aziot_max_requests.certd);
	EXPECT_EQ(0u, cfg->aziot_max_requests.tpmd);
	EXPECT_EQ(0u, cfg->aziot_max_requests.identityd);
	EXPECT_EQ(NULL, cfg->warnings);
	EXPECT_EQ(0u, cfg->n_warnings);

	/* Local mode. */
	EXPECT_ENUM(EW_CONFIG_PROV_MANUAL, cfg->provisioning.source);
	EXPECT_ENUM(EW_CONFIG_AUTH_LOCAL, cfg->provisioning.auth);
	EXPECT_STREQ("localhost", s(cfg->provisioning.iothub_hostname));
	EXPECT_STREQ(host, s(cfg->provisioning.device_id));
	EXPECT_ENUM(EW_CONFIG_KEY_NONE, cfg->provisioning.device_id_pk.kind);
	EXPECT_FALSE(cfg->provisioning.from_connection_string);
	EXPECT_STREQ("none", ew_config_provisioning_type(cfg));
	EXPECT_FALSE(ew_config_dynamic_reprovisioning(cfg));
	EXPECT_FALSE(ew_config_always_reprovision(cfg));

	EXPECT_FALSE(cfg->cert_issuance.est.present);
	EXPECT_EQ(NULL, cfg->cert_issuance.local_ca.cert);

	EXPECT_ENUM(EW_CONFIG_EDGE_CA_QUICKSTART, cfg->edge_ca.kind);
	EXPECT_EQ(90u, cfg->edge_ca.quickstart_expiry_days);
	EXPECT_FALSE(cfg->edge_ca.auto_renew.set);
	EXPECT_TRUE(cfg->edge_ca.auto_renew.rotate_key);
	EXPECT_ENUM(EW_RENEW_PERCENT, cfg->edge_ca.auto_renew.policy.threshold.unit);
	EXPECT_EQ(80, cfg->edge_ca.auto_renew.policy.threshold.value);
	EXPECT_ENUM(EW_RENEW_PERCENT, cfg->edge_ca.auto_renew.policy.retry.unit);
	EXPECT_EQ(4, cfg->edge_ca.auto_renew.policy.retry.value);

	EXPECT_EQ(0u, cfg->aziot_keys.n);
	EXPECT_EQ(0u, cfg->n_preloaded_keys);
	EXPECT_EQ(0u, cfg->n_preloaded_certs);
	EXPECT_STREQ("device", s(cfg->tpm.tcti));
	EXPECT_EQ(0x100u, cfg->tpm.auth_key_index);

	/* No agent is started. */
	EXPECT_STREQ("edgeAgent", s(cfg->agent.name));
	EXPECT_ENUM(EW_MODULE_PROCESS, cfg->agent.type);
	EXPECT_EQ(NULL, cfg->agent.exec);
	EXPECT_EQ(NULL, cfg->agent.image);
	EXPECT_EQ(NULL, cfg->agent.create_options);
	EXPECT_EQ(0u, cfg->agent.env.n);

	EXPECT_ENUM(EW_CONFIG_SOCK_UNIX, cfg->listen.workload.kind);
	EXPECT_STREQ("unix:///run/edgeward/workload.sock", s(cfg->listen.workload.uri));
	EXPECT_STREQ("/run/edgeward/workload.sock", s(cfg->listen.workload.path));
	EXPECT_STREQ("unix:///run/edgeward/mgmt.sock", s(cfg->listen.management.uri));
	EXPECT_STREQ("/run/edgeward/mgmt.sock", s(cfg->listen.management.path));
	EXPECT_STREQ("/run/edgeward/workload.sock", s(cfg->connect.workload.path));
	EXPECT_STREQ("/run/edgeward/mgmt.sock", s(cfg->connect.management.path));
	EXPECT_ENUM(EW_CONFIG_TLS_1_0, cfg->listen_min_tls_version);
	EXPECT_EQ(0u, cfg->watchdog_max_retries);

	EXPECT_STREQ("unix:///var/run/docker.sock", s(cfg->moby_runtime.uri));
	EXPECT_STREQ("azure-iot-edge", s(cfg->moby_runtime.network));
	EXPECT_TRUE(cfg->image_gc.enabled);
	EXPECT_EQ(86400u, cfg->image_gc.cleanup_recurrence);
	EXPECT_EQ(7u * 86400, cfg->image_gc.image_age_cleanup_threshold);
	EXPECT_EQ(0u, cfg->image_gc.cleanup_time);

	EXPECT_FALSE(cfg->kernel.required);
	EXPECT_EQ(0u, cfg->kernel.mode);
	EXPECT_FALSE(cfg->kernel.lock_after_boot);
	EXPECT_STREQ("/var/lib/edgeward", s(cfg->edgeward.state_dir));
	EXPECT_EQ(LOG_INFO, cfg->edgeward.log_level);
	EXPECT_STREQ("edgeward", s(cfg->edgeward.module_cgroup_base));
}

TEST(defaults)
{
	struct ew_config cfg;

	ew_config_defaults(&cfg);
	check_defaults(_metadata, &cfg);
	ew_config_free(&cfg);
	EXPECT_EQ(NULL, cfg.arena);
	EXPECT_EQ(NULL, cfg.hostname);
	/* Freeing twice (and NULL) is harmless. */
	ew_config_free(&cfg);
	ew_config_free(NULL);
}

TEST(empty_file_is_the_defaults)
{
	static const char *const texts[] = { "", "# nothing\n\n", "\xef\xbb\xbf" };
	struct ew_config cfg;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		ASSERT_EQ(0, load(texts[i], &cfg, err, sizeof(err))) TH_LOG("%s", err);
		check_defaults(_metadata, &cfg);
		ew_config_free(&cfg);
	}
}

TEST(local_mode_follows_the_hostname)
{
	struct ew_config cfg;
	char err[256];

	ASSERT_EQ(0, load("hostname = \"gw-7.example.com\"\n", &cfg, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_STREQ("gw-7.example.com", s(cfg.hostname));
	EXPECT_STREQ("gw-7.example.com", s(cfg.provisioning.device_id));
	EXPECT_STREQ("localhost", s(cfg.provisioning.iothub_hostname));
	EXPECT_ENUM(EW_CONFIG_AUTH_LOCAL, cfg.provisioning.auth);
	ew_config_free(&cfg);

	/* Addresses are names too (a nested device's parent often is one). */
	ASSERT_EQ(0, load("hostname = \"10.1.2.3\"\nparent_hostname = \"fd00::1\"\n", &cfg, err,
			  sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("10.1.2.3", s(cfg.hostname));
	EXPECT_STREQ("fd00::1", s(cfg.parent_hostname));
	ew_config_free(&cfg);
}

/* --- the example files ---------------------------------------------------- */

/* The tests run from userspace/ (make test); from the top, docs/ is near. */
static int load_example(struct __test_metadata *_metadata, const char *name,
			struct ew_config *cfg, char *path, size_t pathlen)
{
	static const char *const dirs[] = { "../docs/examples", "docs/examples" };
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, pathlen, "%s/%s", dirs[i], name);
		if (!access(path, R_OK))
			break;
	}
	if (i == sizeof(dirs) / sizeof(dirs[0]))
		return -ENOENT;
	EXPECT_EQ(0, ew_config_load_file(path, cfg, err, sizeof(err))) TH_LOG("%s", err);
	return _metadata->exit_code == KSFT_PASS ? 0 : -EINVAL;
}

TEST(azure_example_loads)
{
	static const uint8_t key[] = "gateway-17 symmetric key for DPS tests";
	struct ew_config cfg;
	char path[256], *json;
	int r;

	r = load_example(_metadata, "config-azure.toml", &cfg, path, sizeof(path));
	if (r == -ENOENT)
		SKIP(return, "docs/examples/config-azure.toml not found from %s",
		     getcwd(path, sizeof(path)) ? path : "here");
	ASSERT_EQ(0, r);

	EXPECT_EQ(0u, cfg.n_warnings);
	EXPECT_STREQ("gateway-17", s(cfg.hostname));
	EXPECT_STREQ("/var/secrets/trust-bundle.pem", s(cfg.trust_bundle_cert));
	EXPECT_FALSE(cfg.allow_elevated_docker_permissions);

	EXPECT_ENUM(EW_CONFIG_PROV_DPS, cfg.provisioning.source);
	EXPECT_STREQ("https://global.azure-devices-provisioning.net/",
		     s(cfg.provisioning.global_endpoint));
	EXPECT_STREQ("0ne00A1B2C3", s(cfg.provisioning.id_scope));
	EXPECT_ENUM(EW_CONFIG_ATTEST_SYMMETRIC_KEY, cfg.provisioning.attestation);
	EXPECT_STREQ("gateway-17", s(cfg.provisioning.registration_id));
	ASSERT_ENUM(EW_CONFIG_KEY_VALUE, cfg.provisioning.symmetric_key.kind);
	ASSERT_EQ(sizeof(key) - 1, cfg.provisioning.symmetric_key.value_len);
	EXPECT_EQ(0, memcmp(key, cfg.provisioning.symmetric_key.value, sizeof(key) - 1));
	EXPECT_STREQ("dps.symmetric_key", ew_config_provisioning_type(&cfg));
	EXPECT_TRUE(ew_config_dynamic_reprovisioning(&cfg));
	EXPECT_FALSE(ew_config_always_reprovision(&cfg));

	EXPECT_ENUM(EW_CONFIG_EDGE_CA_PRELOADED, cfg.edge_ca.kind);
	EXPECT_STREQ("/var/secrets/iot-edge-device-ca-gateway-17-full-chain.cert.pem",
		     s(cfg.edge_ca.cert));
	EXPECT_ENUM(EW_CONFIG_KEY_FILE, cfg.edge_ca.pk.kind);
	EXPECT_STREQ("/var/secrets/iot-edge-device-ca-gateway-17.key.pem",
		     s(cfg.edge_ca.pk.location));

	EXPECT_ENUM(EW_MODULE_DOCKER, cfg.agent.type);
	EXPECT_STREQ("edgeAgent", s(cfg.agent.name));
	EXPECT_STREQ("mcr.microsoft.com/azureiotedge-agent:1.4", s(cfg.agent.image));
	EXPECT_STREQ("contoso.azurecr.io", s(cfg.agent.auth_serveraddress));
	EXPECT_STREQ("contoso", s(cfg.agent.auth_username));
	EXPECT_STREQ("not-a-real-password", s(cfg.agent.auth_password));
	ASSERT_NE(NULL, cfg.agent.create_options);
	json = cJSON_PrintUnformatted(cfg.agent.create_options);
	ASSERT_NE(NULL, json);
	EXPECT_STREQ("{\"HostConfig\":{\"LogConfig\":{\"Type\":\"json-file\",\"Config\":"
		     "{\"max-size\":\"10m\",\"max-file\":\"3\"}}}}", json);
	free(json);
	ASSERT_EQ(3u, cfg.agent.env.n);
	EXPECT_STREQ("RuntimeLogLevel", cfg.agent.env.items[0].name);
	EXPECT_STREQ("info", cfg.agent.env.items[0].value);
	EXPECT_STREQ("UpstreamProtocol", cfg.agent.env.items[1].name);
	EXPECT_STREQ("AmqpWs", cfg.agent.env.items[1].value);
	EXPECT_STREQ("SendRuntimeQualityTelemetry", cfg.agent.env.items[2].name);

	EXPECT_ENUM(EW_CONFIG_SOCK_UNIX, cfg.connect.workload.kind);
	EXPECT_STREQ("/var/run/iotedge/workload.sock", s(cfg.connect.workload.path));
	EXPECT_STREQ("/var/run/iotedge/mgmt.sock", s(cfg.connect.management.path));
	EXPECT_ENUM(EW_CONFIG_SOCK_FD, cfg.listen.workload.kind);
	EXPECT_STREQ("aziot-edged.workload.socket", s(cfg.listen.workload.path));
	EXPECT_ENUM(EW_CONFIG_SOCK_FD, cfg.listen.management.kind);
	EXPECT_STREQ("aziot-edged.mgmt.socket", s(cfg.listen.management.path));
	EXPECT_STREQ("fd://aziot-edged.mgmt.socket", s(cfg.listen.management.uri));
	EXPECT_ENUM(EW_CONFIG_TLS_1_2, cfg.listen_min_tls_version);
	EXPECT_EQ(0u, cfg.watchdog_max_retries);
	EXPECT_STREQ("azure-iot-edge", s(cfg.moby_runtime.network));
	EXPECT_TRUE(cfg.image_gc.enabled);
	EXPECT_EQ(7u * 86400, cfg.image_gc.image_age_cleanup_threshold);

	/* What Azure's file does not say stays edgeward's default. */
	EXPECT_FALSE(cfg.kernel.required);
	EXPECT_EQ(0u, cfg.kernel.mode);
	EXPECT_STREQ("/var/lib/edgeward", s(cfg.edgeward.state_dir));
	ew_config_free(&cfg);
}

TEST(annotated_example_loads)
{
	static const uint8_t digest[32] = {
		0x9f, 0x86, 0xd0, 0x81, 0x88, 0x4c, 0x7d, 0x65, 0x9a, 0x2f, 0xea, 0xa0,
		0xc5, 0x5a, 0xd0, 0x15, 0xa3, 0xbf, 0x4f, 0x1b, 0x2b, 0x0b, 0x82, 0x2c,
		0xd1, 0x5d, 0x6c, 0x15, 0xb0, 0xf0, 0x0a, 0x08,
	};
	const struct ew_config_cert_issue *is;
	const struct ew_config_est *est;
	struct ew_config cfg;
	char path[256];
	int r;

	r = load_example(_metadata, "config.toml", &cfg, path, sizeof(path));
	if (r == -ENOENT)
		SKIP(return, "docs/examples/config.toml not found from %s",
		     getcwd(path, sizeof(path)) ? path : "here");
	ASSERT_EQ(0, r);

	EXPECT_EQ(0u, cfg.n_warnings);
	EXPECT_STREQ("edge-gw-01", s(cfg.hostname));
	EXPECT_STREQ("/etc/edgeward/certs/manifest-ca.pem", s(cfg.manifest_trust_bundle_cert));
	EXPECT_EQ(20u, cfg.cloud_timeout_sec);
	EXPECT_EQ(2u, cfg.cloud_retries);

	EXPECT_ENUM(EW_CONFIG_PROV_DPS, cfg.provisioning.source);
	EXPECT_STREQ("/etc/edgeward/dps-payload.json", s(cfg.provisioning.payload));
	EXPECT_ENUM(EW_CONFIG_ATTEST_X509, cfg.provisioning.attestation);
	EXPECT_STREQ("dps.x509", ew_config_provisioning_type(&cfg));
	EXPECT_EQ(NULL, cfg.provisioning.x509.identity_cert);
	is = &cfg.provisioning.x509.issue;
	EXPECT_ENUM(EW_CONFIG_ISSUE_EST, is->method);
	EXPECT_STREQ("edge-gw-01", s(is->common_name));
	EXPECT_EQ(365u, is->expiry_days);
	EXPECT_STREQ("https://est.example.com/.well-known/est/device", s(is->url));
	EXPECT_TRUE(is->auto_renew.set);
	EXPECT_ENUM(EW_RENEW_PERCENT, is->auto_renew.policy.threshold.unit);
	EXPECT_EQ(80, is->auto_renew.policy.threshold.value);

	est = &cfg.cert_issuance.est;
	EXPECT_TRUE(est->present);
	ASSERT_EQ(1u, est->n_trusted_certs);
	EXPECT_STREQ("/etc/edgeward/certs/est-server-ca.pem", est->trusted_certs[0]);
	EXPECT_STREQ("edge-gw-01", s(est->username));
	EXPECT_STREQ("change-me", s(est->password));
	EXPECT_STREQ("/etc/edgeward/certs/est-bootstrap.pem", s(est->bootstrap_identity_cert));
	EXPECT_ENUM(EW_CONFIG_KEY_FILE, est->bootstrap_identity_pk.kind);
	EXPECT_ENUM(EW_RENEW_SECONDS, est->identity_auto_renew.policy.threshold.unit);
	EXPECT_EQ(10 * 86400, est->identity_auto_renew.policy.threshold.value);
	EXPECT_ENUM(EW_RENEW_SECONDS, est->identity_auto_renew.policy.retry.unit);
	EXPECT_EQ(3600, est->identity_auto_renew.policy.retry.value);
	EXPECT_STREQ("https://est.example.com/.well-known/est", s(est->default_url));

	EXPECT_ENUM(EW_CONFIG_EDGE_CA_ISSUED, cfg.edge_ca.kind);
	EXPECT_ENUM(EW_CONFIG_ISSUE_EST, cfg.edge_ca.issue.method);
	EXPECT_STREQ("edge-gw-01 Edge CA", s(cfg.edge_ca.issue.common_name));
	EXPECT_EQ(90u, cfg.edge_ca.issue.expiry_days);
	EXPECT_TRUE(cfg.edge_ca.auto_renew.set);

	ASSERT_EQ(2u, cfg.aziot_keys.n);
	EXPECT_STREQ("pkcs11_lib_path", cfg.aziot_keys.items[0].name);
	EXPECT_STREQ("pkcs11:token=edgeward", cfg.aziot_keys.items[1].value);
	ASSERT_EQ(1u, cfg.n_preloaded_keys);
	EXPECT_STREQ("bootstrap-key", cfg.preloaded_keys[0].name);
	EXPECT_ENUM(EW_CONFIG_KEY_PKCS11, cfg.preloaded_keys[0].key.kind);
	EXPECT_STREQ("pkcs11:token=edgeward;object=bootstrap",
		     s(cfg.preloaded_keys[0].key.location));
	ASSERT_EQ(2u, cfg.n_preloaded_certs);
	EXPECT_EQ(1u, cfg.preloaded_certs[0].n_paths);
	ASSERT_EQ(2u, cfg.preloaded_certs[1].n_paths);
	EXPECT_STREQ("/etc/edgeward/certs/upstream-intermediate.pem",
		     cfg.preloaded_certs[1].paths[1]);
	EXPECT_EQ(0x100u, cfg.tpm.auth_key_index);

	EXPECT_ENUM(EW_MODULE_PROCESS, cfg.agent.type);
	EXPECT_STREQ("/usr/lib/edgeward/agent/edge-agent", s(cfg.agent.exec));
	ASSERT_EQ(2u, cfg.agent.n_args);
	EXPECT_STREQ("--config", cfg.agent.args[0]);
	EXPECT_STREQ("edgeagent", s(cfg.agent.user));
	ASSERT_TRUE(cfg.agent.has_expected_digest);
	EXPECT_EQ(0, memcmp(digest, cfg.agent.expected_digest, sizeof(digest)));
	ASSERT_EQ(2u, cfg.agent.env.n);

	EXPECT_ENUM(EW_CONFIG_SOCK_FD, cfg.listen.workload.kind);
	EXPECT_STREQ("edgeward.workload.socket", s(cfg.listen.workload.path));
	EXPECT_EQ(10u, cfg.watchdog_max_retries);

	EXPECT_STREQ("edgeward-net", s(cfg.moby_runtime.network));
	ASSERT_EQ(1u, cfg.moby_runtime.n_ipam);
	EXPECT_STREQ("172.30.0.1", s(cfg.moby_runtime.ipam[0].gateway));
	EXPECT_STREQ("172.30.5.0/24", s(cfg.moby_runtime.ipam[0].ip_range));
	ASSERT_EQ(1u, cfg.moby_runtime.content_trust.n);
	EXPECT_STREQ("contoso.azurecr.io", cfg.moby_runtime.content_trust.items[0].name);
	EXPECT_STREQ("/etc/edgeward/certs/notary-root-ca.pem",
		     cfg.moby_runtime.content_trust.items[0].value);
	EXPECT_EQ(3u * 60 + 30, cfg.image_gc.cleanup_time);

	EXPECT_TRUE(cfg.kernel.required);
	EXPECT_ENUM(EDGEWARD_MODE_ENFORCE, cfg.kernel.mode);
	EXPECT_TRUE(cfg.kernel.lock_after_boot);
	EXPECT_EQ(LOG_INFO, cfg.edgeward.log_level);
	ew_config_free(&cfg);
}

/* --- provisioning that loads ---------------------------------------------- */

TEST(connection_strings)
{
	static const struct {
		const char *cs;
		const char *gateway;
		enum ew_config_auth auth;
		size_t key_len;
		const char *type;
	} cases[] = {
		{ "HostName=hub.azure-devices.net;DeviceId=gw;SharedAccessKey=a2V5LWJ5dGVz",
		  NULL, EW_CONFIG_AUTH_SAS, 9, "manual.connection_string" },
		/* Azure takes keys without their padding. */
		{ "DeviceId=gw;SharedAccessKey=a2V5LWJ5dGVzLQ;HostName=hub.azure-devices.net",
		  NULL, EW_CONFIG_AUTH_SAS, 10, "manual.connection_string" },
		{ "HostName=hub.azure-devices.net;DeviceId=gw;SharedAccessKey=a2V5LWJ5dGVz;"
		  "GatewayHostName=parent.local", "parent.local", EW_CONFIG_AUTH_SAS, 9,
		  "manual.connection_string" },
		{ "HostName=hub.azure-devices.net;DeviceId=gw;x509=true", NULL,
		  EW_CONFIG_AUTH_X509, 0, "manual.x509" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[512], err[512];
		struct ew_config cfg;

		snprintf(text, sizeof(text),
			 "[provisioning]\nsource = \"manual\"\nconnection_string = \"%s\"\n",
			 cases[i].cs);
		ASSERT_EQ(0, load(text, &cfg, err, sizeof(err))) TH_LOG("%s", err);
		EXPECT_TRUE(cfg.provisioning.from_connection_string);
		EXPECT_STREQ("hub.azure-devices.net", s(cfg.provisioning.iothub_hostname));
		EXPECT_STREQ("gw", s(cfg.provisioning.device_id));
		EXPECT_STREQ(s(cases[i].gateway), s(cfg.provisioning.gateway_hostname));
		EXPECT_ENUM(cases[i].auth, cfg.provisioning.auth);
		EXPECT_STREQ(cases[i].type, ew_config_provisioning_type(&cfg));
		if (cases[i].key_len) {
			ASSERT_ENUM(EW_CONFIG_KEY_VALUE, cfg.provisioning.device_id_pk.kind);
			ASSERT_EQ(cases[i].key_len, cfg.provisioning.device_id_pk.value_len);
			EXPECT_EQ(0, memcmp("key-bytes-", cfg.provisioning.device_id_pk.value,
					    cases[i].key_len));
		} else {
			EXPECT_ENUM(EW_CONFIG_KEY_NONE, cfg.provisioning.device_id_pk.kind);
		}
		/* Manual provisioning does not reprovision. */
		EXPECT_FALSE(ew_config_dynamic_reprovisioning(&cfg));
		ew_config_free(&cfg);
	}
}

TEST(manual_explicit_identities)
{
	static const char sas_file[] =
		"[provisioning]\nsource = \"manual\"\niothub_hostname = \"hub.example.net\"\n"
		"device_id = \"gw:1\"\n[provisioning.authentication]\nmethod = \"sas\"\n"
		"device_id_pk = { uri = \"file:///var/secrets/device%20id.key\" }\n";
	static const char sas_value[] =
		"[provisioning]\nsource = \"manual\"\niothub_hostname = \"hub.example.net\"\n"
		"device_id = \"gw\"\n\n[provisioning.authentication]\nmethod = \"sas\"\n"
		"device_id_pk = { value = \"AAEC/w==\" }\n";
	static const char x509_pkcs11[] =
		"[provisioning]\nsource = \"manual\"\niothub_hostname = \"hub.example.net\"\n"
		"device_id = \"gw\"\n[provisioning.authentication]\nmethod = \"x509\"\n"
		"identity_cert = \"file://localhost/var/secrets/id.pem\"\n"
		"identity_pk = \"pkcs11:slot-id=0;object=device%20id?pin-value=1234\"\n";
	static const char x509_issued[] =
		"[provisioning]\nsource = \"manual\"\niothub_hostname = \"hub.example.net\"\n"
		"device_id = \"gw\"\n[provisioning.authentication]\nmethod = \"x509\"\n"
		"[provisioning.authentication.identity_cert]\nmethod = \"local_ca\"\n"
		"subject = { L = \"AQ\", ST = \"Antarctica\", CN = \"gw\" }\n";
	struct ew_config cfg;
	char err[512];

	ASSERT_EQ(0, load(sas_file, &cfg, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("gw:1", s(cfg.provisioning.device_id));
	EXPECT_ENUM(EW_CONFIG_AUTH_SAS, cfg.provisioning.auth);
	EXPECT_ENUM(EW_CONFIG_KEY_FILE, cfg.provisioning.device_id_pk.kind);
	EXPECT_STREQ("/var/secrets/device id.key", s(cfg.provisioning.device_id_pk.location));
	EXPECT_STREQ("manual.connection_string", ew_config_provisioning_type(&cfg));
	ew_config_free(&cfg);

	ASSERT_EQ(0, load(sas_value, &cfg, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_ENUM(EW_CONFIG_KEY_VALUE, cfg.provisioning.device_id_pk.kind);
	ASSERT_EQ(4u, cfg.provisioning.device_id_pk.value_len);
	EXPECT_EQ(0, memcmp("\x00\x01\x02\xff", cfg.provisioning.device_id_pk.value, 4));
	ew_config_free(&cfg);

	ASSERT_EQ(0, load(x509_pkcs11, &cfg, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_ENUM(EW_CONFIG_AUTH_X509, cfg.provisioning.auth);
	EXPECT_STREQ("/var/secrets/id.pem", s(cfg.provisioning.x509.identity_cert));
	EXPECT_ENUM(EW_CONFIG_KEY_PKCS11, cfg.provisioning.x509.identity_pk.kind);
	EXPECT_STREQ("pkcs11:slot-id=0;object=device%20id?pin-value=1234",
		     s(cfg.provisioning.x509.identity_pk.location));
	EXPECT_ENUM(EW_CONFIG_ISSUE_NONE, cfg.provisioning.x509.issue.method);
	EXPECT_STREQ("manual.x509", ew_config_provisioning_type(&cfg));
	ew_config_free(&cfg);

	ASSERT_EQ(0, load(x509_issued, &cfg, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(NULL, cfg.provisioning.x509.identity_cert);
	EXPECT_ENUM(EW_CONFIG_ISSUE_LOCAL_CA, cfg.provisioning.x509.issue.method);
	ASSERT_EQ(3u, cfg.provisioning.x509.issue.subject.n);
	EXPECT_STREQ("L", cfg.provisioning.x509.issue.subject.items[0].name);
	EXPECT_STREQ("Antarctica", cfg.provisioning.x509.issue.subject.items[1].value);
	EXPECT_STREQ("CN", cfg.provisioning.x509.issue.subject.items[2].name);
	/* An issued certificate without auto_renew still renews by default. */
	EXPECT_FALSE(cfg.provisioning.x509.issue.auto_renew.set);
	EXPECT_TRUE(cfg.provisioning.x509.issue.auto_renew.rotate_key);
	EXPECT_EQ(80, cfg.provisioning.x509.issue.auto_renew.policy.threshold.value);
	ew_config_free(&cfg);
}

TEST(dps_and_none)
{
	static const char tpm[] =
		"auto_reprovisioning_mode = \"AlwaysOnStartup\"\n"
		"[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://dps.example.com:8443\"\n"
		"id_scope = \"0ne0001\"\nattestation = { method = \"tpm\", registration_id = \"r1\" }\n";
	static const char x509_no_reg[] =
		"[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://[::1]/\"\n"
		"id_scope = \"s\"\nalways_reprovision_on_startup = true\n"
		"auto_reprovisioning_mode = \"OnErrorOnly\"\n"
		"[provisioning.attestation]\nmethod = \"x509\"\n"
		"identity_cert = \"file:///c.pem\"\nidentity_pk = \"file:///k.pem\"\n";
	static const char none[] = "[provisioning]\nsource = \"none\"\n";
	struct ew_config cfg;
	char err[512];

	ASSERT_EQ(0, load(tpm, &cfg, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_ENUM(EW_CONFIG_ATTEST_TPM, cfg.provisioning.attestation);
	EXPECT_STREQ("r1", s(cfg.provisioning.registration_id));
	EXPECT_STREQ("dps.tpm", ew_config_provisioning_type(&cfg));
	EXPECT_FALSE(ew_config_dynamic_reprovisioning(&cfg));
	EXPECT_TRUE(ew_config_always_reprovision(&cfg));
	/* A file's provisioning is not local mode: no device id of the host's. */
	EXPECT_EQ(NULL, cfg.provisioning.device_id);
	ew_config_free(&cfg);

	/* auto_reprovisioning_mode is a top-level key: here it is in [provisioning]. */
	EXPECT_EQ(-EINVAL, load(x509_no_reg, &cfg, err, sizeof(err)));
	EXPECT_STREQ(FILE_NAME ":6:1: unknown key \"auto_reprovisioning_mode\" in table "
		     "[provisioning] for source \"dps\"", err);
	{
		char fixed[sizeof(x509_no_reg)];
		char *p;

		strcpy(fixed, x509_no_reg);
		p = strstr(fixed, "auto_reprovisioning_mode");
		memset(p, ' ', strlen("auto_reprovisioning_mode = \"OnErrorOnly\""));
		p[0] = '#';
		ASSERT_EQ(0, load(fixed, &cfg, err, sizeof(err))) TH_LOG("%s", err);
	}
	EXPECT_ENUM(EW_CONFIG_ATTEST_X509, cfg.provisioning.attestation);
	EXPECT_EQ(NULL, cfg.provisioning.registration_id);
	EXPECT_STREQ("/c.pem", s(cfg.provisioning.x509.identity_cert));
	EXPECT_STREQ("dps.x509", ew_config_provisioning_type(&cfg));
	EXPECT_TRUE(cfg.provisioning.always_reprovision_on_startup);
	EXPECT_TRUE(ew_config_always_reprovision(&cfg));
	ew_config_free(&cfg);

	ASSERT_EQ(0, load(none, &cfg, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_ENUM(EW_CONFIG_PROV_NONE, cfg.provisioning.source);
	EXPECT_STREQ("none", ew_config_provisioning_type(&cfg));
	ew_config_free(&cfg);
}

/* --- keys of newer Azure files -------------------------------------------- */

/* cfg's warnings are exactly @want, in order. */
static void check_warnings(struct __test_metadata *_metadata, const struct ew_config *cfg,
			   const char *const *want, size_t n)
{
	size_t i;

	ASSERT_EQ(n, cfg->n_warnings);
	for (i = 0; i < n; i++) {
		char line[512];

		snprintf(line, sizeof(line), FILE_NAME ":%s", want[i]);
		EXPECT_STREQ(line, cfg->warnings[i]) TH_LOG("warning %zu", i);
	}
}

#define CHECK_WARNINGS(cfg, want) \
	check_warnings(_metadata, cfg, want, sizeof(want) / sizeof(want[0]))

TEST(newer_azure_keys_load_with_warnings)
{
	static const char text[] =
		"hostname = \"gw\"\n"
		"dps_trust_bundle = \"my-dps-bundle\"\n"
		"additional_info = \"file:///etc/aziot/additional%20info.toml\"\n"
		"[provisioning]\nsource = \"manual\"\n"
		"connection_string = \"HostName=h.net;DeviceId=d;SharedAccessKey=YWJj\"\n"
		"dynamic_reprovisioning = true\n"
		"[localid]\ndomain = \"example.com\"\n"
		"[iotedge_max_requests]\nmanagement = 60\nworkload = 20\n"
		"[aziot_max_requests]\nkeyd = 20\ncertd = 30\ntpmd = 40\nidentityd = 50\n";
	static const char *const warnings[] = {
		"2:1: \"dps_trust_bundle\" is ignored: edgeward does not provision with DPS",
		"3:1: \"additional_info\" is ignored: edgeward does not report additional "
		"system information",
		"7:1: \"dynamic_reprovisioning\" in table [provisioning] is ignored: Azure IoT "
		"Edge 1.2 and later ignore it too (auto_reprovisioning_mode replaced it)",
		"8:2: \"localid\" is ignored: edgeward does not issue local identities",
		"13:2: \"aziot_max_requests\" is ignored: edgeward runs none of the Azure "
		"services it limits",
	};
	struct ew_config cfg;
	char err[512];

	ASSERT_EQ(0, load(text, &cfg, err, sizeof(err))) TH_LOG("%s", err);
	CHECK_WARNINGS(&cfg, warnings);
	/* Honoured: the connections per user of each API. */
	EXPECT_EQ(60u, cfg.iotedge_max_requests.management);
	EXPECT_EQ(20u, cfg.iotedge_max_requests.workload);
	/* Kept for when edgeward acts on them. */
	EXPECT_STREQ("my-dps-bundle", s(cfg.dps_trust_bundle));
	EXPECT_STREQ("/etc/aziot/additional info.toml", s(cfg.additional_info));
	EXPECT_STREQ("example.com", s(cfg.localid_domain));
	EXPECT_EQ(60u, cfg.iotedge_max_requests.management);
	EXPECT_EQ(20u, cfg.iotedge_max_requests.workload);
	EXPECT_EQ(20u, cfg.aziot_max_requests.keyd);
	EXPECT_EQ(30u, cfg.aziot_max_requests.certd);
	EXPECT_EQ(40u, cfg.aziot_max_requests.tpmd);
	EXPECT_EQ(50u, cfg.aziot_max_requests.identityd);
	/* The rest of the file means what it did. */
	EXPECT_STREQ("gw", s(cfg.hostname));
	EXPECT_ENUM(EW_CONFIG_AUTH_SAS, cfg.provisioning.auth);
	EXPECT_STREQ("d", s(cfg.provisioning.device_id));
	EXPECT_FALSE(ew_config_dynamic_reprovisioning(&cfg));
	ew_config_free(&cfg);
	EXPECT_EQ(NULL, cfg.warnings);
	EXPECT_EQ(0u, cfg.n_warnings);

	/* The same keys at their places in an Azure file of another shape. */
	ASSERT_EQ(0, load("localid = { domain = \"d.example\" }\n"
			  "aziot_max_requests = { certd = 7 }\n", &cfg, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(2u, cfg.n_warnings);
	EXPECT_STREQ(FILE_NAME ":1:1: \"localid\" is ignored: edgeward does not issue local "
		     "identities", cfg.warnings[0]);
	EXPECT_STREQ("d.example", s(cfg.localid_domain));
	EXPECT_EQ(7u, cfg.aziot_max_requests.certd);
	EXPECT_EQ(0u, cfg.aziot_max_requests.keyd);
	/* Untouched by a table that does not give them. */
	EXPECT_EQ(50u, cfg.iotedge_max_requests.management);
	ew_config_free(&cfg);
}

TEST(superseded_dps_keys_load_with_warnings)
{
	static const char text[] =
		"[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://g.example/\"\n"
		"id_scope = \"0ne1\"\n"
		"dynamic_reprovisioning = false\n"
		"auto_renew_device_id = true\n"
		"device_id_renewal_threshold = \"85%\"\n"
		"device_id_renewal_retry = \"1day\"\n"
		"attestation = { method = \"tpm\", registration_id = \"r\" }\n";
	static const char *const warnings[] = {
		"5:1: \"dynamic_reprovisioning\" in table [provisioning] is ignored: Azure IoT "
		"Edge 1.2 and later ignore it too (auto_reprovisioning_mode replaced it)",
		"6:1: \"auto_renew_device_id\" in table [provisioning] is ignored: Azure ignores "
		"it too ([provisioning.attestation.identity_cert.auto_renew] replaced it)",
		"7:1: \"device_id_renewal_threshold\" in table [provisioning] is ignored: Azure "
		"ignores it too ([provisioning.attestation.identity_cert.auto_renew] replaced it)",
		"8:1: \"device_id_renewal_retry\" in table [provisioning] is ignored: Azure "
		"ignores it too ([provisioning.attestation.identity_cert.auto_renew] replaced it)",
	};
	struct ew_config cfg;
	char err[512];

	ASSERT_EQ(0, load(text, &cfg, err, sizeof(err))) TH_LOG("%s", err);
	CHECK_WARNINGS(&cfg, warnings);
	EXPECT_STREQ("dps.tpm", ew_config_provisioning_type(&cfg));
	/* auto_reprovisioning_mode decides, as in Azure: Dynamic by default. */
	EXPECT_TRUE(ew_config_dynamic_reprovisioning(&cfg));
	EXPECT_FALSE(ew_config_always_reprovision(&cfg));
	ew_config_free(&cfg);
}

TEST(local_gateway_hostname_is_parent_hostname)
{
	static const struct err_case cases[] = {
		{ "parent_hostname = \"p1\"\nlocal_gateway_hostname = \"p2\"\n",
		  "2:1: \"local_gateway_hostname\" cannot be combined with \"parent_hostname\"" },
		{ "local_gateway_hostname = \"p2\"\n\nparent_hostname = \"p1\"\n",
		  "3:1: \"parent_hostname\" cannot be combined with \"local_gateway_hostname\"" },
		{ "local_gateway_hostname = \"a_b\"\n",
		  "1:26: \"local_gateway_hostname\" must be a host name (labels of letters, "
		  "digits and '-' between dots) or an IP address, not \"a_b\"" },
	};
	struct ew_config cfg;
	char err[512];

	ASSERT_EQ(0, load("local_gateway_hostname = \"gw-parent.example.com\"\n", &cfg, err,
			  sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("gw-parent.example.com", s(cfg.parent_hostname));
	/* edgeward reads it as it reads parent_hostname: nothing to warn of. */
	EXPECT_EQ(0u, cfg.n_warnings);
	ew_config_free(&cfg);

	CHECK_ERRORS(cases);
}

TEST(newer_azure_keys_errors)
{
	static const char manual[] =
		"[provisioning]\nsource = \"manual\"\n"
		"connection_string = \"HostName=h;DeviceId=d;SharedAccessKey=YWJj\"\n";
	static const char dps[] =
		"[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://g/\"\n"
		"id_scope = \"s\"\nattestation = { method = \"tpm\", registration_id = \"r\" }\n";
	static const struct {
		const char *prefix;	/* NULL: none */
		const char *text;
		const char *msg;
	} cases[] = {
		/* Wrong types. */
		{ NULL, "local_gateway_hostname = 1\n",
		  "1:26: \"local_gateway_hostname\" must be a string, not an integer" },
		{ NULL, "dps_trust_bundle = true\n",
		  "1:20: \"dps_trust_bundle\" must be a string, not a boolean" },
		{ NULL, "dps_trust_bundle = \"\"\n",
		  "1:20: \"dps_trust_bundle\" must not be empty" },
		{ NULL, "additional_info = { RuntimeVersion = \"1\" }\n",
		  "1:19: \"additional_info\" must be a string, not a table" },
		{ NULL, "additional_info = \"/etc/aziot/info.toml\"\n",
		  "1:19: \"additional_info\" must be a file URI with an absolute path "
		  "(\"file:///path\"), not \"/etc/aziot/info.toml\"" },
		{ NULL, "localid = \"example.com\"\n",
		  "1:11: \"localid\" must be a table, not a string" },
		{ NULL, "[localid]\ndomain = 1\n",
		  "2:10: \"domain\" must be a string, not an integer" },
		{ NULL, "iotedge_max_requests = 50\n",
		  "1:24: \"iotedge_max_requests\" must be a table, not an integer" },
		{ NULL, "[iotedge_max_requests]\nmanagement = \"50\"\nworkload = 10\n",
		  "2:14: \"management\" must be an integer, not a string" },
		{ NULL, "[iotedge_max_requests]\nmanagement = 50\nworkload = 0\n",
		  "3:12: \"workload\" must be between 1 and 4294967295" },
		{ NULL, "[aziot_max_requests]\nkeyd = 1.5\n",
		  "2:8: \"keyd\" must be an integer, not a float" },
		{ manual, "dynamic_reprovisioning = \"no\"\n",
		  "4:26: \"dynamic_reprovisioning\" must be a boolean, not a string" },
		{ dps, "auto_renew_device_id = 1\n",
		  "6:24: \"auto_renew_device_id\" must be a boolean, not an integer" },
		{ dps, "device_id_renewal_threshold = 85\n",
		  "6:31: \"device_id_renewal_threshold\" must be a string, not an integer" },
		{ dps, "device_id_renewal_retry = \"5 percent\"\n",
		  "6:27: \"device_id_renewal_retry\" must be a percentage (\"80%\") or a duration "
		  "(\"10d\", \"12h\", \"30m\"), not \"5 percent\"" },
		/* Tables missing what Azure requires in them. */
		{ NULL, "\n[localid]\n", "2:1: missing key \"domain\" in table [localid]" },
		{ NULL, "[iotedge_max_requests]\nmanagement = 5\n",
		  "1:1: missing key \"workload\" in table [iotedge_max_requests]" },
		/* dps_trust_bundle is a top-level key, and the name of a certificate. */
		{ dps, "dps_trust_bundle = \"file:///etc/dps-ca.pem\"\n",
		  "6:1: \"dps_trust_bundle\" cannot be in table [provisioning]: it is a top-level "
		  "key (write it before the first table)" },
		{ manual, "dps_trust_bundle = \"b\"\n",
		  "4:1: \"dps_trust_bundle\" cannot be in table [provisioning]: it is a top-level "
		  "key (write it before the first table)" },
		/* Misspelled neighbours are still unknown. */
		{ NULL, "local_gateway_hostnme = \"p\"\n",
		  "1:1: unknown key \"local_gateway_hostnme\"" },
		{ NULL, "dps_trust_bundel = \"b\"\n", "1:1: unknown key \"dps_trust_bundel\"" },
		{ NULL, "additional_infos = \"file:///a\"\n",
		  "1:1: unknown key \"additional_infos\"" },
		{ NULL, "[localid]\ndomain = \"d\"\ndomian = \"d\"\n",
		  "3:1: unknown key \"domian\" in table [localid]" },
		{ NULL, "[local_id]\ndomain = \"d\"\n", "1:2: unknown key \"local_id\"" },
		{ NULL, "[iotedge_max_requests]\nmanagment = 5\nworkload = 5\n",
		  "2:1: unknown key \"managment\" in table [iotedge_max_requests]" },
		{ NULL, "[aziot_max_requests]\nkeysd = 5\n",
		  "2:1: unknown key \"keysd\" in table [aziot_max_requests]" },
		{ manual, "dynamic_reprovision = true\n",
		  "4:1: unknown key \"dynamic_reprovision\" in table [provisioning] for source "
		  "\"manual\"" },
		{ dps, "auto_renew_device = true\n",
		  "6:1: unknown key \"auto_renew_device\" in table [provisioning] for source "
		  "\"dps\"" },
		/* Where Azure never had them. */
		{ manual, "auto_renew_device_id = true\n",
		  "4:1: unknown key \"auto_renew_device_id\" in table [provisioning] for source "
		  "\"manual\"" },
		{ NULL, "[provisioning]\nsource = \"none\"\ndynamic_reprovisioning = false\n",
		  "3:1: unknown key \"dynamic_reprovisioning\" in table [provisioning] for source "
		  "\"none\"" },
		{ manual, "additional_info = { a = \"b\" }\n",
		  "4:1: unknown key \"additional_info\" in table [provisioning] for source "
		  "\"manual\"" },
		{ NULL, "auto_renew_device_id = true\n",
		  "1:1: unknown key \"auto_renew_device_id\"" },
		/* A key that warns, then a mistake: the load fails whole. */
		{ NULL, "dps_trust_bundle = \"b\"\n[localid]\ndomain = \"d\"\nhostnme = \"x\"\n",
		  "4:1: unknown key \"hostnme\" in table [localid]" },
	};
	struct err_case one[1];
	char text[sizeof(cases) / sizeof(cases[0])][512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text[i], sizeof(text[i]), "%s%s", cases[i].prefix ? cases[i].prefix : "",
			 cases[i].text);
		one[0].text = text[i];
		one[0].msg = cases[i].msg;
		check_errors(_metadata, one, 1);
	}
}

/* --- other tables that load ----------------------------------------------- */

TEST(edge_ca_forms)
{
	struct ew_config cfg;
	char err[512];

	ASSERT_EQ(0, load("[edge_ca]\n", &cfg, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_ENUM(EW_CONFIG_EDGE_CA_QUICKSTART, cfg.edge_ca.kind);
	EXPECT_EQ(90u, cfg.edge_ca.quickstart_expiry_days);
	ew_config_free(&cfg);

	ASSERT_EQ(0, load("[edge_ca]\nauto_generated_edge_ca_expiry_days = 3650\n"
			  "auto_renew = { rotate_key = false, threshold = \"90min\", retry = \"45s\" }\n",
			  &cfg, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_ENUM(EW_CONFIG_EDGE_CA_QUICKSTART, cfg.edge_ca.kind);
	EXPECT_EQ(3650u, cfg.edge_ca.quickstart_expiry_days);
	EXPECT_TRUE(cfg.edge_ca.auto_renew.set);
	EXPECT_FALSE(cfg.edge_ca.auto_renew.rotate_key);
	EXPECT_ENUM(EW_RENEW_SECONDS, cfg.edge_ca.auto_renew.policy.threshold.unit);
	EXPECT_EQ(5400, cfg.edge_ca.auto_renew.policy.threshold.value);
	EXPECT_EQ(45, cfg.edge_ca.auto_renew.policy.retry.value);
	ew_config_free(&cfg);

	ASSERT_EQ(0, load("[edge_ca]\ncert = \"file:///ca.pem\"\n"
			  "pk = \"pkcs11:slot-id=0;object=edge%20ca?pin-value=1234\"\n",
			  &cfg, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_ENUM(EW_CONFIG_EDGE_CA_PRELOADED, cfg.edge_ca.kind);
	EXPECT_STREQ("/ca.pem", s(cfg.edge_ca.cert));
	EXPECT_ENUM(EW_CONFIG_KEY_PKCS11, cfg.edge_ca.pk.kind);
	ew_config_free(&cfg);

	/* auto_renew first, then the form it belongs to. */
	ASSERT_EQ(0, load("[edge_ca]\nauto_renew = { threshold = \"2day\" }\n"
			  "method = \"local_ca\"\ncommon_name = \"Edge CA\"\n",
			  &cfg, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_ENUM(EW_CONFIG_EDGE_CA_ISSUED, cfg.edge_ca.kind);
	EXPECT_ENUM(EW_CONFIG_ISSUE_LOCAL_CA, cfg.edge_ca.issue.method);
	EXPECT_EQ(2 * 86400, cfg.edge_ca.auto_renew.policy.threshold.value);
	EXPECT_TRUE(cfg.edge_ca.auto_renew.rotate_key);
	EXPECT_EQ(4, cfg.edge_ca.auto_renew.policy.retry.value);
	ew_config_free(&cfg);
}

TEST(uris_and_values)
{
	static const char text[] =
		"trust_bundle_cert = \"file:///var/my%20certs/a%23b%3F.pem\"\n"
		"imported_master_encryption_key = \"file://localhost/k\"\n"
		"[tpm]\nauth_key_index = 0x7fffff\ntcti = \"swtpm:port=2321\"\n"
		"hierarchy_authorization = { endorsement = \"e\", owner = \"\" }\n"
		"[listen]\nworkload_uri = \"unix:///run/a%20b.sock\"\n"
		"[watchdog]\nmax_retries = 3\n"
		"[moby_runtime]\nuri = \"tcp://127.0.0.1:2375\"\n"
		"network = { name = \"n1\", ipv6 = true, ipam = { config = "
		"[{ subnet = \"fd00::/64\" }, { gateway = \"10.0.0.1\", subnet = \"10.0.0.0/8\" }] } }\n"
		"[image_garbage_collection]\nenabled = false\ncleanup_recurrence = \"2d\"\n"
		"image_age_cleanup_threshold = \"36h\"\ncleanup_time = \"23:59\"\n"
		"[kernel]\nmode = \"audit\"\n"
		"[edgeward]\nlog_level = \"debug\"\nmodule_cgroup_base = \"system.slice/edgeward\"\n"
		"state_dir = \"/srv/edgeward\"\n";
	struct ew_config cfg;
	char err[512];

	ASSERT_EQ(0, load(text, &cfg, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("/var/my certs/a#b?.pem", s(cfg.trust_bundle_cert));
	EXPECT_STREQ("/k", s(cfg.imported_master_encryption_key));
	EXPECT_EQ(0x7fffffu, cfg.tpm.auth_key_index);
	EXPECT_STREQ("swtpm:port=2321", s(cfg.tpm.tcti));
	EXPECT_STREQ("e", s(cfg.tpm.endorsement_auth));
	EXPECT_STREQ("", s(cfg.tpm.owner_auth));
	EXPECT_STREQ("/run/a b.sock", s(cfg.listen.workload.path));
	/* What [listen] leaves out keeps its default. */
	EXPECT_STREQ("/run/edgeward/mgmt.sock", s(cfg.listen.management.path));
	EXPECT_EQ(3u, cfg.watchdog_max_retries);
	EXPECT_STREQ("tcp://127.0.0.1:2375", s(cfg.moby_runtime.uri));
	EXPECT_STREQ("n1", s(cfg.moby_runtime.network));
	EXPECT_TRUE(cfg.moby_runtime.ipv6);
	ASSERT_EQ(2u, cfg.moby_runtime.n_ipam);
	EXPECT_EQ(NULL, cfg.moby_runtime.ipam[0].gateway);
	EXPECT_STREQ("fd00::/64", s(cfg.moby_runtime.ipam[0].subnet));
	EXPECT_STREQ("10.0.0.1", s(cfg.moby_runtime.ipam[1].gateway));
	EXPECT_FALSE(cfg.image_gc.enabled);
	EXPECT_EQ(2u * 86400, cfg.image_gc.cleanup_recurrence);
	EXPECT_EQ(36u * 3600, cfg.image_gc.image_age_cleanup_threshold);
	EXPECT_EQ(23u * 60 + 59, cfg.image_gc.cleanup_time);
	EXPECT_ENUM(EDGEWARD_MODE_AUDIT, cfg.kernel.mode);
	EXPECT_EQ(LOG_DEBUG, cfg.edgeward.log_level);
	EXPECT_STREQ("system.slice/edgeward", s(cfg.edgeward.module_cgroup_base));
	EXPECT_STREQ("/srv/edgeward", s(cfg.edgeward.state_dir));
	ew_config_free(&cfg);

	ASSERT_EQ(0, load("[tpm]\nauth_key_index = \"0x00_01_00\"\n", &cfg, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_EQ(0x100u, cfg.tpm.auth_key_index);
	ew_config_free(&cfg);
	ASSERT_EQ(0, load("[tpm]\nauth_key_index = \"1_000\"\n", &cfg, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_EQ(1000u, cfg.tpm.auth_key_index);
	ew_config_free(&cfg);
}

TEST(agent_docker_create_options)
{
	static const char text[] =
		"[agent]\nimagePullPolicy = \"never\"\n"
		"[agent.config]\nimage = \"agent:1\"\ndigest = \"sha256:00\"\nimageHash = \"h\"\n"
		"[agent.config.createOptions]\n"
		"Env = [\"A=1\", \"B=2\"]\nHostConfig = { Memory = 536870912, CpuShares = 0.5, "
		"Privileged = false, Binds = [] }\nWhen = 1979-05-27T07:32:00Z\n"
		"Labels = { \"net.azure-devices.edge.owner\" = \"me\" }\n";
	struct ew_config cfg;
	char err[512], *json;

	ASSERT_EQ(0, load(text, &cfg, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_ENUM(EW_MODULE_DOCKER, cfg.agent.type);
	EXPECT_ENUM(EW_CONFIG_PULL_NEVER, cfg.agent.image_pull_policy);
	EXPECT_STREQ("agent:1", s(cfg.agent.image));
	EXPECT_STREQ("sha256:00", s(cfg.agent.digest));
	EXPECT_STREQ("h", s(cfg.agent.image_hash));
	ASSERT_NE(NULL, cfg.agent.create_options);
	json = cJSON_PrintUnformatted(cfg.agent.create_options);
	ASSERT_NE(NULL, json);
	EXPECT_STREQ("{\"Env\":[\"A=1\",\"B=2\"],\"HostConfig\":{\"Memory\":536870912,"
		     "\"CpuShares\":0.5,\"Privileged\":false,\"Binds\":[]},"
		     "\"When\":\"1979-05-27T07:32:00Z\","
		     "\"Labels\":{\"net.azure-devices.edge.owner\":\"me\"}}", json);
	free(json);
	ew_config_free(&cfg);
}

/* --- load_file ------------------------------------------------------------ */

TEST(load_file)
{
	char dir[] = "/tmp/ew-config-XXXXXX", path[64], big[80], err[512], want[160];
	struct ew_config cfg;
	FILE *f;
	size_t i;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/config.toml", dir);

	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	EXPECT_EQ(-ENOENT, ew_config_load_file(path, &cfg, err, sizeof(err)));
	EXPECT_STREQ(want, err);
	EXPECT_EQ(NULL, cfg.arena);
	EXPECT_EQ(-EISDIR, ew_config_load_file(dir, &cfg, err, sizeof(err)));

	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs("[kernel]\nrequired = true\n[edgeward]\nlog_levl = \"info\"\n", f);
	ASSERT_EQ(0, fclose(f));
	/* The file's path is FILE in the message. */
	snprintf(want, sizeof(want), "%s:4:1: unknown key \"log_levl\" in table [edgeward]", path);
	EXPECT_EQ(-EINVAL, ew_config_load_file(path, &cfg, err, sizeof(err)));
	EXPECT_STREQ(want, err);

	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs("[kernel]\nrequired = true\n", f);
	ASSERT_EQ(0, fclose(f));
	ASSERT_EQ(0, ew_config_load_file(path, &cfg, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_TRUE(cfg.kernel.required);
	ew_config_free(&cfg);
	/* No error buffer is fine too. */
	ASSERT_EQ(0, ew_config_load_file(path, &cfg, NULL, 0));
	ew_config_free(&cfg);

	/* One byte over the limit, made of comment lines. */
	snprintf(big, sizeof(big), "%s/big.toml", dir);
	f = fopen(big, "w");
	ASSERT_NE(NULL, f);
	for (i = 0; i < EW_CONFIG_MAX_SIZE / 64; i++)
		fprintf(f, "#%62s\n", "");
	fputc('\n', f);
	ASSERT_EQ(0, fclose(f));
	EXPECT_EQ(-EFBIG, ew_config_load_file(big, &cfg, err, sizeof(err)));
	EXPECT_EQ(NULL, cfg.arena);

	unlink(big);
	unlink(path);
	rmdir(dir);
}

TEST(syntax_errors_keep_the_parser_message)
{
	struct ew_config cfg;
	char err[512];

	EXPECT_EQ(-EINVAL, load("hostname = \"gw\nx = 1\n", &cfg, err, sizeof(err)));
	/* The TOML library's own words, after FILE:LINE:COLUMN. */
	EXPECT_EQ(0, strncmp(err, FILE_NAME ":1:", strlen(FILE_NAME ":1:"))) TH_LOG("%s", err);
	EXPECT_LT(strlen(FILE_NAME ":1:1: "), strlen(err));
	EXPECT_EQ(NULL, cfg.arena);

	EXPECT_EQ(-EINVAL, load("a = 1\na = 2\n", &cfg, err, sizeof(err)));
	EXPECT_EQ(0, strncmp(err, FILE_NAME ":2:1: ", strlen(FILE_NAME ":2:1: "))) TH_LOG("%s", err);

	/* A tiny error buffer is filled as far as it goes, and terminated. */
	err[8] = 'x';
	EXPECT_EQ(-EINVAL, load("hostnme = 1\n", &cfg, err, 8));
	EXPECT_STREQ("t.toml:", err);
	EXPECT_EQ('x', err[8]);
}

/* --- errors: unknown keys ------------------------------------------------- */

TEST(unknown_keys)
{
	static const struct err_case cases[] = {
		{ "hostnme = \"x\"\n", "1:1: unknown key \"hostnme\"" },
		{ "hostname = \"gw\"\n\n  Hostname = \"x\"\n", "3:3: unknown key \"Hostname\"" },
		{ "[foo]\nx = 1\n", "1:2: unknown key \"foo\"" },
		{ "local_gateway_hostnam = \"p\"\n",
		  "1:1: unknown key \"local_gateway_hostnam\"" },
		{ "\"host name\" = 1\n", "1:1: unknown key \"host name\"" },
		{ "[kernel]\nrequired = true\nmod = \"audit\"\n",
		  "3:1: unknown key \"mod\" in table [kernel]" },
		{ "[edge_ca.auto_renew]\nthreshhold = \"80%\"\n",
		  "2:1: unknown key \"threshhold\" in table [edge_ca.auto_renew]" },
		{ "[provisioning]\nsource = \"none\"\nfoo = 1\n",
		  "3:1: unknown key \"foo\" in table [provisioning] for source \"none\"" },
		{ "[provisioning]\nsource = \"manual\"\nid_scope = \"x\"\n",
		  "3:1: unknown key \"id_scope\" in table [provisioning] for source \"manual\"" },
		/* Inside inline tables. */
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h.net\"\n"
		  "device_id = \"d\"\n[provisioning.authentication]\nmethod = \"sas\"\n"
		  "device_id_pk = { valu = \"YWJj\" }\n",
		  "7:18: unknown key \"valu\" in table [provisioning.authentication.device_id_pk]" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h.net\"\n"
		  "device_id = \"d\"\n[provisioning.authentication]\nmethod = \"sas\"\n"
		  "identity_cert = \"file:///c\"\n",
		  "7:1: unknown key \"identity_cert\" in table [provisioning.authentication] "
		  "for method \"sas\"" },
		{ "[moby_runtime]\nnetwork = { name = \"n\", ipam = { config = "
		  "[ { gatway = \"1.2.3.4\" } ] } }\n",
		  "2:47: unknown key \"gatway\" in table [moby_runtime.network.ipam.config[0]]" },
		{ "[agent]\ntype = \"docker\"\n[agent.config]\nimage = \"x\"\nexec = \"/bin/x\"\n",
		  "5:1: unknown key \"exec\" in table [agent.config] for agent type \"docker\"" },
		{ "[agent]\ntype = \"process\"\nconfig = { exec = \"/a\", image = \"x\" }\n",
		  "3:25: unknown key \"image\" in table [agent.config] for agent type \"process\"" },
		{ "[cert_issuance.est]\ntrusted_certs = []\n[cert_issuance.est.auth]\nuser = \"u\"\n",
		  "4:1: unknown key \"user\" in table [cert_issuance.est.auth]" },
		{ "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://g/\"\n"
		  "id_scope = \"s\"\nattestation = { method = \"tpm\", registration_id = \"r\","
		  " symmetric_key = { value = \"YQ==\" } }\n",
		  "5:56: unknown key \"symmetric_key\" in table [provisioning.attestation] for "
		  "method \"tpm\"" },
		{ "[edge_ca]\nmethod = \"est\"\nauto_renew = { rotate = true }\n",
		  "3:16: unknown key \"rotate\" in table [edge_ca.auto_renew]" },
		{ "[listen]\nworkload = \"unix:///a\"\n", "2:1: unknown key \"workload\" in table [listen]" },
		{ "[tpm.hierarchy_authorization]\nendorsment = \"x\"\n",
		  "2:1: unknown key \"endorsment\" in table [tpm.hierarchy_authorization]" },
	};

	CHECK_ERRORS(cases);
}

/* --- errors: types -------------------------------------------------------- */

TEST(wrong_types)
{
	static const struct err_case cases[] = {
		{ "hostname = 1\n", "1:12: \"hostname\" must be a string, not an integer" },
		{ "hostname = [\"a\"]\n", "1:12: \"hostname\" must be a string, not an array" },
		{ "allow_elevated_docker_permissions = \"yes\"\n",
		  "1:37: \"allow_elevated_docker_permissions\" must be a boolean, not a string" },
		{ "cloud_timeout_sec = 1.5\n",
		  "1:21: \"cloud_timeout_sec\" must be an integer, not a float" },
		{ "provisioning = 5\n", "1:16: \"provisioning\" must be a table, not an integer" },
		{ "[kernel]\nrequired = \"yes\"\n",
		  "2:12: \"required\" must be a boolean, not a string" },
		{ "[kernel]\nlock_after_boot = 1979-05-27\n",
		  "2:19: \"lock_after_boot\" must be a boolean, not a local date" },
		{ "edge_ca = \"quickstart\"\n", "1:11: \"edge_ca\" must be a table, not a string" },
		{ "[edge_ca]\nauto_renew = true\n",
		  "2:14: \"auto_renew\" must be a table, not a boolean" },
		{ "[edge_ca]\nauto_renew = { threshold = 80 }\n",
		  "2:28: \"threshold\" must be a string, not an integer" },
		{ "[agent]\ntype = 1\n", "2:8: \"type\" must be a string, not an integer" },
		{ "[agent]\ntype = \"process\"\n[agent.config]\nargs = \"-v\"\n",
		  "4:8: \"args\" must be an array of strings, not a string" },
		{ "[agent]\ntype = \"process\"\n[agent.config]\nargs = [\"-v\", 1]\n",
		  "4:15: \"args\" must be a string, not an integer" },
		{ "[agent.env]\nA = 1\n", "2:5: \"A\" must be a string, not an integer" },
		{ "[aziot_keys]\npkcs11_base_slot = true\n",
		  "2:20: \"pkcs11_base_slot\" must be a string, not a boolean" },
		{ "[watchdog]\nmax_retries = true\n",
		  "2:15: \"max_retries\" must be \"infinite\" or an integer, not a boolean" },
		{ "[tpm]\nauth_key_index = 1.0\n",
		  "2:18: \"auth_key_index\" must be an integer or a string, not a float" },
		{ "[moby_runtime]\nnetwork = 1\n",
		  "2:11: \"network\" must be a string or a table, not an integer" },
		{ "[moby_runtime]\nnetwork = { name = \"n\", ipam = { config = [1] } }\n",
		  "2:44: \"config[0]\" must be a table, not an integer" },
		{ "[preloaded_certs]\nca = 1\n",
		  "2:6: \"ca\" must be a file URI or a non-empty array of file URIs, not an integer" },
		{ "[preloaded_certs]\nca = []\n",
		  "2:6: \"ca\" must be a file URI or a non-empty array of file URIs, not an array" },
		{ "[cert_issuance.est]\ntrusted_certs = \"file:///a\"\n",
		  "2:17: \"trusted_certs\" must be an array of file URIs, not a string" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "authentication = { method = \"x509\", identity_cert = 7 }\n",
		  "5:53: \"identity_cert\" must be a file URI string or a table, not an integer" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "authentication = { method = \"sas\", device_id_pk = \"YWJj\" }\n",
		  "5:51: \"device_id_pk\" must be a table, not a string" },
		{ "[agent]\nconfig = { image = \"i\", createOptions = \"{}\" }\n",
		  "2:41: \"createOptions\" must be a table, not a string" },
		{ "hostname = \"a\\u0000b\"\n", "1:12: \"hostname\" must not contain a NUL character" },
	};

	CHECK_ERRORS(cases);
}

/* --- errors: values ------------------------------------------------------- */

TEST(bad_values)
{
	static const struct err_case cases[] = {
		{ "[provisioning]\nsource = \"foo\"\n",
		  "2:10: \"source\" must be \"manual\", \"dps\" or \"none\", not \"foo\"" },
		{ "auto_reprovisioning_mode = \"dynamic\"\n",
		  "1:28: \"auto_reprovisioning_mode\" must be \"Dynamic\", \"AlwaysOnStartup\" or "
		  "\"OnErrorOnly\", not \"dynamic\"" },
		{ "[kernel]\nmode = \"permissive\"\n",
		  "2:8: \"mode\" must be \"off\", \"audit\" or \"enforce\", not \"permissive\"" },
		{ "[edgeward]\nlog_level = \"trace\"\n",
		  "2:13: \"log_level\" must be \"error\", \"warn\", \"info\" or \"debug\", not \"trace\"" },
		{ "[listen]\nmin_tls_version = \"tls1.1\"\n",
		  "2:19: \"min_tls_version\" must be \"tls1.0\", \"tls1.2\" or \"tls1.3\", not \"tls1.1\"" },
		{ "[agent]\ntype = \"podman\"\n",
		  "2:8: \"type\" must be \"docker\" or \"process\", not \"podman\"" },
		{ "[agent]\nimagePullPolicy = \"always\"\n",
		  "2:19: \"imagePullPolicy\" must be \"on-create\" or \"never\", not \"always\"" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"cert\"\n",
		  "6:10: \"method\" must be \"sas\" or \"x509\", not \"cert\"" },
		{ "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://g\"\nid_scope = \"s\"\n"
		  "[provisioning.attestation]\nmethod = \"symmetric-key\"\n",
		  "6:10: \"method\" must be \"symmetric_key\", \"x509\" or \"tpm\", not \"symmetric-key\"" },
		{ "[edge_ca]\nmethod = \"self_signed\"\n",
		  "2:10: \"method\" must be \"est\" or \"local_ca\", not \"self_signed\"" },
		/* Values are quoted with escapes, and cut when long. */
		{ "[kernel]\nmode = \"a\\\"b\\n\"\n",
		  "2:8: \"mode\" must be \"off\", \"audit\" or \"enforce\", not \"a\\\"b\\n\"" },
		{ "[kernel]\nmode = \"0123456789012345678901234567890123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789\"\n",
		  "2:8: \"mode\" must be \"off\", \"audit\" or \"enforce\", not "
		  "\"012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789...\"" },
		{ "hostname = \"bad host\"\n",
		  "1:12: \"hostname\" must be a host name (labels of letters, digits and '-' between "
		  "dots) or an IP address, not \"bad host\"" },
		{ "hostname = \"-gw.example\"\n",
		  "1:12: \"hostname\" must be a host name (labels of letters, digits and '-' between "
		  "dots) or an IP address, not \"-gw.example\"" },
		{ "parent_hostname = \"a..b\"\n",
		  "1:19: \"parent_hostname\" must be a host name (labels of letters, digits and '-' "
		  "between dots) or an IP address, not \"a..b\"" },
		{ "hostname = \"\"\n", "1:12: \"hostname\" must not be empty" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d/1\"\n",
		  "4:13: \"device_id\" must be 1 to 128 letters, digits or characters of "
		  "\"-:.+%_#*?!(),=@$'\", not \"d/1\"" },
		{ "[agent]\nname = \"edge agent\"\n",
		  "2:8: \"name\" must be 1 to 128 letters, digits or characters of "
		  "\"-:.+%_#*?!(),=@$'\", not \"edge agent\"" },
		{ "[agent]\ntype = \"process\"\n[agent.config]\nexec = \"bin/agent\"\n",
		  "4:8: \"exec\" must be an absolute path, not \"bin/agent\"" },
		{ "[agent]\ntype = \"process\"\n[agent.config]\nexpectedDigest = \"sha256:abc\"\n",
		  "4:18: \"expectedDigest\" must be \"sha256:\" and 64 hexadecimal digits, not "
		  "\"sha256:abc\"" },
		{ "[agent]\ntype = \"process\"\n[agent.config]\nuser = \"a:b\"\n",
		  "4:8: \"user\" must be a user name or id (at most 64 characters), not \"a:b\"" },
		{ "[agent]\nconfig = { image = \"i\", createOptions = { CpuShares = nan } }\n",
		  "2:55: \"createOptions\" cannot hold inf or nan (JSON has neither)" },
		{ "[agent]\nconfig = { image = \"i\", createOptions = { Memory = 9007199254740993 } }\n",
		  "2:52: \"createOptions\" cannot hold integers beyond 2^53 (JSON numbers are doubles)" },
		{ "[agent.env]\n\"A=B\" = \"x\"\n",
		  "2:1: environment variable name \"A=B\" must not be empty or contain '=' in table "
		  "[agent.env]" },
		{ "[edgeward]\nstate_dir = \"var/lib/edgeward\"\n",
		  "2:13: \"state_dir\" must be an absolute path, not \"var/lib/edgeward\"" },
		{ "[edgeward]\nmodule_cgroup_base = \"../edgeward\"\n",
		  "2:22: \"module_cgroup_base\" must be a relative path of letters, digits, '_', '.' "
		  "and '-' (\"edgeward\"), not \"../edgeward\"" },
		{ "[edgeward]\nmodule_cgroup_base = \"/edgeward\"\n",
		  "2:22: \"module_cgroup_base\" must be a relative path of letters, digits, '_', '.' "
		  "and '-' (\"edgeward\"), not \"/edgeward\"" },
		{ "[edgeward]\nmodule_cgroup_base = \"a//b\"\n",
		  "2:22: \"module_cgroup_base\" must be a relative path of letters, digits, '_', '.' "
		  "and '-' (\"edgeward\"), not \"a//b\"" },
		{ "[moby_runtime]\nnetwork = \"-net\"\n",
		  "2:11: \"network\" must be a Docker network name (a letter or digit, then letters, "
		  "digits, '_', '.' or '-'), not \"-net\"" },
		{ "[moby_runtime]\nnetwork = { name = \"n\", ipam = { config = [{ gateway = \"10.0.0.256\" }] } }\n",
		  "2:56: \"gateway\" must be an IP address, not \"10.0.0.256\"" },
		{ "[moby_runtime]\nnetwork = { name = \"n\", ipam = { config = [{ subnet = \"10.0.0.0/33\" }] } }\n",
		  "2:55: \"subnet\" must be an IP network (\"172.18.0.0/16\"), not \"10.0.0.0/33\"" },
		{ "[moby_runtime]\nnetwork = { ipv6 = true }\n",
		  "2:11: missing key \"name\" in table [moby_runtime.network]" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"x509\"\nidentity_cert = { method = \"est\", "
		  "subject = { XX = \"a\" } }\n",
		  "7:47: unknown DN field \"XX\" in table "
		  "[provisioning.authentication.identity_cert.subject]" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"x509\"\nidentity_cert = { method = \"est\", "
		  "subject = { CN = \"\" } }\n",
		  "7:52: \"CN\" must not be empty" },
	};

	CHECK_ERRORS(cases);
}

/* --- errors: required keys and combinations ------------------------------- */

TEST(missing_and_mixed)
{
	static const struct err_case cases[] = {
		{ "[provisioning]\n", "1:1: missing key \"source\" in table [provisioning]" },
		{ "\n[provisioning]\nsource = \"dps\"\nid_scope = \"x\"\n",
		  "2:1: missing key \"global_endpoint\" in table [provisioning]" },
		{ "[provisioning]\nsource = \"manual\"\ndevice_id = \"d\"\n",
		  "1:1: missing key \"iothub_hostname\" in table [provisioning]" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n",
		  "1:1: missing key \"authentication\" in table [provisioning]" },
		{ "[provisioning]\nsource = \"manual\"\n"
		  "connection_string = \"HostName=h;DeviceId=d;SharedAccessKey=YWJj\"\n"
		  "iothub_hostname = \"h\"\n",
		  "4:1: \"iothub_hostname\" cannot be combined with \"connection_string\" in table "
		  "[provisioning]" },
		{ "[provisioning]\nsource = \"manual\"\ndevice_id = \"d\"\n"
		  "connection_string = \"HostName=h;DeviceId=d;SharedAccessKey=YWJj\"\n",
		  "4:1: \"connection_string\" cannot be combined with \"device_id\" in table "
		  "[provisioning]" },
		{ "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://g\"\nid_scope = \"s\"\n"
		  "attestation = { method = \"tpm\" }\n",
		  "5:15: missing key \"registration_id\" in table [provisioning.attestation]" },
		{ "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://g\"\nid_scope = \"s\"\n"
		  "[provisioning.attestation]\nmethod = \"symmetric_key\"\nregistration_id = \"r\"\n",
		  "5:1: missing key \"symmetric_key\" in table [provisioning.attestation]" },
		{ "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://g\"\nid_scope = \"s\"\n"
		  "payload = { url = \"file:///p\" }\n",
		  "5:13: unknown key \"url\" in table [provisioning.payload]" },
		{ "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://g\"\nid_scope = \"s\"\n"
		  "payload = {}\nattestation = { method = \"tpm\", registration_id = \"r\" }\n",
		  "5:11: missing key \"uri\" in table [provisioning.payload]" },
		/* X.509 identities. */
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"x509\"\nidentity_cert = \"file:///c\"\n",
		  "5:1: missing key \"identity_pk\" in table [provisioning.authentication]" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"x509\"\nidentity_pk = \"file:///k\"\n",
		  "5:1: missing key \"identity_cert\" in table [provisioning.authentication]" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"x509\"\nidentity_pk = \"file:///k\"\n"
		  "identity_cert = { method = \"local_ca\" }\n",
		  "7:1: \"identity_pk\" cannot be combined with an issued \"identity_cert\" (its key is "
		  "generated) in table [provisioning.authentication]" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"x509\"\n"
		  "identity_cert = { common_name = \"d\" }\n",
		  "7:17: missing key \"method\" in table [provisioning.authentication.identity_cert]" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"x509\"\n"
		  "[provisioning.authentication.identity_cert]\nmethod = \"est\"\n"
		  "subject = { CN = \"d\" }\ncommon_name = \"d\"\n",
		  "10:1: \"common_name\" cannot be combined with \"subject\" in table "
		  "[provisioning.authentication.identity_cert]" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"x509\"\n"
		  "[provisioning.authentication.identity_cert]\nmethod = \"local_ca\"\n"
		  "url = \"https://est.example.com/\"\n",
		  "9:1: \"url\" is only for method \"est\" in table "
		  "[provisioning.authentication.identity_cert]" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"x509\"\n"
		  "[provisioning.authentication.identity_cert]\nmethod = \"est\"\n"
		  "bootstrap_identity_cert = \"file:///b\"\n",
		  "7:1: missing key \"bootstrap_identity_pk\" in table "
		  "[provisioning.authentication.identity_cert]" },
		/* Symmetric keys. */
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"sas\"\n"
		  "device_id_pk = { value = \"YWJj\", uri = \"file:///k\" }\n",
		  "7:34: \"uri\" cannot be combined with \"value\" in table "
		  "[provisioning.authentication.device_id_pk]" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"sas\"\ndevice_id_pk = {}\n",
		  "7:16: missing key \"value\" or \"uri\" in table "
		  "[provisioning.authentication.device_id_pk]" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"sas\"\n",
		  "5:1: missing key \"device_id_pk\" in table [provisioning.authentication]" },
		/* EST and the local CA. */
		{ "[cert_issuance.est.auth]\nusername = \"u\"\n",
		  "1:1: missing key \"password\" in table [cert_issuance.est.auth]" },
		{ "[cert_issuance.est.auth]\nidentity_pk = \"file:///k\"\n",
		  "1:1: missing key \"identity_cert\" in table [cert_issuance.est.auth]" },
		{ "[cert_issuance.local_ca]\ncert = \"file:///c\"\n",
		  "1:1: missing key \"pk\" in table [cert_issuance.local_ca]" },
		/* The agent. */
		{ "[agent]\nname = \"edgeAgent\"\n", "1:1: missing key \"config\" in table [agent]" },
		{ "[agent]\n[agent.config]\ncreateOptions = {}\n",
		  "2:1: missing key \"image\" in table [agent.config]" },
	};

	CHECK_ERRORS(cases);
}

TEST(edge_ca_mixed_forms)
{
	static const struct err_case cases[] = {
		{ "[edge_ca]\ncert = \"file:///c.pem\"\npk = \"file:///k.pem\"\nmethod = \"est\"\n",
		  "4:1: \"method\" cannot be combined with \"cert\" in table [edge_ca]" },
		{ "[edge_ca]\nauto_generated_edge_ca_expiry_days = 30\ncert = \"file:///c\"\n",
		  "3:1: \"cert\" cannot be combined with \"auto_generated_edge_ca_expiry_days\" in "
		  "table [edge_ca]" },
		{ "[edge_ca]\nmethod = \"est\"\nauto_generated_edge_ca_expiry_days = 30\n",
		  "3:1: \"auto_generated_edge_ca_expiry_days\" cannot be combined with \"method\" in "
		  "table [edge_ca]" },
		{ "[edge_ca]\ncert = \"file:///c\"\npk = \"file:///k\"\n[edge_ca.auto_renew]\n"
		  "rotate_key = false\n",
		  "4:10: \"auto_renew\" cannot be combined with \"cert\" in table [edge_ca]" },
		{ "[edge_ca]\nauto_renew = {}\npk = \"file:///k\"\n",
		  "3:1: \"pk\" cannot be combined with \"auto_renew\" in table [edge_ca]" },
		{ "[edge_ca]\ncert = \"file:///c\"\n", "1:1: missing key \"pk\" in table [edge_ca]" },
		{ "[edge_ca]\ncommon_name = \"x\"\n",
		  "1:1: missing key \"method\" in table [edge_ca]" },
		{ "[edge_ca]\nmethod = \"local_ca\"\nurl = \"https://e/x\"\n",
		  "3:1: \"url\" is only for method \"est\" in table [edge_ca]" },
		{ "[edge_ca]\nmethod = \"est\"\nusername = \"u\"\n",
		  "1:1: missing key \"password\" in table [edge_ca]" },
		{ "[edge_ca]\nauto_generated_edge_ca_expiry_days = 0\n",
		  "2:38: \"auto_generated_edge_ca_expiry_days\" must be between 1 and 3650" },
		{ "[edge_ca]\nauto_generated_edge_ca_expiry_days = 3651\n",
		  "2:38: \"auto_generated_edge_ca_expiry_days\" must be between 1 and 3650" },
		{ "[edge_ca]\nmethod = \"est\"\nexpiry_days = 0\n",
		  "3:15: \"expiry_days\" must be between 1 and 36500" },
	};

	CHECK_ERRORS(cases);
}

/* --- errors: URIs --------------------------------------------------------- */

TEST(bad_uris)
{
	static const struct err_case cases[] = {
		{ "trust_bundle_cert = \"/etc/ca.pem\"\n",
		  "1:21: \"trust_bundle_cert\" must be a file URI with an absolute path "
		  "(\"file:///path\"), not \"/etc/ca.pem\"" },
		{ "trust_bundle_cert = \"file://etc/ca.pem\"\n",
		  "1:21: \"trust_bundle_cert\" must be a file URI with an absolute path "
		  "(\"file:///path\"), not \"file://etc/ca.pem\"" },
		{ "trust_bundle_cert = \"https://example.com/ca.pem\"\n",
		  "1:21: \"trust_bundle_cert\" must be a file URI with an absolute path "
		  "(\"file:///path\"), not \"https://example.com/ca.pem\"" },
		{ "manifest_trust_bundle_cert = \"pkcs11:token=x\"\n",
		  "1:30: \"manifest_trust_bundle_cert\" must be a file URI with an absolute path "
		  "(\"file:///path\"), not \"pkcs11:token=x\"" },
		{ "trust_bundle_cert = \"file:///a%2\"\n",
		  "1:21: \"trust_bundle_cert\" has a malformed percent-escape (\"%XX\"): "
		  "\"file:///a%2\"" },
		{ "trust_bundle_cert = \"file:///a%zz\"\n",
		  "1:21: \"trust_bundle_cert\" has a malformed percent-escape (\"%XX\"): "
		  "\"file:///a%zz\"" },
		{ "trust_bundle_cert = \"file:///a%00b\"\n",
		  "1:21: \"trust_bundle_cert\" must not contain %00" },
		{ "trust_bundle_cert = \"file:///a?b\"\n",
		  "1:21: \"trust_bundle_cert\" must not have a query or fragment (write '?' as %3F "
		  "and '#' as %23), not \"file:///a?b\"" },
		{ "trust_bundle_cert = \"file:///a\\tb\"\n",
		  "1:21: \"trust_bundle_cert\" must not contain control characters" },
		{ "[edge_ca]\ncert = \"file:///c\"\npk = \"/k.pem\"\n",
		  "3:6: \"pk\" must be a file URI (\"file:///path\") or a PKCS#11 URI "
		  "(\"pkcs11:...\"), not \"/k.pem\"" },
		{ "[preloaded_keys]\nk1 = \"file:relative\"\n",
		  "2:6: \"k1\" must be a file URI (\"file:///path\") or a PKCS#11 URI "
		  "(\"pkcs11:...\"), not \"file:relative\"" },
		{ "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"http://g.example.com\"\n",
		  "3:19: \"global_endpoint\" must be an https URL (\"https://host/path\"), not "
		  "\"http://g.example.com\"" },
		{ "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://\"\n",
		  "3:19: \"global_endpoint\" must be an https URL (\"https://host/path\"), not "
		  "\"https://\"" },
		{ "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://g:99999/\"\n",
		  "3:19: \"global_endpoint\" must be an https URL (\"https://host/path\"), not "
		  "\"https://g:99999/\"" },
		{ "[cert_issuance.est.urls]\ndefault = \"https://e x/\"\n",
		  "2:11: \"default\" must be an https URL (\"https://host/path\"), not \"https://e x/\"" },
		{ "[listen]\nworkload_uri = \"unix://relative.sock\"\n",
		  "2:16: \"workload_uri\" must be \"unix:///absolute/path\" or \"fd://name\" (a systemd "
		  "socket), not \"unix://relative.sock\"" },
		{ "[listen]\nmanagement_uri = \"fd://\"\n",
		  "2:18: \"management_uri\" must be \"unix:///absolute/path\" or \"fd://name\" (a "
		  "systemd socket), not \"fd://\"" },
		{ "[connect]\nworkload_uri = \"fd://edgeward.workload.socket\"\n",
		  "2:16: \"workload_uri\" must be \"unix:///absolute/path\", not "
		  "\"fd://edgeward.workload.socket\"" },
		{ "[connect]\nmanagement_uri = \"unix:///run/edgeward/"
		  "0123456789012345678901234567890123456789012345678901234567890123456789"
		  "012345678901234567890123456789.sock\"\n",
		  "2:18: \"management_uri\" names a path longer than 107 bytes" },
		{ "[moby_runtime]\nuri = \"tcp://docker\"\n",
		  "2:7: \"uri\" must be \"unix:///absolute/path\" or \"tcp://host:port\", not "
		  "\"tcp://docker\"" },
		{ "[moby_runtime]\nuri = \"npipe://./pipe/docker_engine\"\n",
		  "2:7: \"uri\" must be \"unix:///absolute/path\" or \"tcp://host:port\", not "
		  "\"npipe://./pipe/docker_engine\"" },
		{ "[moby_runtime.content_trust.ca_certs]\n\"contoso.azurecr.io\" = \"ca.pem\"\n",
		  "2:24: \"contoso.azurecr.io\" must be a file URI with an absolute path "
		  "(\"file:///path\"), not \"ca.pem\"" },
		{ "[cert_issuance.est]\ntrusted_certs = [\"file:///a\", \"b\"]\n",
		  "2:31: \"trusted_certs\" must be a file URI with an absolute path (\"file:///path\"), "
		  "not \"b\"" },
	};

	CHECK_ERRORS(cases);
}

/* --- errors: connection strings ------------------------------------------- */

TEST(bad_connection_strings)
{
	static const struct {
		const char *cs;
		const char *msg;
	} cases[] = {
		{ "DeviceId=d;SharedAccessKey=YWJj", "\"connection_string\" has no HostName" },
		{ "HostName=h.net;SharedAccessKey=YWJj", "\"connection_string\" has no DeviceId" },
		{ "HostName=h.net;DeviceId=d", "\"connection_string\" has no SharedAccessKey (nor x509=true)" },
		{ "HostName=h.net;DeviceId=d;SharedAccessKey=YW*j",
		  "\"connection_string\": SharedAccessKey is not valid base64" },
		{ "HostName=h.net;DeviceId=d;SharedAccessKey=Y",
		  "\"connection_string\": SharedAccessKey is not valid base64" },
		{ "HostName=h.net;DeviceId=d;SharedAccessKey=YW Jj",
		  "\"connection_string\": SharedAccessKey is not valid base64" },
		{ "HostName=h.net;DeviceId=d;SharedAccessKey=YWJ=",
		  "\"connection_string\": SharedAccessKey is not valid base64" },
		{ "HostName=h.net;DeviceId=d;SharedAccessKey="
		  "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ=",
		  "\"connection_string\": SharedAccessKey must decode to 1 to 64 bytes, not 65" },
		{ "HostName=h.net;DeviceId=d;SharedAccessKey=YWJj;ModuleId=m",
		  "\"connection_string\": unknown part \"ModuleId\"" },
		{ "hostname=h.net;DeviceId=d;SharedAccessKey=YWJj",
		  "\"connection_string\": unknown part \"hostname\"" },
		{ "HostName=h.net;;DeviceId=d;SharedAccessKey=YWJj",
		  "\"connection_string\": part 2 is empty" },
		{ "HostName=h.net;DeviceId=d;SharedAccessKey=YWJj;",
		  "\"connection_string\": part 4 is empty" },
		{ "HostName=h.net;DeviceId;SharedAccessKey=YWJj",
		  "\"connection_string\": part 2 is not Name=value" },
		{ "HostName=a.net;HostName=b.net;DeviceId=d;SharedAccessKey=YWJj",
		  "\"connection_string\" has HostName twice" },
		{ "HostName=;DeviceId=d;SharedAccessKey=YWJj", "\"connection_string\": HostName is empty" },
		{ "HostName=h.net;DeviceId=d;x509=false",
		  "\"connection_string\": x509 must be \"true\", not \"false\"" },
		{ "HostName=h.net;DeviceId=d;SharedAccessKey=YWJj;x509=true",
		  "\"connection_string\": SharedAccessKey cannot be combined with x509" },
		{ "HostName=h_1.net;DeviceId=d;SharedAccessKey=YWJj",
		  "\"HostName\" must be a host name (labels of letters, digits and '-' between dots) "
		  "or an IP address, not \"h_1.net\"" },
		{ "HostName=h.net;DeviceId=a b;SharedAccessKey=YWJj",
		  "\"DeviceId\" must be 1 to 128 letters, digits or characters of "
		  "\"-:.+%_#*?!(),=@$'\", not \"a b\"" },
		{ "", "\"connection_string\" must not be empty" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[512], err[512], want[512];
		struct ew_config cfg;

		snprintf(text, sizeof(text),
			 "[provisioning]\nsource = \"manual\"\nconnection_string = \"%s\"\n",
			 cases[i].cs);
		/* Every message is at the value: line 3, column 21. */
		snprintf(want, sizeof(want), FILE_NAME ":3:21: %s", cases[i].msg);
		EXPECT_EQ(-EINVAL, load(text, &cfg, err, sizeof(err))) TH_LOG("%s", cases[i].cs);
		EXPECT_STREQ(want, err);
		/* The key is never echoed. */
		EXPECT_EQ(NULL, strstr(err, "YWJj"));
		EXPECT_EQ(NULL, cfg.arena);
	}
}

TEST(bad_inline_keys)
{
	static const struct err_case cases[] = {
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"sas\"\n"
		  "device_id_pk = { value = \"c2VjcmV0*\" }\n",
		  "7:26: \"value\" is not valid base64" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"sas\"\n"
		  "device_id_pk = { value = \"\" }\n",
		  "7:26: \"value\" must decode to 1 to 64 bytes, not 0" },
		{ "[provisioning]\nsource = \"dps\"\nglobal_endpoint = \"https://g\"\nid_scope = \"s\"\n"
		  "[provisioning.attestation]\nmethod = \"symmetric_key\"\nregistration_id = \"r\"\n"
		  "symmetric_key = { uri = \"c2VjcmV0\" }\n",
		  "8:25: \"uri\" must be a file URI (\"file:///path\") or a PKCS#11 URI (\"pkcs11:...\"), "
		  "not \"c2VjcmV0\"" },
	};

	CHECK_ERRORS(cases);
}

/* --- errors: numbers, durations, percentages ------------------------------ */

TEST(bad_numbers_and_durations)
{
	static const struct err_case cases[] = {
		{ "cloud_timeout_sec = 0\n", "1:21: \"cloud_timeout_sec\" must be between 1 and 4294967295" },
		{ "cloud_retries = -1\n", "1:17: \"cloud_retries\" must be between 0 and 4294967295" },
		{ "cloud_retries = 4294967296\n",
		  "1:17: \"cloud_retries\" must be between 0 and 4294967295" },
		{ "[watchdog]\nmax_retries = 0\n",
		  "2:15: \"max_retries\" must be between 1 and 4294967295" },
		{ "[watchdog]\nmax_retries = \"forever\"\n",
		  "2:15: \"max_retries\" must be \"infinite\" or an integer of at least 1, not \"forever\"" },
		{ "[tpm]\nauth_key_index = 0x800000\n",
		  "2:18: \"auth_key_index\" must be between 0 and 8388607" },
		{ "[tpm]\nauth_key_index = -1\n",
		  "2:18: \"auth_key_index\" must be between 0 and 8388607" },
		{ "[tpm]\nauth_key_index = \"0x80_00_00\"\n",
		  "2:18: \"auth_key_index\" must be a number from 0 to 0x7fffff (\"0x00_01_00\"), not "
		  "\"0x80_00_00\"" },
		{ "[tpm]\nauth_key_index = \"0x_01\"\n",
		  "2:18: \"auth_key_index\" must be a number from 0 to 0x7fffff (\"0x00_01_00\"), not "
		  "\"0x_01\"" },
		{ "[tpm]\nauth_key_index = \"\"\n",
		  "2:18: \"auth_key_index\" must be a number from 0 to 0x7fffff (\"0x00_01_00\"), not "
		  "\"\"" },
		{ "[edge_ca.auto_renew]\nthreshold = \"0%\"\n",
		  "2:13: \"threshold\" must be a percentage between 1% and 99%, not \"0%\"" },
		{ "[edge_ca.auto_renew]\nthreshold = \"100%\"\n",
		  "2:13: \"threshold\" must be a percentage between 1% and 99%, not \"100%\"" },
		{ "[edge_ca.auto_renew]\nretry = \"5x\"\n",
		  "2:9: \"retry\" must be a percentage (\"80%\") or a duration (\"10d\", \"12h\", "
		  "\"30m\"), not \"5x\"" },
		{ "[edge_ca.auto_renew]\nretry = \"%\"\n",
		  "2:9: \"retry\" must be a percentage (\"80%\") or a duration (\"10d\", \"12h\", "
		  "\"30m\"), not \"%\"" },
		{ "[edge_ca.auto_renew]\nretry = \"-5m\"\n",
		  "2:9: \"retry\" must be a percentage (\"80%\") or a duration (\"10d\", \"12h\", "
		  "\"30m\"), not \"-5m\"" },
		{ "[edge_ca.auto_renew]\nretry = \"1.5h\"\n",
		  "2:9: \"retry\" must be a percentage (\"80%\") or a duration (\"10d\", \"12h\", "
		  "\"30m\"), not \"1.5h\"" },
		{ "[edge_ca.auto_renew]\nthreshold = \"0d\"\n",
		  "2:13: \"threshold\" must be between 1s and 36500d, not \"0d\"" },
		{ "[edge_ca.auto_renew]\nthreshold = \"99999999999999999999999d\"\n",
		  "2:13: \"threshold\" must be between 1s and 36500d, not \"99999999999999999999999d\"" },
		{ "[cert_issuance.est.identity_auto_renew]\nthreshold = \"80 %\"\n",
		  "2:13: \"threshold\" must be a percentage (\"80%\") or a duration (\"10d\", \"12h\", "
		  "\"30m\"), not \"80 %\"" },
		{ "[image_garbage_collection]\ncleanup_recurrence = \"12h\"\n",
		  "2:22: \"cleanup_recurrence\" must be at least 1d" },
		{ "[image_garbage_collection]\ncleanup_recurrence = \"1w\"\n",
		  "2:22: \"cleanup_recurrence\" must be a duration (\"7d\", \"12h\", \"30m\", \"45s\"), "
		  "not \"1w\"" },
		{ "[image_garbage_collection]\nimage_age_cleanup_threshold = \"0s\"\n",
		  "2:31: \"image_age_cleanup_threshold\" must be between 1s and 36500d, not \"0s\"" },
		{ "[image_garbage_collection]\ncleanup_time = \"24:00\"\n",
		  "2:16: \"cleanup_time\" must be a time of day \"HH:MM\" (00:00 to 23:59), not \"24:00\"" },
		{ "[image_garbage_collection]\ncleanup_time = \"3:30\"\n",
		  "2:16: \"cleanup_time\" must be a time of day \"HH:MM\" (00:00 to 23:59), not \"3:30\"" },
		{ "[provisioning]\nsource = \"manual\"\niothub_hostname = \"h\"\ndevice_id = \"d\"\n"
		  "[provisioning.authentication]\nmethod = \"x509\"\n"
		  "identity_cert = { method = \"est\", expiry_days = -1 }\n",
		  "7:49: \"expiry_days\" must be between 1 and 36500" },
	};

	CHECK_ERRORS(cases);
}

TEST_HARNESS_MAIN
