// SPDX-License-Identifier: GPL-2.0-only
/*
 * Round trips of one HTTP/1.1 request over one keep-alive connection on a
 * Unix socket: the workload API's sign, or the same request to the bare
 * echo server (userspace/tools/http_echo) that is its baseline.
 *
 *   http_rtt SOCKET PATH BODY COUNT
 *
 * Prints "requests=N mean_us=X p50_us=X p99_us=X per_s=X status=S".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Reads one response (headers and a Content-Length body); its status. */
static int read_response(int fd, char *buf, size_t cap)
{
	size_t have = 0, need = 0;
	char *hdr_end = NULL, *cl;
	int status = 0;

	for (;;) {
		ssize_t n = read(fd, buf + have, cap - 1 - have);

		if (n <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		if (!hdr_end) {
			hdr_end = strstr(buf, "\r\n\r\n");
			if (!hdr_end)
				continue;
			sscanf(buf, "HTTP/1.1 %d", &status);
			cl = strcasestr(buf, "\r\ncontent-length:");
			need = (size_t)(hdr_end + 4 - buf) + (cl ? strtoul(cl + 17, NULL, 10) : 0);
		}
		if (have >= need)
			return have == need ? status : -1;
	}
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char req[4096], buf[65536];
	double *t, total = 0;
	long i, count;
	int fd, status = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: http_rtt SOCKET PATH BODY COUNT\n");
		return 2;
	}
	count = strtol(argv[4], NULL, 10);
	t = calloc((size_t)count, sizeof(*t));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (!t || count <= 0 || fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "http_rtt: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	snprintf(req, sizeof(req),
		 "POST %s HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
		 "Content-Length: %zu\r\n\r\n%s", argv[2], strlen(argv[3]), argv[3]);
	for (i = 0; i < count; i++) {
		double t0 = now_us();

		if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
			perror("http_rtt: write");
			return 1;
		}
		status = read_response(fd, buf, sizeof(buf));
		if (status < 0) {
			fprintf(stderr, "http_rtt: connection lost after %ld requests\n", i);
			return 1;
		}
		t[i] = now_us() - t0;
		total += t[i];
	}
	qsort(t, (size_t)count, sizeof(*t), cmp);
	printf("requests=%ld mean_us=%.1f p50_us=%.1f p99_us=%.1f per_s=%.0f status=%d\n",
	       count, total / count, t[count / 2], t[(count * 99) / 100], count / (total / 1e6),
	       status);
	free(t);
	close(fd);
	return 0;
}
