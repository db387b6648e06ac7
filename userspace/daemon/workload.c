// SPDX-License-Identifier: GPL-2.0-only
/*
 * The workload API (../shared/spec/workload-api.md): what a module calls to
 * prove who it is. Every {name} route is authorized by who the caller is
 * (authz.c), never by what it claims.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "daemon/daemon.h"
#include "daemon/logbuf.h"
#include "daemon/modules.h"
#include "daemon/workload.h"
#include "http/http.h"

#define B64_MAX_INPUT (256u << 10)

static struct ew_http_response *forbidden(void)
{
	return ew_http_reply_error(403, "forbidden");
}

/* The hook of every module route: the caller must be module {name}. */
static struct ew_http_response *authorize_module(struct ew_http_req *req,
						 void *ctx)
{
	struct ew_daemon *d = ctx;
	const char *name = ew_http_param(req, "name");
	const struct ew_caller *c = ew_api_caller(req, d);

	if (!c) {
		ew_log(LOG_WARNING, "workload: cannot identify pid %d: refused",
		       (int)ew_http_peer(req)->pid);
		return forbidden();
	}
	if (c->kind == EW_CALLER_MODULE && !strcmp(c->module, name))
		return NULL;
	if (c->kind == EW_CALLER_REFUSED)
		ew_log(LOG_WARNING, "workload: %s for module %s refused: %s",
		       ew_http_path(req), name, c->why);
	else if (c->kind == EW_CALLER_MODULE)
		ew_log(LOG_WARNING, "workload: module %s claimed to be %s: refused",
		       c->module, name);
	else
		ew_log(LOG_WARNING, "workload: pid %d (no module) claimed to be %s: refused",
		       (int)ew_http_peer(req)->pid, name);
	return forbidden();
}

/* The generation id recorded for @name, into @gen. */
static struct ew_http_response *recorded_gen_id(struct ew_daemon *d,
						const char *name,
						char gen[EW_GEN_ID_MAX + 1])
{
	struct ew_identity *id;

	pthread_mutex_lock(&d->lock);
	id = ew_state_identity(&d->state, name);
	if (id)
		strcpy(gen, id->gen_id);
	pthread_mutex_unlock(&d->lock);
	return id ? NULL : ew_http_reply_error(404, "module not found");
}

static struct ew_http_response *reply_b64(const char *field,
					  const uint8_t *data, size_t len)
{
	char *text = ew_http_b64_encode(data, len);
	cJSON *o;

	if (!text)
		return NULL;
	o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, field, text)) {
		cJSON_Delete(o);
		free(text);
		return NULL;
	}
	free(text);
	return ew_http_reply_json(200, o);
}

static struct ew_http_response *sign(struct ew_http_req *req, void *ctx)
{
	struct ew_daemon *d = ctx;
	const cJSON *body = ew_http_body_json(req), *v;
	const char *name = ew_http_param(req, "name");
	struct ew_http_response *resp;
	char gen[EW_GEN_ID_MAX + 1], deriv[EW_MODULE_NAME_MAX + EW_GEN_ID_MAX + 16];
	const char *which = "primary";
	uint8_t mac[EW_HMAC_LEN];
	unsigned char *data;
	size_t len;
	int rc;

	v = cJSON_GetObjectItemCaseSensitive(body, "keyId");
	if (v && !cJSON_IsNull(v)) {
		if (!cJSON_IsString(v) || (strcmp(v->valuestring, "primary") &&
					   strcmp(v->valuestring, "secondary")))
			return ew_http_reply_error(400, "invalid parameter: keyId");
		which = v->valuestring;
	}
	v = cJSON_GetObjectItemCaseSensitive(body, "algo");
	if (v && !cJSON_IsNull(v) &&
	    (!cJSON_IsString(v) || strcmp(v->valuestring, "HMACSHA256")))
		return ew_http_reply_error(400, "invalid parameter: algo");
	if (ew_http_b64_member(body, "data", true, &data, &len, &resp))
		return resp;
	resp = recorded_gen_id(d, name, gen);
	if (resp) {
		free(data);
		return resp;
	}
	snprintf(deriv, sizeof(deriv), "%s:%s:%s", name, gen, which);
	rc = ew_key_hmac_derived(d->keys, EW_KEY_IDENTITY_MASTER, deriv,
				 strlen(deriv), data, len, mac);
	free(data);
	if (rc) {
		ew_log(LOG_ERR, "workload: sign for %s: %s", name,
		       ew_keystore_error(d->keys));
		return ew_http_reply_error(500, "could not sign");
	}
	resp = reply_b64("digest", mac, sizeof(mac));
	OPENSSL_cleanse(mac, sizeof(mac));
	return resp;
}

