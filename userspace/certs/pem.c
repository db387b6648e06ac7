// SPDX-License-Identifier: GPL-2.0-only
/*
 * Certificate chains as PEM text and files: strict parsing with messages
 * that say what is wrong, atomic writes, SHA-256 fingerprints and the
 * RFC 3339 times the workload API answers with.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "certs/internal.h"
#include "util/atomic.h"

static bool only_space(const char *p, size_t n)
{
	for (; n; p++, n--)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return false;
	return true;
}

/* The first "-----BEGIN " that starts a line, or NULL. */
static const char *find_begin(const char *p, size_t n)
{
	static const char tag[] = "-----BEGIN ";
	const char *start = p, *q;

	while ((q = memmem(p, n, tag, sizeof(tag) - 1))) {
		if (q == start || q[-1] == '\n')
			return q;
		n -= (size_t)(q + 1 - p);
		p = q + 1;
	}
	return NULL;
}

/* A PEM label from the input, safe to print. */
static void label_copy(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < size; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[i] = '\0';
}

int ew_pem_parse_chain(const char *pem, size_t len, STACK_OF(X509) **out,
		       char *err, size_t errlen)
{
	STACK_OF(X509) *chain = NULL;
	char *name = NULL, *header = NULL, label[48];
	unsigned char *data = NULL;
	const unsigned char *p;
	const char *rest;
	long dlen, rest_len;
	BIO *bio = NULL;
	X509 *x;
	int n, rc = -EINVAL;

	*out = NULL;
	if (!pem || only_space(pem, len))
		return ew_errbuf(err, errlen, -EINVAL, "empty: no certificate");
	if (len > EW_PEM_FILE_MAX)
		return ew_errbuf(err, errlen, -EFBIG,
				    "too large: %zu bytes (at most %u)", len,
				    EW_PEM_FILE_MAX);
	if (!find_begin(pem, len))
		return ew_errbuf(err, errlen, -EINVAL,
				    "not PEM: no \"-----BEGIN\" line");
	bio = BIO_new_mem_buf(pem, (int)len);
	chain = sk_X509_new_null();
	if (!bio || !chain) {
		rc = ew_errbuf(err, errlen, -ENOMEM, "out of memory");
		goto out;
	}
	for (n = 1;; n++) {
		rest_len = BIO_get_mem_data(bio, &rest);
		if (rest_len <= 0 || !find_begin(rest, (size_t)rest_len)) {
			if (rest_len > 0 && !only_space(rest, (size_t)rest_len)) {
				ew_errbuf(err, errlen, -EINVAL,
					     "trailing data after certificate %d",
					     n - 1);
				goto out;
			}
			break;
		}
		if (!PEM_read_bio(bio, &name, &header, &data, &dlen)) {
			ew_certs_err_ssl(err, errlen, -EINVAL,
					 "PEM block %d is malformed", n);
			goto out;
		}
		label_copy(label, sizeof(label), name);
		if (strcmp(name, PEM_STRING_X509)) {
			ew_errbuf(err, errlen, -EINVAL,
				     "not a certificate: PEM block %d is \"%s\"",
				     n, label);
			goto out;
		}
		if (header && *header) {
			ew_errbuf(err, errlen, -EINVAL,
				     "certificate %d has PEM headers", n);
			goto out;
		}
		p = data;
		x = d2i_X509(NULL, &p, dlen);
		if (!x) {
			ew_certs_err_ssl(err, errlen, -EINVAL,
					 "certificate %d is not a valid X.509 certificate",
					 n);
			goto out;
		}
		if (p != data + dlen) {
			X509_free(x);
			ew_errbuf(err, errlen, -EINVAL,
				     "certificate %d has %ld bytes after its DER encoding",
				     n, (long)(data + dlen - p));
			goto out;
		}
		if (!sk_X509_push(chain, x)) {
			X509_free(x);
			rc = ew_errbuf(err, errlen, -ENOMEM, "out of memory");
			goto out;
		}
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(data);
		name = header = NULL;
		data = NULL;
	}
	*out = chain;
	chain = NULL;
	rc = 0;
out:
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_free(data);
	BIO_free(bio);
	ew_chain_free(chain);
	ERR_clear_error();
	return rc;
}

