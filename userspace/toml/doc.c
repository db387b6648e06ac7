// SPDX-License-Identifier: GPL-2.0-only
/*
 * The entry points: a document from a buffer or a file, within the limits,
 * checked to be UTF-8 without NUL bytes before it is parsed, and freed in
 * one call.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static void set_error(struct ew_toml_error *err, struct ew_toml_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_error(struct ew_toml_error *err, struct ew_toml_pos pos, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	err->line = pos.line;
	err->column = pos.column;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

static struct ew_toml_limits resolve(const struct ew_toml_limits *limits)
{
	struct ew_toml_limits l = { 0 };

	if (limits)
		l = *limits;
	if (!l.max_size)
		l.max_size = EW_TOML_MAX_SIZE;
	if (!l.max_depth)
		l.max_depth = EW_TOML_MAX_DEPTH;
	if (l.max_depth > EW_TOML_MAX_DEPTH_CAP)
		l.max_depth = EW_TOML_MAX_DEPTH_CAP;
	if (!l.max_memory)
		l.max_memory = EW_TOML_MAX_MEMORY;
	/* So that max_size + 1 and doubling buffers can not overflow. */
	if (l.max_size > SIZE_MAX / 4)
		l.max_size = SIZE_MAX / 4;
	return l;
}

/* Where byte off is, counted as the parser counts. */
static struct ew_toml_pos pos_at(const char *buf, size_t len, size_t off)
{
	struct tp p = { .buf = buf, .len = len, .line = 1, .col = 1 };

	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3) && off >= 3)
		p.off = 3;
	tp_adv_n(&p, off - p.off);
	return tp_pos(&p);
}

/* The text must be UTF-8 without NUL bytes; the first fault is reported. */
static int check_text(const char *buf, size_t len, struct ew_toml_error *err)
{
	const char *nul = memchr(buf, '\0', len);
	size_t bad = len;

	if (ew_utf8_check(buf, len, &bad) && (!nul || bad < (size_t)(nul - buf))) {
		set_error(err, pos_at(buf, len, bad), "invalid UTF-8 (byte 0x%02x)",
			  (unsigned char)buf[bad]);
		return -1;
	}
	if (nul) {
		set_error(err, pos_at(buf, len, (size_t)(nul - buf)),
			  "a NUL byte is not allowed (write \\u0000 in a string)");
		return -1;
	}
	return 0;
}

struct ew_toml_doc *ew_toml_parse(const char *buf, size_t len,
				  const struct ew_toml_limits *limits,
				  struct ew_toml_error *err)
{
	struct ew_toml_limits l = resolve(limits);
	struct ew_toml_pos start = { .line = 1, .column = 1 };
	struct ew_toml_doc *doc;
	struct tp p;

	if (err)
		memset(err, 0, sizeof(*err));
	if (len > l.max_size) {
		set_error(err, (struct ew_toml_pos){ 0 },
			  "the document has %zu bytes, more than the limit of %zu", len,
			  l.max_size);
		return NULL;
	}
	if (!buf && len) {
		set_error(err, (struct ew_toml_pos){ 0 }, "no text to parse");
		return NULL;
	}
	if (len && check_text(buf, len, err))
		return NULL;
	doc = calloc(1, sizeof(*doc));
	if (!doc) {
		set_error(err, (struct ew_toml_pos){ 0 }, "out of memory");
		return NULL;
	}
	ew_toml_hash_key(doc->hkey);
	memset(&p, 0, sizeof(p));
	p.buf = buf ? buf : "";
	p.len = len;
	p.line = 1;
	p.col = 1;
	p.err = err;
	p.max_depth = l.max_depth;
	p.max_mem = l.max_memory;
	p.doc = doc;
	doc->root = tv_new_container(&p, EW_TOML_TABLE, TBL_ROOT, start, 0);
	if (doc->root)
		tp_document(&p);
	if (p.c_locale)
		freelocale(p.c_locale);
	if (p.failed) {
		ew_toml_free(doc);
		return NULL;
	}
	return doc;
}

struct ew_toml_doc *ew_toml_parse_file(const char *path,
				       const struct ew_toml_limits *limits,
				       struct ew_toml_error *err)
{
	struct ew_toml_limits l = resolve(limits);
	struct ew_toml_doc *doc = NULL;
	size_t len = 0, cap;
	struct stat st;
	char *buf;
	ssize_t n;
	int fd;

	if (err)
		memset(err, 0, sizeof(*err));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		set_error(err, (struct ew_toml_pos){ 0 }, "can not open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st)) {
		set_error(err, (struct ew_toml_pos){ 0 }, "can not stat: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > l.max_size) {
		set_error(err, (struct ew_toml_pos){ 0 },
			  "the file has %jd bytes, more than the limit of %zu",
			  (intmax_t)st.st_size, l.max_size);
		close(fd);
		return NULL;
	}
	/* Read one byte past the limit to know a pipe or device went over it. */
	cap = S_ISREG(st.st_mode) && (uintmax_t)st.st_size < l.max_size ?
	      (size_t)st.st_size + 1 : 4096;
	buf = malloc(cap);
	if (!buf) {
		set_error(err, (struct ew_toml_pos){ 0 }, "out of memory");
		close(fd);
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			char *m;

			if (cap > l.max_size) {
				set_error(err, (struct ew_toml_pos){ 0 },
					  "the file has more than the limit of %zu bytes",
					  l.max_size);
				goto out;
			}
			cap = cap * 2 > l.max_size + 1 ? l.max_size + 1 : cap * 2;
			m = realloc(buf, cap);
			if (!m) {
				set_error(err, (struct ew_toml_pos){ 0 }, "out of memory");
				goto out;
			}
			buf = m;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			set_error(err, (struct ew_toml_pos){ 0 }, "can not read: %s",
				  strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	doc = ew_toml_parse(buf, len, &l, err);
out:
	free(buf);
	close(fd);
	return doc;
}

void ew_toml_free(struct ew_toml_doc *doc)
{
	if (!doc)
		return;
	tv_free(doc->root);
	free(doc);
}