/* AAD: {name} exactly as in the path (after decoding), then {genid}. */
static char *aad_of(struct ew_http_req *req, size_t *len)
{
	const char *name = ew_http_param(req, "name");
	const char *gen = ew_http_param(req, "genid");
	char *aad;

	*len = strlen(name) + strlen(gen);
	aad = malloc(*len + 1);
	if (aad)
		snprintf(aad, *len + 1, "%s%s", name, gen);
	return aad;
}

static struct ew_http_response *crypt_op(struct ew_http_req *req,
				      struct ew_daemon *d, bool enc)
{
	const cJSON *body = ew_http_body_json(req);
	struct ew_http_response *resp;
	unsigned char *in = NULL, *iv = NULL;
	size_t inlen, ivlen, aadlen, outlen;
	uint8_t *out = NULL;
	char *aad = NULL;
	int rc;

	if (ew_http_b64_member(body, enc ? "plaintext" : "ciphertext", true,
			       &in, &inlen, &resp))
		return resp;
	if (ew_http_b64_member(body, "initializationVector", true, &iv, &ivlen,
			       &resp))
		goto out;
	resp = NULL;
	if (!ivlen || ivlen > 64) {
		resp = ew_http_reply_error(400, "invalid parameter: initializationVector");
		goto out;
	}
	aad = aad_of(req, &aadlen);
	if (!aad)
		goto out;
	if (enc)
		rc = ew_key_encrypt(d->keys, EW_KEY_WORKLOAD_ENC, iv, ivlen, aad,
				    aadlen, in, inlen, &out, &outlen);
	else
		rc = ew_key_decrypt(d->keys, EW_KEY_WORKLOAD_ENC, iv, ivlen, aad,
				    aadlen, in, inlen, &out, &outlen);
	if (rc == -EBADMSG || (!enc && rc == -EINVAL)) {
		resp = ew_http_reply_error(400, "decryption failed: %s",
					   rc == -EBADMSG ?
					   "the ciphertext does not authenticate for this module" :
					   "not a ciphertext of this API");
		goto out;
	}
	if (rc) {
		ew_log(LOG_ERR, "workload: %s: %s", enc ? "encrypt" : "decrypt",
		       ew_keystore_error(d->keys));
		resp = ew_http_reply_error(500, "could not %s", enc ? "encrypt" : "decrypt");
		goto out;
	}
	resp = reply_b64(enc ? "ciphertext" : "plaintext", out, outlen);
out:
	if (out) {
		OPENSSL_cleanse(out, outlen);
		free(out);
	}
	if (in && !enc)
		OPENSSL_cleanse(in, inlen);
	free(in);
	free(iv);
	free(aad);
	return resp;
}

static struct ew_http_response *encrypt(struct ew_http_req *req, void *ctx)
{
	return crypt_op(req, ctx, true);
}

static struct ew_http_response *decrypt(struct ew_http_req *req, void *ctx)
{
	return crypt_op(req, ctx, false);
}

static struct ew_http_response *reply_issued(struct ew_issued *is)
{
	cJSON *o = cJSON_CreateObject(), *pk;

	pk = cJSON_AddObjectToObject(o, "privateKey");
	if (!o || !pk || !cJSON_AddStringToObject(pk, "type", "key") ||
	    !cJSON_AddStringToObject(pk, "bytes", is->key_pem) ||
	    !cJSON_AddStringToObject(o, "certificate", is->cert_pem) ||
	    !cJSON_AddStringToObject(o, "expiration", is->expiration)) {
		cJSON_Delete(o);
		ew_issued_release(is);
		return NULL;
	}
	ew_issued_release(is);
	return ew_http_reply_created(o);
}

/* An RFC 3339 time ("2026-12-01T00:00:00Z", offsets allowed) in seconds. */
static int parse_time(const char *s, int64_t *out)
{
	int64_t ns;

	/* The logs' parser takes Unix seconds too: not an expiration's form. */
	if (!strchr(s, 'T') || ew_log_time_parse(s, &ns))
		return -EINVAL;
	*out = ns / 1000000000;
	return 0;
}

static struct ew_http_response *issue(struct ew_http_req *req,
				      struct ew_daemon *d,
				      struct ew_issue_request *ir)
{
	char err[256];
	struct ew_issued is;
	int rc;