int ew_file_read(const char *path, char **data, size_t *len,
		 char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t have = 0, cap;
	ssize_t r;
	int fd, rc;

	*data = NULL;
	*len = 0;
	/* Non-blocking: a FIFO in place of the file must not hang us. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return ew_errbuf(err, errlen, -errno, "%s: %s", path,
				    strerror(errno));
	if (fstat(fd, &st)) {
		rc = ew_errbuf(err, errlen, -errno, "%s: %s", path,
				  strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = ew_errbuf(err, errlen, -EINVAL, "%s: not a regular file",
				  path);
		goto fail;
	}
	if ((unsigned long long)st.st_size > EW_PEM_FILE_MAX) {
		rc = ew_errbuf(err, errlen, -EFBIG,
				  "%s: too large (%lld bytes, at most %u)", path,
				  (long long)st.st_size, EW_PEM_FILE_MAX);
		goto fail;
	}
	/* One more than the size, to see the file grow while it is read. */
	cap = (size_t)st.st_size + 2;
	buf = malloc(cap);
	if (!buf) {
		rc = ew_errbuf(err, errlen, -ENOMEM, "out of memory");
		goto fail;
	}
	for (;;) {
		if (have + 1 == cap) {
			char *nb;

			if (cap > EW_PEM_FILE_MAX) {
				rc = ew_errbuf(err, errlen, -EFBIG,
						  "%s: too large (at most %u bytes)",
						  path, EW_PEM_FILE_MAX);
				goto fail;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				rc = ew_errbuf(err, errlen, -ENOMEM,
						  "out of memory");
				goto fail;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + have, cap - 1 - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = ew_errbuf(err, errlen, -errno, "%s: %s", path,
					  strerror(errno));
			goto fail;
		}
		if (!r)
			break;
		have += (size_t)r;
	}
	close(fd);
	buf[have] = '\0';
	*data = buf;
	*len = have;
	return 0;
fail:
	close(fd);
	if (buf) {
		/* Key files pass through here too. */
		OPENSSL_cleanse(buf, cap);
		free(buf);
	}
	return rc;
}

int ew_pem_load_chain(const char *path, STACK_OF(X509) **out,
		      char *err, size_t errlen)
{
	char msg[256];
	size_t len;
	char *data;
	int rc;

	*out = NULL;
	rc = ew_file_read(path, &data, &len, err, errlen);
	if (rc)
		return rc;
	rc = ew_pem_parse_chain(data, len, out, msg, sizeof(msg));
	free(data);
	if (rc)
		return ew_errbuf(err, errlen, rc, "%s: %s", path, msg);
	return 0;
}

int ew_certs_fsync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd, rc = 0;

	if (!copy)
		return -ENOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		rc = -errno;
	close(fd);
	return rc;
}

int ew_file_write_atomic(const char *path, const void *data, size_t len,
			 mode_t mode, char *err, size_t errlen)
{
	int rc = ew_atomic_write(path, data, len, mode);

	if (rc)
		return ew_errbuf(err, errlen, rc, "%s: cannot write: %s", path,
				    strerror(-rc));
	return 0;
}

int ew_pem_chain_text(const STACK_OF(X509) *chain, char **pem, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p;
	long n;
	int i;

	*pem = NULL;
	*len = 0;
	if (!bio)
		return -ENOMEM;
	for (i = 0; i < sk_X509_num(chain); i++) {
		if (!PEM_write_bio_X509(bio, sk_X509_value(chain, i))) {
			BIO_free(bio);
			ERR_clear_error();
			return -ENOMEM;
		}
	}
	n = BIO_get_mem_data(bio, &p);
	*pem = malloc((size_t)n + 1);
	if (!*pem) {
		BIO_free(bio);
		return -ENOMEM;
	}
	memcpy(*pem, p, (size_t)n);
	(*pem)[n] = '\0';
	*len = (size_t)n;
	BIO_free(bio);
	return 0;
}

