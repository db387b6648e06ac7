/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to libewcerts: error messages and the X.509 building blocks that
 * the edge CA (self-signed) and issuance (leaf) share.
 */
#ifndef EW_CERTS_INTERNAL_H
#define EW_CERTS_INTERNAL_H

#include <stdarg.h>

#include "certs/certs.h"
#include "util/errbuf.h"

/*
 * The same, followed by ": " and the reason of the newest OpenSSL error (if
 * there is one). Clears OpenSSL's error queue either way.
 */
__attribute__((format(printf, 4, 5)))
int ew_certs_err_ssl(char *err, size_t errlen, int rc, const char *fmt, ...);

/* fsync of the directory holding @path (after a rename into it). */
int ew_certs_fsync_dir(const char *path);

/* A random positive serial of exactly 16 bytes. */
int ew_x509_set_random_serial(X509 *x);
/* notBefore/notAfter from Unix seconds. */
int ew_x509_set_validity(X509 *x, int64_t not_before, int64_t not_after);
/* Adds extension @nid from a static config string (never user input). */
int ew_x509_add_ext(X509 *x, X509 *issuer, int nid, const char *value);
/* SKI from the key; AKI from @issuer's SKI (issuer and serial without). */
int ew_x509_add_key_ids(X509 *x, X509 *issuer);
/* Signs with SHA-256 (or the key's own digest, Ed25519). */
int ew_x509_sign(X509 *x, EVP_PKEY *key);
/* Subject with a single CN (UTF8String). */
int ew_x509_set_subject_cn(X509 *x, const char *cn);

/* True when @s is 1..@max printable ASCII characters (spaces if @space). */
bool ew_cert_text_valid(const char *s, size_t max, bool space);

#endif /* EW_CERTS_INTERNAL_H */