	ir->module = ew_http_param(req, "name");
	ir->hub = d->hub;
	ir->device = d->device_id;
	ir->now = time(NULL);
	/* -EAGAIN: the instant of a CA key rotation; it passes at once. */
	for (int tries = 0; tries < 3; tries++) {
		rc = ew_edge_ca_issue(d->ca, ir, &is, err, sizeof(err));
		if (rc != -EAGAIN)
			break;
		usleep(10000);
	}
	if (rc == -EINVAL)
		return ew_http_reply_error(400, "invalid parameter: %s", err);
	if (rc) {
		ew_log(LOG_ERR, "workload: issuing for %s: %s", ir->module, err);
		return ew_http_reply_error(500, "could not issue the certificate");
	}
	return reply_issued(&is);
}

static struct ew_http_response *cert_identity(struct ew_http_req *req, void *ctx)
{
	struct ew_issue_request ir = { .kind = EW_CERT_IDENTITY };

	return issue(req, ctx, &ir);
}

static struct ew_http_response *cert_server(struct ew_http_req *req, void *ctx)
{
	const cJSON *body = ew_http_body_json(req), *cn, *exp;
	struct ew_issue_request ir = { .kind = EW_CERT_SERVER };

	cn = cJSON_GetObjectItemCaseSensitive(body, "commonName");
	if (!cn || cJSON_IsNull(cn))
		return ew_http_reply_error(400, "missing parameter: commonName");
	if (!cJSON_IsString(cn) || !*cn->valuestring)
		return ew_http_reply_error(400, "invalid parameter: commonName");
	ir.common_name = cn->valuestring;
	exp = cJSON_GetObjectItemCaseSensitive(body, "expiration");
	if (exp && !cJSON_IsNull(exp) &&
	    (!cJSON_IsString(exp) || parse_time(exp->valuestring, &ir.not_after)))
		return ew_http_reply_error(400, "invalid parameter: expiration");
	return issue(req, ctx, &ir);
}

static struct ew_http_response *reply_certificate(char *pem)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddStringToObject(o, "certificate", pem ? pem : "")) {
		cJSON_Delete(o);
		free(pem);
		return NULL;
	}
	free(pem);
	return ew_http_reply_json(200, o);
}

static struct ew_http_response *trust_bundle(struct ew_http_req *req, void *ctx)
{
	struct ew_daemon *d = ctx;
	size_t len;
	char *pem;

	(void)req;
	if (ew_edge_ca_trust_bundle(d->ca, time(NULL), &pem, &len))
		return ew_http_reply_error(500, "could not read the trust bundle");
	return reply_certificate(pem);
}

static struct ew_http_response *manifest_trust_bundle(struct ew_http_req *req,
						      void *ctx)
{
	struct ew_daemon *d = ctx;
	const char *path = d->cfg.manifest_trust_bundle_cert;
	char err[256], *pem = NULL;
	size_t len;

	(void)req;
	if (path && ew_file_read(path, &pem, &len, err, sizeof(err))) {
		ew_log(LOG_ERR, "workload: manifest trust bundle: %s", err);
		return ew_http_reply_error(500, "could not read the manifest trust bundle");
	}
	return reply_certificate(pem);
}

static struct ew_http_response *list_modules(struct ew_http_req *req, void *ctx)
{
	(void)req;
	return ew_modules_reply_list(ctx);
}

static const struct ew_http_route workload_routes[] = {
	{ "GET", "/modules", EW_HTTP_BODY_RAW, NULL, list_modules },
	{ "POST", "/modules/{name}/genid/{genid}/sign", EW_HTTP_BODY_JSON,
	  authorize_module, sign },
	{ "POST", "/modules/{name}/genid/{genid}/encrypt", EW_HTTP_BODY_JSON,
	  authorize_module, encrypt },
	{ "POST", "/modules/{name}/genid/{genid}/decrypt", EW_HTTP_BODY_JSON,
	  authorize_module, decrypt },
	{ "POST", "/modules/{name}/certificate/identity", EW_HTTP_BODY_JSON_OPTIONAL,
	  authorize_module, cert_identity },
	{ "POST", "/modules/{name}/genid/{genid}/certificate/server", EW_HTTP_BODY_JSON,
	  authorize_module, cert_server },
	{ "GET", "/trust-bundle", EW_HTTP_BODY_RAW, NULL, trust_bundle },
	{ "GET", "/manifest-trust-bundle", EW_HTTP_BODY_RAW, NULL,
	  manifest_trust_bundle },
	{ 0 }
};

const struct ew_http_route *ew_workload_routes(void)
{
	return workload_routes;
}