int ew_pem_save_chain(const char *path, const STACK_OF(X509) *chain,
		      char *err, size_t errlen)
{
	size_t len;
	char *pem;
	int rc;

	if (sk_X509_num(chain) <= 0)
		return ew_errbuf(err, errlen, -EINVAL,
				    "%s: refusing to write an empty chain", path);
	rc = ew_pem_chain_text(chain, &pem, &len);
	if (rc)
		return ew_errbuf(err, errlen, rc, "%s: %s", path,
				    strerror(-rc));
	rc = ew_file_write_atomic(path, pem, len, 0644, err, errlen);
	free(pem);
	return rc;
}

int ew_cert_fingerprint(const X509 *cert, uint8_t fp[EW_SHA256_LEN])
{
	unsigned int n = 0;

	if (!cert || !X509_digest(cert, EVP_sha256(), fp, &n) ||
	    n != EW_SHA256_LEN) {
		ERR_clear_error();
		return -EINVAL;
	}
	return 0;
}

int ew_cert_fingerprint_hex(const X509 *cert, char hex[EW_FINGERPRINT_HEX_LEN])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t fp[EW_SHA256_LEN];
	int i, rc;

	rc = ew_cert_fingerprint(cert, fp);
	if (rc) {
		hex[0] = '\0';
		return rc;
	}
	for (i = 0; i < EW_SHA256_LEN; i++) {
		hex[2 * i] = digits[fp[i] >> 4];
		hex[2 * i + 1] = digits[fp[i] & 0xf];
	}
	hex[2 * EW_SHA256_LEN] = '\0';
	return 0;
}

int ew_asn1_time_unix(const ASN1_TIME *t, int64_t *out)
{
	struct tm tm;
	time_t s;

	memset(&tm, 0, sizeof(tm));
	if (!t || !ASN1_TIME_to_tm(t, &tm)) {
		ERR_clear_error();
		return -EINVAL;
	}
	s = timegm(&tm);
	*out = (int64_t)s;
	return 0;
}

int ew_time_rfc3339(int64_t t, char out[EW_RFC3339_LEN])
{
	time_t s = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&s, &tm) || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900) {
		out[0] = '\0';
		return -ERANGE;
	}
	/* The ranges are checked or given: the modulos only bound the width. */
	snprintf(out, EW_RFC3339_LEN, "%04u-%02u-%02uT%02u:%02u:%02uZ",
		 (unsigned int)(tm.tm_year + 1900) % 10000u,
		 (unsigned int)(tm.tm_mon + 1) % 100u,
		 (unsigned int)tm.tm_mday % 100u, (unsigned int)tm.tm_hour % 100u,
		 (unsigned int)tm.tm_min % 100u, (unsigned int)tm.tm_sec % 100u);
	return 0;
}

int ew_asn1_time_rfc3339(const ASN1_TIME *t, char out[EW_RFC3339_LEN])
{
	int64_t s;
	int rc;

	rc = ew_asn1_time_unix(t, &s);
	if (rc) {
		out[0] = '\0';
		return rc;
	}
	return ew_time_rfc3339(s, out);
}

int ew_cert_validity(const X509 *cert, int64_t *not_before, int64_t *not_after)
{
	if (ew_asn1_time_unix(X509_get0_notBefore(cert), not_before) ||
	    ew_asn1_time_unix(X509_get0_notAfter(cert), not_after))
		return -EINVAL;
	return 0;
}

STACK_OF(X509) *ew_chain_dup(const STACK_OF(X509) *chain)
{
	/* Up-referencing the certificates does not change the stack. */
	return X509_chain_up_ref((STACK_OF(X509) *)chain);
}

void ew_chain_free(STACK_OF(X509) *chain)
{
	sk_X509_pop_free(chain, X509_free);
}
