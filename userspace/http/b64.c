// SPDX-License-Identifier: GPL-2.0-only
/*
 * Base64 for the binary members of API bodies: standard alphabet with
 * padding, decoded strictly (one text per byte string, as the Rust base64
 * crate aziot-edged uses does), so a module cannot smuggle whitespace,
 * missing padding or stray bits past us. OpenSSL does the transform; the
 * strictness it lacks (it skips blanks and ignores unused bits) is checked
 * here first.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "http/internal.h"

char *ew_http_b64_encode(const void *data, size_t len)
{
	size_t outlen;
	char *out;

	if (len > (size_t)INT_MAX / 4 * 3)
		return NULL;
	outlen = (len + 2) / 3 * 4;
	out = malloc(outlen + 1);
	if (!out)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	out[outlen] = '\0';
	return out;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int ew_http_b64_decode(const char *text, size_t len, unsigned char **out,
		       size_t *outlen)
{
	size_t pad = 0, i;
	unsigned char *buf;
	int n;

	*out = NULL;
	*outlen = 0;
	if (len % 4 || len > (size_t)INT_MAX)
		return -EINVAL;
	if (len && text[len - 1] == '=')
		pad = text[len - 2] == '=' ? 2 : 1;
	for (i = 0; i < len - pad; i++)
		if (b64_value(text[i]) < 0)
			return -EINVAL;
	/* The bits the padding leaves over must be zero: one text per value. */
	if (pad == 1 && (b64_value(text[len - 2]) & 0x03))
		return -EINVAL;
	if (pad == 2 && (b64_value(text[len - 3]) & 0x0f))
		return -EINVAL;
	buf = malloc(len / 4 * 3 + 1);
	if (!buf)
		return -ENOMEM;
	n = len ? EVP_DecodeBlock(buf, (const unsigned char *)text, (int)len) : 0;
	if (n < 0 || (size_t)n != len / 4 * 3) {
		free(buf);
		return -EINVAL;
	}
	*out = buf;
	*outlen = (size_t)n - pad;
	return 0;
}

int ew_http_b64_member(const cJSON *obj, const char *name, bool required,
		       unsigned char **out, size_t *outlen,
		       struct ew_http_response **resp)
{
	const cJSON *item;
	int ret;

	*out = NULL;
	*outlen = 0;
	*resp = NULL;
	item = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, name) :
				     NULL;
	if (!item || cJSON_IsNull(item)) {
		if (!required)
			return 0;
		*resp = ew_http_reply_error(MHD_HTTP_BAD_REQUEST,
					    "missing parameter: %s", name);
		return -EINVAL;
	}
	if (!cJSON_IsString(item) || !item->valuestring) {
		ret = -EINVAL;
	} else {
		ret = ew_http_b64_decode(item->valuestring,
					 strlen(item->valuestring), out, outlen);
		if (ret == -ENOMEM)
			return ret;
	}
	if (ret)
		*resp = ew_http_reply_error(MHD_HTTP_BAD_REQUEST,
					    "invalid parameter: %s", name);
	return ret;
}
