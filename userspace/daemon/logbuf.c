// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-module logs: lines of stdout/stderr in a byte-bounded ring, mirrored
 * to rotated files in the CRI log format, and the logs query (tail, since,
 * until, timestamps, follow) over the ring. See logbuf.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "daemon/logbuf.h"

#define NSEC_PER_SEC 1000000000LL
#define FILES_MAX 100u
/* ".log.99" */
#define SUFFIX_MAX 7
/* Room for a log file name, with the compiler's idea of "%u" too. */
#define FN_LEN (NAME_MAX + 32)

struct rentry {
	int64_t ts_ns;
	uint32_t len;
	uint8_t stream;
	bool partial;
	char text[];
};

/* An incomplete line of one stream. */
/* A line not complete yet; its buffer grows on demand up to line_max. */
struct pending {
	char *buf;
	size_t len, cap;
};

struct ew_logbuf {
	struct ew_logbuf_limits lim;
	/* The ring: count entries from v[head], wrapping at cap. */
	struct rentry **v;
	size_t cap, head, count;
	uint64_t first_seq;
	size_t mem;
	struct pending pend[2];	/* by stream - 1 */
	int dirfd;		/* -1: memory only */
	int fd;			/* <name>.log, -1 when not open */
	size_t cur_size;
	char name[NAME_MAX + 1];
	char file_err[256];
};

static void __attribute__((format(printf, 2, 3)))
file_error(struct ew_logbuf *lb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lb->file_err, sizeof(lb->file_err), fmt, ap);
	va_end(ap);
}

static const char *stream_name(unsigned s)
{
	return s == EW_LOG_STDERR ? "stderr" : "stdout";
}

/* --- time ---------------------------------------------------------------- */

void ew_log_time_format(int64_t ns, char out[EW_LOG_TIME_LEN])
{
	int64_t sec = ns / NSEC_PER_SEC, frac = ns % NSEC_PER_SEC;
	struct tm tm;
	time_t t;

	if (frac < 0) {
		frac += NSEC_PER_SEC;
		sec--;
	}
	t = (time_t)sec;
	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0) {
		snprintf(out, EW_LOG_TIME_LEN, "%s", "0000-00-00T00:00:00.000000000Z");
		return;
	}
	snprintf(out, EW_LOG_TIME_LEN, "%04u-%02u-%02uT%02u:%02u:%02u.%09uZ",
		 (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
		 (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
		 (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u,
		 (unsigned)frac % 1000000000u);
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar. */
static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
	int era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int64_t)era * 146097 + (int64_t)doe - 719468;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Exactly n digits at *p. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* ".ddd" (1 or more digits, the first 9 count) into nanoseconds. */
static bool fraction(const char **p, int64_t *ns, bool strict9)
{
	int64_t v = 0;
	int n = 0;

	if (**p != '.')
		return true;
	(*p)++;
	while (**p >= '0' && **p <= '9') {
		if (n < 9)
			v = v * 10 + (**p - '0');
		else if (strict9)
			return false;
		n++;
		(*p)++;
	}
	if (n == 0)
		return false;
	for (; n < 9; n++)
		v *= 10;
	*ns = v;
	return true;
}

static int to_ns(int64_t sec, int64_t frac, int64_t *ns)
{
	if (sec < 0)
		return -ERANGE;
	if (sec > INT64_MAX / NSEC_PER_SEC ||
	    (sec == INT64_MAX / NSEC_PER_SEC && frac > INT64_MAX % NSEC_PER_SEC))
		return -ERANGE;
	*ns = sec * NSEC_PER_SEC + frac;
	return 0;
}

static int parse_rfc3339(const char *p, int64_t *ns)
{
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, s, oh = 0, om = 0, sign = 0;
	int64_t frac = 0, sec;

	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
	    !digits(&p, 2, &d))
		return -EINVAL;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -EINVAL;
	p++;
	if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi) || *p++ != ':' ||
	    !digits(&p, 2, &s) || !fraction(&p, &frac, false))
		return -EINVAL;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om))
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	if (mo < 1 || mo > 12 || d < 1 ||
	    (unsigned)d > mdays[mo - 1] + (mo == 2 && leap(y)) ||
	    h > 23 || mi > 59 || s > 60 || oh > 23 || om > 59)
		return -EINVAL;
	/* A leap second counts as the first second of the next minute. */
	sec = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s;
	sec -= sign * (oh * 3600 + om * 60);
	return to_ns(sec, frac, ns);
}

