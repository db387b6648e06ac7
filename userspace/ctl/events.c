// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgewardctl events: follows the events group and prints each event. The
 * group is joined before the status is read, so that the status's event
 * sequence number is a baseline from which any loss shows as a gap.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "commands.h"
#include "output.h"

struct follow {
	const struct ctl_args *a;
	struct ew_events *ev;
	uint64_t last_seq;	/* highest sequence number seen */
	bool have_last;		/* whether last_seq is a baseline */
	unsigned long received;
	int64_t deadline_ms;	/* -1: none */
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining_ms(const struct follow *f)
{
	int64_t left;

	if (f->deadline_ms < 0)
		return -1;
	left = f->deadline_ms - now_ms();
	return left > 0 ? (int)left : 0;
}

/* Reads the sequence number of the last event sent before we joined. */
static int read_baseline(struct follow *f)
{
	struct ew_status st;
	int r;

	r = ctl_read_status(&st);
	if (r)
		return r;
	f->last_seq = st.event_seq;
	f->have_last = true;
	return CTL_EXIT_OK;
}

static void check_seq(struct follow *f, uint64_t seq)
{
	/*
	 * Events at or below the baseline were queued between joining and
	 * reading the status: expected, not a gap.
	 */
	if (f->have_last && seq > f->last_seq + 1)
		ctl_warn("sequence gap: expected event %" PRIu64 ", got %" PRIu64
			 " (%" PRIu64 " lost)", f->last_seq + 1, seq,
			 seq - f->last_seq - 1);
	if (!f->have_last || seq > f->last_seq)
		f->last_seq = seq;
	f->have_last = true;
}

static int print_event(const struct follow *f, const struct ew_event *ev)
{
	int r = CTL_EXIT_OK;

	if (f->a->json)
		r = ctl_emit_json(ctl_json_event(ev), false);
	else
		ctl_text_event(stdout, ev);
	/* Whoever reads a pipe wants each event as it happens. */
	if (fflush(stdout))
		r = ctl_error("writing the event failed");
	return r;
}

/*
 * Waits for and handles one event. Returns 0 to go on, 1 when done, or
 * minus the exit code of a failure.
 */
static int follow_one(struct follow *f, struct ew_event *ev)
{
	struct ew_error e;
	int r;

	r = ew_events_next(f->ev, ev, remaining_ms(f), &e);
	if (r == 0) {
		if (f->a->count && f->received < f->a->count)
			return -ctl_error("timed out after %lu of %lu events",
					  f->received, f->a->count);
		return 1;
	}
	/*
	 * After an overflow the baseline is kept: sequence numbers are
	 * counted even for lost events, so the gap shows which ones.
	 */
	if (r == -ENOBUFS) {
		ctl_warn("the kernel dropped events (receive queue overflow)");
		return 0;
	}
	if (r == -EPROTO) {
		ctl_warn("%s", e.msg);
		return 0;
	}
	if (r < 0)
		return -ctl_fail(&e);
	check_seq(f, ev->seq);
	f->received++;
	r = print_event(f, ev);
	if (r)
		return -r;
	return f->a->count && f->received >= f->a->count;
}

int ctl_cmd_events(const struct ctl_args *a)
{
	struct follow f = { .a = a, .deadline_ms = -1 };
	struct ew_event *ev;
	struct ew_error e;
	int r;

	if (ew_events_open(&f.ev, &e))
		return ctl_fail(&e);
	ev = malloc(sizeof(*ev));
	r = ev ? read_baseline(&f) : ctl_error("out of memory");
	if (!r) {
		if (a->timeout_s > 0)
			f.deadline_ms = now_ms() + (int64_t)a->timeout_s * 1000;
		do
			r = follow_one(&f, ev);
		while (!r);
		r = r > 0 ? CTL_EXIT_OK : -r;
	}
	free(ev);
	ew_events_close(f.ev);
	return r;
}
