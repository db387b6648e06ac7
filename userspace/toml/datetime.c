// SPDX-License-Identifier: GPL-2.0-only
/*
 * The four date-time kinds of TOML (RFC 3339 with a space allowed between
 * date and time, and the local forms), from a token the value parser has cut
 * out: the exact shape, ranges (days of the month with leap years, a leap
 * second, offsets up to 23:59), and the value's RFC 3339 text.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define TOK_SHOWN 40

static bool digit_at(const char *s, size_t len, size_t i)
{
	return i < len && s[i] >= '0' && s[i] <= '9';
}

/* Exactly n digits at s[i], or -1. */
static int digits(const char *s, size_t len, size_t i, int n)
{
	int v = 0, k;

	for (k = 0; k < n; k++) {
		if (!digit_at(s, len, i + (size_t)k))
			return -1;
		v = v * 10 + (s[i + (size_t)k] - '0');
	}
	return v;
}

bool tp_looks_datetime(const char *s, size_t len)
{
	if (digit_at(s, len, 0) && digit_at(s, len, 1) && len > 2 && s[2] == ':')
		return true;
	return digits(s, len, 0, 4) >= 0 && len > 4 && s[4] == '-';
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

static int fail_shape(struct tp *p, struct ew_toml_pos pos, const char *tok, size_t len,
		      const char *expected)
{
	return tp_fail(p, pos, "invalid date-time \"%.*s%s\": expected %s",
		       (int)(len > TOK_SHOWN ? TOK_SHOWN : len), tok,
		       len > TOK_SHOWN ? "..." : "", expected);
}

static int check_ranges(struct tp *p, struct ew_toml_pos pos, const struct ew_toml_datetime *d)
{
	if (d->has_date) {
		if (d->month < 1 || d->month > 12)
			return tp_fail(p, pos, "month %02d is not 01 to 12", d->month);
		if (d->day < 1 || d->day > days_in(d->year, d->month))
			return tp_fail(p, pos, "day %02d does not exist in %04d-%02d", d->day,
				       d->year, d->month);
	}
	if (d->has_time) {
		if (d->hour > 23)
			return tp_fail(p, pos, "hour %02d is not 00 to 23", d->hour);
		if (d->minute > 59)
			return tp_fail(p, pos, "minute %02d is not 00 to 59", d->minute);
		if (d->second > 60)
			return tp_fail(p, pos, "second %02d is not 00 to 60", d->second);
	}
	return 0;
}

int tp_datetime(struct tp *p, const char *tok, size_t len, struct ew_toml_pos pos,
		struct ew_toml_value *v)
{
	struct ew_toml_datetime d;
	const char *frac = NULL;
	size_t i = 0, nfrac = 0, k;
	char *t = v->u.dt.text, sign = 0;
	int n, oh = 0, om = 0;

	memset(&d, 0, sizeof(d));
	if (len > 4 && tok[4] == '-') {
		d.year = digits(tok, len, 0, 4);
		d.month = len > 7 && tok[7] == '-' ? digits(tok, len, 5, 2) : -1;
		d.day = digits(tok, len, 8, 2);
		if (d.year < 0 || d.month < 0 || d.day < 0 || digit_at(tok, len, 10))
			return fail_shape(p, pos, tok, len, "YYYY-MM-DD");
		d.has_date = true;
		i = 10;
		if (i < len) {
			if (tok[i] != 'T' && tok[i] != 't' && tok[i] != ' ')
				return fail_shape(p, pos, tok, len,
						  "'T' or a space between date and time");
			i++;
			/* "2006-01-30T" is a date with a T and no time. */
			if (i == len)
				return fail_shape(p, pos, tok, len, "a time after the 'T'");
		}
	}
	if (i < len) {
		d.hour = digits(tok, len, i, 2);
		d.minute = len > i + 2 && tok[i + 2] == ':' ? digits(tok, len, i + 3, 2) : -1;
		d.second = len > i + 5 && tok[i + 5] == ':' ? digits(tok, len, i + 6, 2) : -1;
		if (d.hour < 0 || d.minute < 0 || d.second < 0 || digit_at(tok, len, i + 8))
			return fail_shape(p, pos, tok, len, "HH:MM:SS");
		d.has_time = true;
		i += 8;
		if (i < len && tok[i] == '.') {
			frac = tok + ++i;
			while (digit_at(tok, len, i))
				i++;
			nfrac = (size_t)(tok + i - frac);
			if (!nfrac)
				return fail_shape(p, pos, tok, len, "digits after the '.'");
			/* Finer than nanoseconds is truncated, as TOML allows. */
			for (k = 0; k < 9; k++)
				d.nanosecond = d.nanosecond * 10 + (k < nfrac ? frac[k] - '0' : 0);
			nfrac = nfrac > 9 ? 9 : nfrac;
		}
		if (d.has_date && i < len) {
			if (tok[i] == 'Z' || tok[i] == 'z') {
				i++;
			} else if (tok[i] == '+' || tok[i] == '-') {
				sign = tok[i];
				oh = digits(tok, len, i + 1, 2);
				om = len > i + 3 && tok[i + 3] == ':' ?
				     digits(tok, len, i + 4, 2) : -1;
				if (oh < 0 || om < 0)
					return fail_shape(p, pos, tok, len, "an offset +HH:MM");
				i += 6;
				d.offset_minutes = (sign == '-' ? -1 : 1) * (oh * 60 + om);
			} else {
				return fail_shape(p, pos, tok, len, "'Z' or an offset +HH:MM");
			}
			d.has_offset = true;
			/* RFC 3339's time-numoffset: hours 00-23, minutes 00-59. */
			if (oh > 23 || om > 59)
				return tp_fail(p, pos, "offset %c%02d:%02d is not 00:00 to 23:59",
					       sign, oh, om);
		}
	}
	if (i != len || (!d.has_date && !d.has_time))
		return fail_shape(p, pos, tok, len,
				  d.has_date ? "nothing after the time" : "a date or a time");
	if (check_ranges(p, pos, &d))
		return -1;

	v->type = d.has_offset ? EW_TOML_DATETIME :
		  !d.has_time ? EW_TOML_DATE_LOCAL :
		  d.has_date ? EW_TOML_DATETIME_LOCAL : EW_TOML_TIME_LOCAL;
	v->u.dt.dt = d;
	n = 0;
	if (d.has_date)
		n += snprintf(t + n, EW_TOML_DATETIME_TEXT_MAX - (size_t)n, "%04d-%02d-%02d%s",
			      d.year, d.month, d.day, d.has_time ? "T" : "");
	if (d.has_time)
		n += snprintf(t + n, EW_TOML_DATETIME_TEXT_MAX - (size_t)n, "%02d:%02d:%02d%s%.*s",
			      d.hour, d.minute, d.second, nfrac ? "." : "", (int)nfrac,
			      frac ? frac : "");
	if (d.has_offset) {
		if (sign)
			snprintf(t + n, EW_TOML_DATETIME_TEXT_MAX - (size_t)n, "%c%02d:%02d", sign,
				 oh, om);
		else
			snprintf(t + n, EW_TOML_DATETIME_TEXT_MAX - (size_t)n, "Z");
	}
	return 0;
}
