// SPDX-License-Identifier: GPL-2.0-only
/*
 * A tiny workload API client, as a module built with an Azure IoT SDK
 * would call it: it reads IOTEDGE_* from its environment, calls one
 * endpoint, and prints the HTTP status on the first line and the body
 * after it. The integration tests run it as a process module.
 *
 *   ew_module_client sign DATA_B64 [NAME]
 *   ew_module_client encrypt PLAINTEXT_B64 IV_B64 [NAME]
 *   ew_module_client decrypt CIPHERTEXT_B64 IV_B64 [NAME]
 *   ew_module_client identity-cert [NAME]
 *   ew_module_client server-cert COMMON_NAME [NAME]
 *   ew_module_client trust-bundle | list
 *   ew_module_client raw METHOD PATH [BODY]     (PATH with its query)
 *   ew_module_client mgmt SOCKET METHOD PATH    (the management API)
 *   ew_module_client sas TTL_SECONDS            (an IoT Hub SAS token)
 *
 * NAME defaults to IOTEDGE_MODULEID: giving another one is claiming to be
 * another module. Several calls in one run are separated by "--", so that a
 * module's one registered executable can make them all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include <curl/curl.h>
#include <openssl/evp.h>

struct buf {
	char *data;
	size_t len;
};

static size_t collect(char *p, size_t size, size_t n, void *cls)
{
	struct buf *b = cls;
	char *d = realloc(b->data, b->len + size * n + 1);

	if (!d)
		return 0;
	memcpy(d + b->len, p, size * n);
	b->len += size * n;
	d[b->len] = '\0';
	b->data = d;
	return size * n;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);

	if (!v || !*v) {
		fprintf(stderr, "ew_module_client: %s is not set\n", name);
		exit(2);
	}
	return v;
}

static int call_to(const char *uri, const char *method, const char *path,
		   const char *body, FILE *out)
{
	struct curl_slist *hdr = NULL;
	struct buf b = { 0 };
	char url[2048];
	long status = 0;
	CURLcode rc;
	CURL *c;

	if (strncmp(uri, "unix://", 7)) {
		fprintf(stderr, "ew_module_client: IOTEDGE_WORKLOADURI is not unix://\n");
		return 2;
	}
	snprintf(url, sizeof(url), "http://workload%s%sapi-version=%s", path,
		 strchr(path, '?') ? "&" : "?", env("IOTEDGE_APIVERSION"));
	c = curl_easy_init();
	if (!c)
		return 2;
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, uri + 7);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	if (body) {
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	}
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	else
		fprintf(stderr, "ew_module_client: %s\n", curl_easy_strerror(rc));
	fprintf(out, "%ld\n%s\n", status, b.data ? b.data : "");
	free(b.data);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? 0 : 1;
}

static int call_at(const char *uri, const char *method, const char *path,
		   const char *body)
{
	return call_to(uri, method, path, body, stdout);
}

static int call(const char *method, const char *path, const char *body)
{
	return call_at(env("IOTEDGE_WORKLOADURI"), method, path, body);
}

static void usage(void)
{
	fprintf(stderr, "usage: ew_module_client sign|encrypt|decrypt|identity-cert|"
		"server-cert|trust-bundle|list|raw ...\n");
	exit(2);
}


/* RFC 3986 unreserved characters stay, everything else is %XX. */
static void urlenc(const char *in, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *in && o + 4 < cap; in++) {
		unsigned char c = (unsigned char)*in;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-_.~", c)) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

/*
 * The token a module built with an Azure IoT SDK makes: the workload API
 * signs "{urlenc(resource)}\n{expiry}" with the module's key, the SDK
 * assembles the rest.
 */
static int sas(const char *ttl)
{
	char resource[1024], enc[3200], tosign[3300], b64[4500], path[1024], body[5000];
	char sig[3200], *digest, *end;
	const char *name = env("IOTEDGE_MODULEID");
	struct buf b = { 0 };
	long long expiry = (long long)time(NULL) + strtoll(ttl, NULL, 10);
	FILE *mem;
	int rc;

	snprintf(resource, sizeof(resource), "%s/devices/%s/modules/%s",
		 env("IOTEDGE_IOTHUBHOSTNAME"), env("IOTEDGE_DEVICEID"), name);
	urlenc(resource, enc, sizeof(enc));
	snprintf(tosign, sizeof(tosign), "%s\n%lld", enc, expiry);
	EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)tosign, (int)strlen(tosign));
	snprintf(path, sizeof(path), "/modules/%s/genid/%s/sign", name,
		 env("IOTEDGE_MODULEGENERATIONID"));
	snprintf(body, sizeof(body), "{\"keyId\":\"primary\",\"algo\":\"HMACSHA256\",\"data\":\"%s\"}", b64);
	/* Capture the call's output to pick the digest out of it. */
	mem = open_memstream(&b.data, &b.len);
	if (!mem)
		return 1;
	rc = call_to(env("IOTEDGE_WORKLOADURI"), "POST", path, body, mem);
	fclose(mem);
	digest = b.data ? strstr(b.data, "\"digest\":\"") : NULL;
	if (rc || !digest) {
		fprintf(stderr, "ew_module_client: sign failed: %s\n", b.data ? b.data : "");
		free(b.data);
		return 1;
	}
	digest += 10;
	end = strchr(digest, '"');
	if (end)
		*end = '\0';
	urlenc(digest, sig, sizeof(sig));
	printf("SharedAccessSignature sr=%s&sig=%s&se=%lld\n", enc, sig, expiry);
	free(b.data);
	return 0;
}

