// SPDX-License-Identifier: GPL-2.0-only
/*
 * http_echo: the baseline of the HTTP benchmark, "our overhead vs. a bare
 * HTTP echo on the same kind of socket". It binds the socket with the same
 * code as edgewardd (http/listen.c) and runs libmicrohttpd in the same
 * threading mode (a thread per connection), but with nothing of ours on
 * the request path: no routing, no credentials, no limits, no JSON. Each
 * response echoes the request body, or the request path when there is none.
 *
 *   http_echo [-m MODE] SOCKET_PATH
 *
 * Prints "http_echo: listening on SOCKET_PATH" once it accepts, and runs
 * until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http/http.h"

struct body {
	size_t len, cap;
	char *data;
};

static enum MHD_Result echo(void *cls, struct MHD_Connection *mc,
			    const char *url, const char *method,
			    const char *version, const char *upload_data,
			    size_t *upload_data_size, void **req_cls)
{
	struct MHD_Response *resp;
	struct body *b = *req_cls;
	enum MHD_Result ret;

	(void)cls;
	(void)method;
	(void)version;
	if (!b) {
		b = calloc(1, sizeof(*b));
		*req_cls = b;
		return b ? MHD_YES : MHD_NO;
	}
	if (*upload_data_size) {
		if (b->len + *upload_data_size > b->cap) {
			size_t cap = (b->len + *upload_data_size) * 2;
			char *d = realloc(b->data, cap);

			if (!d)
				return MHD_NO;
			b->data = d;
			b->cap = cap;
		}
		memcpy(b->data + b->len, upload_data, *upload_data_size);
		b->len += *upload_data_size;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (b->len)
		resp = MHD_create_response_from_buffer(b->len, b->data,
						       MHD_RESPMEM_MUST_COPY);
	else
		resp = MHD_create_response_from_buffer(strlen(url), (void *)url,
						       MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	ret = MHD_queue_response(mc, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void done(void *cls, struct MHD_Connection *mc, void **req_cls,
		 enum MHD_RequestTerminationCode toe)
{
	struct body *b = *req_cls;

	(void)cls;
	(void)mc;
	(void)toe;
	if (b)
		free(b->data);
	free(b);
	*req_cls = NULL;
}

static int usage(void)
{
	fprintf(stderr, "usage: http_echo [-m MODE] SOCKET_PATH\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	unsigned long mode = 0666;
	char err[256], *end;
	sigset_t set;
	int fd, opt, sig;

	while ((opt = getopt(argc, argv, "m:")) != -1) {
		if (opt != 'm')
			return usage();
		errno = 0;
		mode = strtoul(optarg, &end, 8);
		if (errno || *end || !*optarg || mode > 0777)
			return usage();
	}
	if (optind + 1 != argc)
		return usage();

	/* Every thread libmicrohttpd starts inherits this: sigwait() gets them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	fd = ew_http_listen_unix(argv[optind], (mode_t)mode, (gid_t)-1, err,
				 sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "http_echo: %s\n", err);
		return 1;
	}
	d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
			     MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL,
			     0, NULL, NULL, echo, NULL,
			     MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_NOTIFY_COMPLETED, done, NULL,
			     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "http_echo: libmicrohttpd cannot serve %s\n",
			argv[optind]);
		close(fd);
		unlink(argv[optind]);
		return 1;
	}
	printf("http_echo: listening on %s\n", argv[optind]);
	fflush(stdout);
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	unlink(argv[optind]);
	return 0;
}
