/* SPDX-License-Identifier: GPL-2.0-only */
/* Hexadecimal digits, for every parser that reads them (header only). */
#ifndef EW_UTIL_HEX_H
#define EW_UTIL_HEX_H

/* The value of hex digit @c (either case), or -1. */
static inline int ew_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif /* EW_UTIL_HEX_H */
