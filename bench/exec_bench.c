// SPDX-License-Identifier: GPL-2.0
/*
 * exec_bench PROGRAM COUNT: runs PROGRAM (vfork + execve + wait) COUNT times
 * and prints the mean nanoseconds per run. bench/exec.sh runs it with the
 * module unloaded, loaded, and judging, and prints the ratios.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	char *args[] = { NULL, NULL };
	long i, count;
	int status;
	pid_t pid;

	if (argc != 3 || (count = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: exec_bench PROGRAM COUNT\n");
		return 2;
	}
	args[0] = argv[1];
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < count; i++) {
		pid = vfork();
		if (pid == 0) {
			execv(argv[1], args);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "exec_bench: run %ld failed\n", i);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.0f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / count);
	return 0;
}
