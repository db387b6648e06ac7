/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-module log capture: the lines a module writes to stdout and stderr,
 * each with the time it was read (CLOCK_REALTIME, ns) and its stream, kept
 * in a ring bounded in bytes for the management API's logs query, and
 * appended to a log file in the state directory with size-based rotation so
 * logs outlive a restart of the daemon (they are read back on open).
 *
 * Lines longer than line_max are split into several entries (all but the
 * last marked partial); a line without its newline when the stream ends is
 * kept as it is (ew_logbuf_flush()). The logs query prints every entry as a
 * line of its own.
 *
 * Log files use the CRI container log format, one entry per line:
 *   2024-05-01T12:00:00.123456789Z stdout F text of the line
 * (P instead of F for a partial entry). <name>.log is written, rotated to
 * <name>.log.1 and so on, keeping `files` files in all. A failed write (a
 * full disk) is undone so no half line is left in a file; logging goes on
 * in memory and ew_logbuf_file_error() says what happened.
 */
#ifndef EW_DAEMON_LOGBUF_H
#define EW_DAEMON_LOGBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edgeward.h"

enum ew_log_stream {
	EW_LOG_STDOUT = 1,
	EW_LOG_STDERR = 2,
};

/* "2024-05-01T12:00:00.123456789Z" and its NUL. */
#define EW_LOG_TIME_LEN 31

/* Zero in any field: its default. */
struct ew_logbuf_limits {
	size_t ring_bytes;	/* memory per module, entries and overhead: 1 MiB */
	size_t line_max;	/* longer lines are split: 16 KiB */
	size_t file_bytes;	/* a log file is rotated before passing this: 1 MiB */
	unsigned files;		/* log files kept, the current one included: 2 */
};

#define EW_LOGBUF_RING_DEFAULT (1u << 20)
#define EW_LOGBUF_LINE_DEFAULT (16u << 10)
#define EW_LOGBUF_FILE_DEFAULT (1u << 20)
#define EW_LOGBUF_FILES_DEFAULT 2u

struct ew_logbuf;

/* One entry, as ew_logbuf_get() shows it (valid until the next change). */
struct ew_log_entry {
	uint64_t seq;		/* consecutive from 0 since open */
	int64_t ts_ns;		/* CLOCK_REALTIME */
	enum ew_log_stream stream;
	bool partial;		/* the line goes on in a later entry */
	size_t len;
	const char *text;	/* len bytes, without the newline, not NUL-terminated */
};

/*
 * A log for module @name (a single file name component), its files in @dir
 * (created 0700 if missing; NULL: memory only). Entries of existing files
 * are read back into the ring, malformed lines skipped. -EINVAL for limits
 * that do not fit together (a ring smaller than a line, a file smaller than
 * a line, more than 100 files).
 */
int ew_logbuf_open(struct ew_logbuf **out, const char *dir, const char *name,
		   const struct ew_logbuf_limits *lim, struct ew_error *e);
/* Closes the files (partial lines not yet flushed are lost: flush first). */
void ew_logbuf_close(struct ew_logbuf *lb);
/* Removes the log files of @name in @dir (all `files` of them); 0 if none. */
int ew_logbuf_unlink(const char *dir, const char *name, unsigned files,
		     struct ew_error *e);

/* Output of @stream, as read, at time @now_ns; complete lines become entries. */
void ew_logbuf_feed(struct ew_logbuf *lb, enum ew_log_stream stream,
		    const void *data, size_t len, int64_t now_ns);
/* Makes an entry of any incomplete line of either stream (at exit). */
void ew_logbuf_flush(struct ew_logbuf *lb, int64_t now_ns);

uint64_t ew_logbuf_first_seq(const struct ew_logbuf *lb);	/* oldest kept */
uint64_t ew_logbuf_next_seq(const struct ew_logbuf *lb);	/* the next one */
/* Bytes the ring accounts for (never more than ring_bytes). */
size_t ew_logbuf_mem(const struct ew_logbuf *lb);
/* Entry @seq if still kept. */
bool ew_logbuf_get(const struct ew_logbuf *lb, uint64_t seq, struct ew_log_entry *out);
/* The last problem with the log files, "" if none. */
const char *ew_logbuf_file_error(const struct ew_logbuf *lb);

/* The logs query of the management API. */
struct ew_log_query {
	bool follow;
	long long tail;		/* the last N matching entries; < 0: all */
	int64_t since_ns;	/* entries at or after; INT64_MIN: no bound */
	int64_t until_ns;	/* entries at or before; INT64_MAX: no bound */
	bool timestamps;	/* prefix each line with its time and a space */
};

void ew_log_query_init(struct ew_log_query *q);
/*
 * Fills @q from the query parameters (each NULL when absent): follow and
 * timestamps "true", "false", "1" or "0"; tail a decimal count or "all";
 * since and until as ew_log_time_parse() reads them. -EINVAL with the
 * parameter's name and what is wrong; @q is untouched then.
 */
int ew_log_query_parse(struct ew_log_query *q, const char *follow, const char *tail,
		       const char *since, const char *until, const char *timestamps,
		       struct ew_error *e);
/*
 * Unix seconds with up to 9 decimals ("1714564800", "1714564800.5"), or RFC
 * 3339 ("2024-05-01T12:00:00Z", "2024-05-01T14:00:00.25+02:00"), from 1970
 * to 2262. -EINVAL if malformed, -ERANGE outside those years.
 */
int ew_log_time_parse(const char *s, int64_t *ns);
/* RFC 3339 in UTC with nanoseconds, as in the log files and "timestamps". */
void ew_log_time_format(int64_t ns, char out[EW_LOG_TIME_LEN]);

/*
 * Where a reader of a query stands. The query's tail, since and until pick
 * the first entry; without follow the reader ends at the entries there were
 * when the cursor was made, with follow it goes on with every new one until
 * an entry (or the clock) passes until.
 */
struct ew_log_cursor {
	uint64_t seq;		/* next entry to read */
	uint64_t end;		/* without follow: where to stop */
	size_t off;		/* bytes of entry seq's line already read */
	int64_t since_ns;
	int64_t until_ns;
	bool timestamps;
	bool follow;
	bool done;		/* nothing more will come */
	uint64_t lost;		/* entries dropped from the ring before being read */
};

void ew_logbuf_cursor(const struct ew_logbuf *lb, const struct ew_log_query *q,
		      struct ew_log_cursor *c);
/*
 * Up to @max bytes of text for @c (lines may be cut at @max and continue in
 * the next read). 0 with c->done false: nothing new yet (follow); the owner
 * of the supervisor hears of new entries through its on_log callback.
 */
size_t ew_logbuf_read(const struct ew_logbuf *lb, struct ew_log_cursor *c,
		      char *buf, size_t max);

#endif /* EW_DAEMON_LOGBUF_H */