int ew_log_time_parse(const char *s, int64_t *ns)
{
	const char *p = s;
	int64_t sec = 0, frac = 0;

	if (!s || !*s)
		return -EINVAL;
	if (strlen(s) >= 10 && s[4] == '-')
		return parse_rfc3339(s, ns);
	if (*p < '0' || *p > '9')
		return -EINVAL;
	while (*p >= '0' && *p <= '9') {
		if (sec > INT64_MAX / NSEC_PER_SEC)
			return -ERANGE;
		sec = sec * 10 + (*p++ - '0');
	}
	if (!fraction(&p, &frac, true) || *p)
		return -EINVAL;
	return to_ns(sec, frac, ns);
}

/* --- query ---------------------------------------------------------------- */

void ew_log_query_init(struct ew_log_query *q)
{
	q->follow = false;
	q->tail = -1;
	q->since_ns = INT64_MIN;
	q->until_ns = INT64_MAX;
	q->timestamps = false;
}

static int parse_bool(const char *name, const char *v, bool *out, struct ew_error *e)
{
	if (!v)
		return 0;
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*out = true;
	else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
		*out = false;
	else
		return ew_err_set(e, -EINVAL, "%s: expected true or false", name);
	return 0;
}

static int parse_time(const char *name, const char *v, int64_t *out, struct ew_error *e)
{
	int r;

	if (!v)
		return 0;
	r = ew_log_time_parse(v, out);
	if (r == -ERANGE)
		return ew_err_set(e, r, "%s: time before 1970 or after 2262", name);
	if (r < 0)
		return ew_err_set(e, r, "%s: expected unix seconds or an RFC 3339 time", name);
	return 0;
}

int ew_log_query_parse(struct ew_log_query *q, const char *follow, const char *tail,
		       const char *since, const char *until, const char *timestamps,
		       struct ew_error *e)
{
	struct ew_log_query n = *q;
	const char *p;
	int r;

	r = parse_bool("follow", follow, &n.follow, e);
	if (!r)
		r = parse_bool("timestamps", timestamps, &n.timestamps, e);
	if (!r)
		r = parse_time("since", since, &n.since_ns, e);
	if (!r)
		r = parse_time("until", until, &n.until_ns, e);
	if (r)
		return r;
	if (tail && strcmp(tail, "all") == 0) {
		n.tail = -1;
	} else if (tail) {
		n.tail = 0;
		for (p = tail; *p >= '0' && *p <= '9'; p++) {
			if (n.tail > (LLONG_MAX - 9) / 10)
				return ew_err_set(e, -EINVAL, "tail: number too large");
			n.tail = n.tail * 10 + (*p - '0');
		}
		if (p == tail || *p)
			return ew_err_set(e, -EINVAL, "tail: expected a number of lines or \"all\"");
	}
	*q = n;
	return 0;
}

/* --- the ring ------------------------------------------------------------- */

uint64_t ew_logbuf_first_seq(const struct ew_logbuf *lb)
{
	return lb->first_seq;
}

uint64_t ew_logbuf_next_seq(const struct ew_logbuf *lb)
{
	return lb->first_seq + lb->count;
}

size_t ew_logbuf_mem(const struct ew_logbuf *lb)
{
	return lb->mem;
}

const char *ew_logbuf_file_error(const struct ew_logbuf *lb)
{
	return lb->file_err;
}

static struct rentry *ring_at(const struct ew_logbuf *lb, uint64_t seq)
{
	if (seq < lb->first_seq || seq - lb->first_seq >= lb->count)
		return NULL;
	return lb->v[(lb->head + (size_t)(seq - lb->first_seq)) % lb->cap];
}

bool ew_logbuf_get(const struct ew_logbuf *lb, uint64_t seq, struct ew_log_entry *out)
{
	const struct rentry *en = ring_at(lb, seq);

	if (!en)
		return false;
	out->seq = seq;
	out->ts_ns = en->ts_ns;
	out->stream = en->stream;
	out->partial = en->partial;
	out->len = en->len;
	out->text = en->text;
	return true;
}

static size_t entry_mem(size_t len)
{
	return sizeof(struct rentry) + len;
}