/* One call: argv[0] is the command. */
static int run(int argc, char **argv)
{
	char path[1024], body[8192], uri[1024];
	const char *cmd = argv[0], *name, *gen;

	if (!strcmp(cmd, "raw") && argc >= 3)
		return call(argv[1], argv[2], argc > 3 ? argv[3] : NULL);
	if (!strcmp(cmd, "mgmt") && argc >= 4) {
		snprintf(uri, sizeof(uri), "unix://%s", argv[1]);
		return call_at(uri, argv[2], argv[3], argc > 4 ? argv[4] : NULL);
	}
	if (!strcmp(cmd, "sas") && argc >= 2)
		return sas(argv[1]);
	if (!strcmp(cmd, "trust-bundle") || !strcmp(cmd, "list"))
		return call("GET", !strcmp(cmd, "list") ? "/modules" : "/trust-bundle", NULL);
	gen = env("IOTEDGE_MODULEGENERATIONID");
	if (!strcmp(cmd, "sign") && argc >= 2) {
		name = argc > 2 ? argv[2] : env("IOTEDGE_MODULEID");
		snprintf(path, sizeof(path), "/modules/%s/genid/%s/sign", name, gen);
		snprintf(body, sizeof(body),
			 "{\"keyId\":\"primary\",\"algo\":\"HMACSHA256\",\"data\":\"%s\"}", argv[1]);
	} else if ((!strcmp(cmd, "encrypt") || !strcmp(cmd, "decrypt")) && argc >= 3) {
		name = argc > 3 ? argv[3] : env("IOTEDGE_MODULEID");
		snprintf(path, sizeof(path), "/modules/%s/genid/%s/%s", name, gen, cmd);
		snprintf(body, sizeof(body), "{\"%s\":\"%s\",\"initializationVector\":\"%s\"}",
			 !strcmp(cmd, "encrypt") ? "plaintext" : "ciphertext", argv[1], argv[2]);
	} else if (!strcmp(cmd, "identity-cert")) {
		name = argc > 1 ? argv[1] : env("IOTEDGE_MODULEID");
		snprintf(path, sizeof(path), "/modules/%s/certificate/identity", name);
		snprintf(body, sizeof(body), "{}");
	} else if (!strcmp(cmd, "server-cert") && argc >= 2) {
		name = argc > 2 ? argv[2] : env("IOTEDGE_MODULEID");
		snprintf(path, sizeof(path), "/modules/%s/genid/%s/certificate/server", name, gen);
		snprintf(body, sizeof(body), "{\"commonName\":\"%s\"}", argv[1]);
	} else {
		usage();
	}
	return call("POST", path, body);
}

int main(int argc, char **argv)
{
	int i, start = 1, rc = 0;

	if (argc < 2)
		usage();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (i = 1; i <= argc; i++) {
		if (i < argc && strcmp(argv[i], "--"))
			continue;
		if (i > start)
			rc |= run(i - start, argv + start);
		fflush(stdout);
		start = i + 1;
	}
	curl_global_cleanup();
	return rc;
}
