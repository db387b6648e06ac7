// SPDX-License-Identifier: GPL-2.0-only
/*
 * When a certificate is due for renewal and how long to wait after a failed
 * attempt, with the semantics of Azure IoT Edge's cert_renewal: a
 * threshold as a share of the lifetime ("80%": due once 80% of it has
 * passed) or as a duration before notAfter ("2day"), a retry as a share of
 * the lifetime ("4%") or a duration. Pure arithmetic on times passed in.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "certs/internal.h"

void ew_renew_policy_default(struct ew_renew_policy *p)
{
	p->threshold.unit = EW_RENEW_PERCENT;
	p->threshold.value = 80;
	p->retry.unit = EW_RENEW_PERCENT;
	p->retry.value = 4;
}

int ew_renew_value_parse(const char *s, struct ew_renew_value *v,
			 char *err, size_t errlen)
{
	int64_t n = 0, scale;
	const char *p = s;

	if (!s || !*s)
		return ew_errbuf(err, errlen, -EINVAL,
				    "empty renewal policy (\"80%%\", \"90min\", \"2day\")");
	for (; *p >= '0' && *p <= '9'; p++) {
		if (__builtin_mul_overflow(n, 10, &n) ||
		    __builtin_add_overflow(n, *p - '0', &n))
			return ew_errbuf(err, errlen, -ERANGE,
					    "renewal policy \"%.32s\": number too large",
					    s);
	}
	if (p == s)
		return ew_errbuf(err, errlen, -EINVAL,
				    "renewal policy \"%.32s\": not a number", s);
	if (!n)
		return ew_errbuf(err, errlen, -EINVAL,
				    "renewal policy \"%.32s\": must be positive", s);
	if (!strcmp(p, "%")) {
		if (n >= 100)
			return ew_errbuf(err, errlen, -EINVAL,
					    "renewal policy \"%.32s\": a lifetime percentage must be less than 100",
					    s);
		v->unit = EW_RENEW_PERCENT;
		v->value = n;
		return 0;
	}
	if (!strcmp(p, "min"))
		scale = 60;
	else if (!strcmp(p, "day"))
		scale = 86400;
	else
		return ew_errbuf(err, errlen, -EINVAL,
				    "renewal policy \"%.32s\": the unit must be %%, min or day",
				    s);
	if (__builtin_mul_overflow(n, scale, &n))
		return ew_errbuf(err, errlen, -ERANGE,
				    "renewal policy \"%.32s\": number too large", s);
	v->unit = EW_RENEW_SECONDS;
	v->value = n;
	return 0;
}

static bool value_valid(const struct ew_renew_value *v)
{
	if (v->unit == EW_RENEW_PERCENT)
		return v->value >= 1 && v->value <= 99;
	return v->unit == EW_RENEW_SECONDS && v->value >= 1;
}

bool ew_renew_policy_valid(const struct ew_renew_policy *p)
{
	return value_valid(&p->threshold) && value_valid(&p->retry);
}

/* ceil(@len * @pct / 100), or -1 on overflow. */
static int64_t share_ceil(int64_t len, int64_t pct)
{
	int64_t prod;

	if (__builtin_mul_overflow(len, pct, &prod) || prod > INT64_MAX - 99)
		return -1;
	return (prod + 99) / 100;
}

int64_t ew_renew_due_at(const struct ew_renew_policy *p, int64_t nb, int64_t na)
{
	int64_t len, off, due;

	if (na <= nb || __builtin_sub_overflow(na, nb, &len))
		return INT64_MIN;
	if (p->threshold.unit == EW_RENEW_PERCENT) {
		off = share_ceil(len, p->threshold.value);
		if (off < 0 || __builtin_add_overflow(nb, off, &due))
			return INT64_MIN;
	} else if (__builtin_sub_overflow(na, p->threshold.value, &due)) {
		return INT64_MIN;
	}
	/* Whatever the policy, an expired certificate is due. */
	return due < na ? due : na;
}

bool ew_renew_is_due(const struct ew_renew_policy *p, int64_t nb, int64_t na,
		     int64_t now)
{
	return now >= ew_renew_due_at(p, nb, na);
}

int64_t ew_renew_retry_interval(const struct ew_renew_policy *p, int64_t nb,
				int64_t na)
{
	int64_t len, prod, iv;

	if (p->retry.unit == EW_RENEW_SECONDS)
		return p->retry.value >= 1 ? p->retry.value : 1;
	if (na <= nb || __builtin_sub_overflow(na, nb, &len))
		return EW_RENEW_RETRY_NO_CERT;
	if (__builtin_mul_overflow(len, p->retry.value, &prod))
		return INT64_MAX / 2;
	iv = prod / 100;
	return iv >= 1 ? iv : 1;
}