static void ring_evict(struct ew_logbuf *lb)
{
	struct rentry *en = lb->v[lb->head];

	lb->mem -= entry_mem(en->len);
	free(en);
	lb->v[lb->head] = NULL;
	lb->head = (lb->head + 1) % lb->cap;
	lb->count--;
	lb->first_seq++;
}

static int ring_grow(struct ew_logbuf *lb)
{
	size_t ncap = lb->cap ? lb->cap * 2 : 64, i;
	struct rentry **nv = calloc(ncap, sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	for (i = 0; i < lb->count; i++)
		nv[i] = lb->v[(lb->head + i) % lb->cap];
	free(lb->v);
	lb->v = nv;
	lb->cap = ncap;
	lb->head = 0;
	return 0;
}

static struct rentry *ring_push(struct ew_logbuf *lb, int64_t ts, unsigned stream,
				bool partial, const char *text, size_t len)
{
	size_t need = entry_mem(len);
	struct rentry *en;

	if (need > lb->lim.ring_bytes)
		return NULL;
	while (lb->count && lb->mem + need > lb->lim.ring_bytes)
		ring_evict(lb);
	if (lb->count == lb->cap && ring_grow(lb) < 0)
		return NULL;
	en = malloc(need);
	if (!en)
		return NULL;
	en->ts_ns = ts;
	en->len = (uint32_t)len;
	en->stream = (uint8_t)stream;
	en->partial = partial;
	memcpy(en->text, text, len);
	lb->v[(lb->head + lb->count) % lb->cap] = en;
	lb->count++;
	lb->mem += need;
	return en;
}

/* --- files ---------------------------------------------------------------- */

/* <name>.log for i == 0, <name>.log.<i> otherwise. */
static void file_name(const struct ew_logbuf *lb, const char *name, unsigned i,
		      char out[FN_LEN])
{
	if (i == 0)
		snprintf(out, FN_LEN, "%s.log", name ? name : lb->name);
	else
		snprintf(out, FN_LEN, "%s.log.%u", name ? name : lb->name, i);
}

static int file_open_current(struct ew_logbuf *lb)
{
	char fn[FN_LEN];
	struct stat st;

	file_name(lb, NULL, 0, fn);
	lb->fd = openat(lb->dirfd, fn, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
			0600);
	if (lb->fd < 0) {
		file_error(lb, "%s: %s", fn, strerror(errno));
		return -errno;
	}
	if (fstat(lb->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		file_error(lb, "%s: not a regular file", fn);
		close(lb->fd);
		lb->fd = -1;
		return -EINVAL;
	}
	lb->cur_size = (size_t)st.st_size;
	return 0;
}

static void file_rotate(struct ew_logbuf *lb)
{
	char from[FN_LEN], to[FN_LEN];
	unsigned i;

	if (lb->fd >= 0) {
		fsync(lb->fd);
		close(lb->fd);
		lb->fd = -1;
	}
	if (lb->lim.files == 1) {
		file_name(lb, NULL, 0, from);
		if (unlinkat(lb->dirfd, from, 0) < 0 && errno != ENOENT)
			file_error(lb, "%s: %s", from, strerror(errno));
	}
	for (i = lb->lim.files - 1; i >= 1; i--) {
		file_name(lb, NULL, i - 1, from);
		file_name(lb, NULL, i, to);
		if (renameat(lb->dirfd, from, lb->dirfd, to) < 0 && errno != ENOENT)
			file_error(lb, "rotating %s: %s", from, strerror(errno));
	}
	fsync(lb->dirfd);
	file_open_current(lb);
}

static void file_append(struct ew_logbuf *lb, const struct rentry *en)
{
	char ts[EW_LOG_TIME_LEN], pre[EW_LOG_TIME_LEN + 16];
	struct iovec iov[3];
	size_t total;
	ssize_t n;
	int plen;

	if (lb->dirfd < 0)
		return;
	ew_log_time_format(en->ts_ns, ts);
	plen = snprintf(pre, sizeof(pre), "%s %s %c ", ts, stream_name(en->stream),
			en->partial ? 'P' : 'F');
	total = (size_t)plen + en->len + 1;
	if (lb->fd >= 0 && lb->cur_size > 0 && lb->cur_size + total > lb->lim.file_bytes)
		file_rotate(lb);
	if (lb->fd < 0 && file_open_current(lb) < 0)
		return;
	iov[0].iov_base = pre;
	iov[0].iov_len = (size_t)plen;
	iov[1].iov_base = (void *)en->text;
	iov[1].iov_len = en->len;
	iov[2].iov_base = "\n";
	iov[2].iov_len = 1;
	do
		n = writev(lb->fd, iov, 3);
	while (n < 0 && errno == EINTR);
	if (n >= 0 && (size_t)n == total) {
		lb->cur_size += total;
		return;
	}
	/* Never leave half a line for the next one to be glued to. */
	if (n > 0 && ftruncate(lb->fd, (off_t)lb->cur_size) < 0) {
		file_error(lb, "%s.log: %s; closed", lb->name, strerror(errno));
		close(lb->fd);
		lb->fd = -1;
		return;
	}
	file_error(lb, "%s.log: %s", lb->name,
		   n < 0 ? strerror(errno) : "short write (file system full?)");
}

/* "<time> <stream> <P|F> <text>" as written by file_append; false if not. */
static bool parse_record(const char *line, size_t len, int64_t *ts, unsigned *stream,
			 bool *partial, const char **text, size_t *tlen)
{
	char tbuf[EW_LOG_TIME_LEN + 8];
	const char *sp = memchr(line, ' ', len), *p;

	if (!sp || (size_t)(sp - line) >= sizeof(tbuf))
		return false;
	memcpy(tbuf, line, (size_t)(sp - line));
	tbuf[sp - line] = '\0';
	if (ew_log_time_parse(tbuf, ts) < 0 || tbuf[4] != '-')
		return false;
	p = sp + 1;
	if ((size_t)(line + len - p) < 9)
		return false;
	if (memcmp(p, "stdout ", 7) == 0)
		*stream = EW_LOG_STDOUT;
	else if (memcmp(p, "stderr ", 7) == 0)
		*stream = EW_LOG_STDERR;
	else
		return false;
	p += 7;
	if ((p[0] != 'P' && p[0] != 'F') || p[1] != ' ')
		return false;
	*partial = p[0] == 'P';
	*text = p + 2;
	*tlen = (size_t)(line + len - *text);
	return true;
}

static void file_load(struct ew_logbuf *lb, unsigned i)
{
	char fn[FN_LEN], *line = NULL;
	const char *text;
	size_t cap = 0, tlen;
	unsigned stream;
	bool partial;
	ssize_t n;
	int64_t ts;
	FILE *f;
	int fd;

	file_name(lb, NULL, i, fn);
	fd = openat(lb->dirfd, fn, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno != ENOENT)
			file_error(lb, "%s: %s", fn, strerror(errno));
		return;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		/* A line without its newline is what a crash left: skipped. */
		if (line[n - 1] != '\n')
			break;
		if (!parse_record(line, (size_t)n - 1, &ts, &stream, &partial, &text, &tlen) ||
		    tlen > lb->lim.line_max)
			continue;
		ring_push(lb, ts, stream, partial, text, tlen);
	}
	free(line);
	fclose(f);
}

/* --- open, feed ------------------------------------------------------------ */

static bool name_ok(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	return len > 0 && len <= NAME_MAX - SUFFIX_MAX && !strchr(name, '/') &&
	       strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

int ew_logbuf_open(struct ew_logbuf **out, const char *dir, const char *name,
		   const struct ew_logbuf_limits *lim, struct ew_error *e)
{
	struct ew_logbuf *lb;
	unsigned i;

	*out = NULL;
	if (!name_ok(name))
		return ew_err_set(e, -EINVAL, "log name '%s' is not a file name of at most %d bytes",
			    name ? name : "", NAME_MAX - SUFFIX_MAX);
	lb = calloc(1, sizeof(*lb));
	if (!lb)
		return ew_err_set(e, -ENOMEM, "out of memory");
	lb->dirfd = lb->fd = -1;
	if (lim)
		lb->lim = *lim;
	if (!lb->lim.ring_bytes)
		lb->lim.ring_bytes = EW_LOGBUF_RING_DEFAULT;
	if (!lb->lim.line_max)
		lb->lim.line_max = EW_LOGBUF_LINE_DEFAULT;
	if (!lb->lim.file_bytes)
		lb->lim.file_bytes = EW_LOGBUF_FILE_DEFAULT;
	if (!lb->lim.files)
		lb->lim.files = EW_LOGBUF_FILES_DEFAULT;
	if (lb->lim.line_max > UINT32_MAX || entry_mem(lb->lim.line_max) > lb->lim.ring_bytes ||
	    lb->lim.file_bytes < lb->lim.line_max + EW_LOG_TIME_LEN + 16 ||
	    lb->lim.files > FILES_MAX) {
		free(lb);
		return ew_err_set(e, -EINVAL,
			    "log limits: the ring and a file must hold a whole line, at most %u files",
			    FILES_MAX);
	}
	snprintf(lb->name, sizeof(lb->name), "%s", name);
	if (dir) {
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			ew_logbuf_close(lb);
			return ew_err_set(e, -errno, "log directory %s: %s", dir, strerror(errno));
		}
		lb->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (lb->dirfd < 0) {
			int r = -errno;

			ew_logbuf_close(lb);
			return ew_err_set(e, r, "log directory %s: %s", dir, strerror(-r));
		}
		for (i = lb->lim.files; i-- > 0;)
			file_load(lb, i);
		if (file_open_current(lb) < 0) {
			int r = ew_err_set(e, -EIO, "%s", lb->file_err);

			ew_logbuf_close(lb);
			return r;
		}
	}
	*out = lb;
	return 0;
}

void ew_logbuf_close(struct ew_logbuf *lb)
{
	int s;

	if (!lb)
		return;
	while (lb->count)
		ring_evict(lb);
	free(lb->v);
	for (s = 0; s < 2; s++)
		free(lb->pend[s].buf);
	if (lb->fd >= 0)
		close(lb->fd);
	if (lb->dirfd >= 0)
		close(lb->dirfd);
	free(lb);
}

int ew_logbuf_unlink(const char *dir, const char *name, unsigned files,
		     struct ew_error *e)
{
	char fn[FN_LEN];
	unsigned i;
	int dfd, r = 0;

	if (!name_ok(name))
		return ew_err_set(e, -EINVAL, "log name '%s' is not a file name", name ? name : "");
	if (!files)
		files = EW_LOGBUF_FILES_DEFAULT;
	if (files > FILES_MAX)
		return ew_err_set(e, -EINVAL, "at most %u log files", FILES_MAX);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? 0 : ew_err_set(e, -errno, "%s: %s", dir, strerror(errno));
	for (i = 0; i < files; i++) {
		file_name(NULL, name, i, fn);
		if (unlinkat(dfd, fn, 0) < 0 && errno != ENOENT && !r)
			r = ew_err_set(e, -errno, "%s/%s: %s", dir, fn, strerror(errno));
	}
	fsync(dfd);
	close(dfd);
	return r;
}

static bool pend_reserve(struct pending *pd, size_t need, size_t max)
{
	size_t cap = pd->cap ? pd->cap : 256;
	char *nb;

	if (need <= pd->cap)
		return true;
	while (cap < need)
		cap *= 2;
	if (cap > max)
		cap = max;
	nb = realloc(pd->buf, cap);
	if (!nb)
		return false;
	pd->buf = nb;
	pd->cap = cap;
	return true;
}

static void add_entry(struct ew_logbuf *lb, unsigned stream, bool partial,
		      const char *text, size_t len, int64_t ts)
{
	const struct rentry *en = ring_push(lb, ts, stream, partial, text, len);

	if (en)
		file_append(lb, en);
}

void ew_logbuf_feed(struct ew_logbuf *lb, enum ew_log_stream stream,
		    const void *data, size_t len, int64_t now_ns)
{
	struct pending *pd;
	const char *p = data, *nl;
	size_t chunk, n;

	if (stream != EW_LOG_STDOUT && stream != EW_LOG_STDERR)
		return;
	pd = &lb->pend[stream - 1];
	while (len) {
		nl = memchr(p, '\n', len);
		chunk = nl ? (size_t)(nl - p) : len;
		len -= chunk;
		/* A whole line in one piece goes to the ring without a copy. */
		if (nl && !pd->len && chunk <= lb->lim.line_max) {
			add_entry(lb, stream, false, p, chunk, now_ns);
			p += chunk + 1;
			len--;
			continue;
		}
		while (chunk) {
			/* Split only when more of the line is coming. */
			if (pd->len == lb->lim.line_max) {
				add_entry(lb, stream, true, pd->buf, pd->len, now_ns);
				pd->len = 0;
			}
			n = lb->lim.line_max - pd->len;
			if (n > chunk)
				n = chunk;
			if (!pend_reserve(pd, pd->len + n, lb->lim.line_max)) {
				/* Out of memory: this piece goes out on its own. */
				if (pd->len)
					add_entry(lb, stream, true, pd->buf, pd->len, now_ns);
				pd->len = 0;
				add_entry(lb, stream, true, p, n, now_ns);
			} else {
				memcpy(pd->buf + pd->len, p, n);
				pd->len += n;
			}
			p += n;
			chunk -= n;
		}
		if (nl) {
			add_entry(lb, stream, false, pd->buf, pd->len, now_ns);
			pd->len = 0;
			p++;
			len--;
		}
	}
}

void ew_logbuf_flush(struct ew_logbuf *lb, int64_t now_ns)
{
	unsigned s;

	for (s = EW_LOG_STDOUT; s <= EW_LOG_STDERR; s++) {
		struct pending *pd = &lb->pend[s - 1];

		if (pd->len) {
			add_entry(lb, s, false, pd->buf, pd->len, now_ns);
			pd->len = 0;
		}
	}
}

/* --- reading -------------------------------------------------------------- */

static bool in_range(const struct ew_log_cursor *c, int64_t ts)
{
	return ts >= c->since_ns && ts <= c->until_ns;
}

void ew_logbuf_cursor(const struct ew_logbuf *lb, const struct ew_log_query *q,
		      struct ew_log_cursor *c)
{
	uint64_t first = ew_logbuf_first_seq(lb), next = ew_logbuf_next_seq(lb), s;
	long long found = 0;

	memset(c, 0, sizeof(*c));
	c->since_ns = q->since_ns;
	c->until_ns = q->until_ns;
	c->timestamps = q->timestamps;
	c->follow = q->follow;
	c->end = q->follow ? UINT64_MAX : next;
	if (q->tail < 0) {
		c->seq = first;
	} else {
		/* Back from the newest until tail entries of the range are behind. */
		for (s = next; s > first && found < q->tail; s--) {
			if (in_range(c, ring_at(lb, s - 1)->ts_ns))
				found++;
		}
		c->seq = s;
	}
	if (c->seq >= c->end)
		c->done = true;
}

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

size_t ew_logbuf_read(const struct ew_logbuf *lb, struct ew_log_cursor *c,
		      char *buf, size_t max)
{
	uint64_t first = ew_logbuf_first_seq(lb), next = ew_logbuf_next_seq(lb);
	char pre[EW_LOG_TIME_LEN + 1];
	const struct rentry *en;
	size_t out = 0, plen, total, off, n;

	while (out < max && !c->done) {
		if (c->seq < first) {
			/* Overtaken by the ring: end the cut line, go on with the oldest. */
			c->lost += first - c->seq;
			c->seq = first;
			if (c->off) {
				buf[out++] = '\n';
				c->off = 0;
				continue;
			}
		}
		if (c->seq >= c->end) {
			c->done = true;
			break;
		}
		if (c->seq >= next) {
			if (c->until_ns != INT64_MAX && realtime_ns() > c->until_ns)
				c->done = true;
			break;
		}
		en = ring_at(lb, c->seq);
		if (!in_range(c, en->ts_ns)) {
			/* Following, the first entry past until ends the stream. */
			if (c->follow && en->ts_ns > c->until_ns)
				c->done = true;
			else
				c->seq++;
			continue;
		}
		plen = 0;
		if (c->timestamps) {
			ew_log_time_format(en->ts_ns, pre);
			plen = EW_LOG_TIME_LEN - 1;
			pre[plen++] = ' ';
		}
		total = plen + en->len + 1;
		/* Copy what fits of prefix, text and newline from c->off on. */
		while (out < max && c->off < total) {
			off = c->off;
			if (off < plen) {
				n = plen - off;
				if (n > max - out)
					n = max - out;
				memcpy(buf + out, pre + off, n);
			} else if (off < plen + en->len) {
				n = plen + en->len - off;
				if (n > max - out)
					n = max - out;
				memcpy(buf + out, en->text + (off - plen), n);
			} else {
				n = 1;
				buf[out] = '\n';
			}
			out += n;
			c->off += n;
		}
		if (c->off == total) {
			c->off = 0;
			c->seq++;
		}
	}
	return out;
}
