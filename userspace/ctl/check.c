// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgewardctl check: is this host ready to run edgewardd, and is it
 * running? Every check reads local files or asks the kernel; none needs
 * the daemon or the network, so it can tell why a daemon does not start.
 *
 * Each check gives one line (a line per offending file for the keys):
 * [ ok ], [warn] for what works but deserves a look (the daemon is not
 * running, a certificate expires within CTL_CERT_WARN_DAYS, the kernel
 * module is optional and absent or its mode is off), [FAIL] for what stops
 * the daemon or breaks its guarantees (a broken configuration, a state or
 * key store others may read, an expired or unreadable certificate, a
 * required kernel module that is absent). Any FAIL: exit 1.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "certs/certs.h"
#include "commands.h"
#include "keys/crypto.h"
#include "mgmt_client.h"
#include "output.h"

/*
 * A certificate this close to its end is worth a warning: the quickstart
 * edge CA is renewed long before (at 80 % of its 90 days), so one that
 * gets here was not renewed, and a preloaded one needs a person.
 */
#define CTL_CERT_WARN_DAYS 7
#define DAY_S 86400

/* What the checks share. */
struct checker {
	struct ctl_checks out;
	struct ctl_daemon d;
	int64_t now;
	bool oom;
};

static void add(struct checker *k, const char *name, enum ctl_check_result r,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add(struct checker *k, const char *name, enum ctl_check_result r,
		const char *fmt, ...)
{
	char detail[sizeof(((struct ctl_check *)0)->detail)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (ctl_check_add(&k->out, name, r, "%s", detail))
		k->oom = true;
}

/* --- configuration, state directory, key store --------------------------- */

static bool check_config(struct checker *k, const struct ctl_args *a)
{
	char err[sizeof(((struct ctl_check *)0)->detail)];

	if (ctl_daemon_open(a, true, &k->d, err, sizeof(err))) {
		add(k, "config", CTL_CHECK_FAIL, "%s (the other checks need it)", err);
		return false;
	}
	if (k->d.config_file)
		add(k, "config", CTL_CHECK_OK, "%s is well-formed", k->d.config_file);
	else
		add(k, "config", CTL_CHECK_OK, "no %s: the embedded defaults", EW_CONFIG_PATH);
	return true;
}

/* A private directory: 0700; group or others in its mode is a FAIL. */
static void check_private_dir(struct checker *k, const char *name, const char *dir,
			      const char *absent)
{
	struct stat st;

	if (stat(dir, &st)) {
		if (errno == ENOENT)
			add(k, name, CTL_CHECK_WARN, "%s does not exist yet (%s)", dir, absent);
		else
			add(k, name, CTL_CHECK_FAIL, "%s: %s", dir, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode))
		add(k, name, CTL_CHECK_FAIL, "%s is not a directory", dir);
	else if (st.st_mode & 077)
		add(k, name, CTL_CHECK_FAIL,
		    "%s has mode %04o: group or others may access it; it must be 0700", dir,
		    (unsigned int)(st.st_mode & 07777));
	else if ((st.st_mode & 0700) != 0700)
		add(k, name, CTL_CHECK_WARN, "%s has mode %04o; edgewardd makes it 0700", dir,
		    (unsigned int)(st.st_mode & 07777));
	else
		add(k, name, CTL_CHECK_OK, "%s exists, mode 0700", dir);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

/*
 * One key file: what the file key store demands of it (a regular file of
 * the store's owner, 0600, of a size a key has), and that it can be
 * opened. Its content is not read: no key material leaves the file.
 * Returns whether it passed.
 */
static bool check_key_file(struct checker *k, int dfd, const char *dir,
			   const struct stat *dst, const char *name)
{
	bool sym = has_suffix(name, ".key");
	struct stat st;
	int fd;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW)) {
		add(k, "keys", CTL_CHECK_FAIL, "%s/%s: %s", dir, name, strerror(errno));
		return false;
	}
	if (S_ISLNK(st.st_mode)) {
		add(k, "keys", CTL_CHECK_FAIL,
		    "%s/%s is a symbolic link; key files must be regular files", dir, name);
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		add(k, "keys", CTL_CHECK_FAIL, "%s/%s is not a regular file", dir, name);
		return false;
	}
	if (st.st_mode & 077) {
		add(k, "keys", CTL_CHECK_FAIL,
		    "%s/%s has mode %04o: group or others may access it; it must be 0600",
		    dir, name, (unsigned int)(st.st_mode & 07777));
		return false;
	}
	if (st.st_uid != dst->st_uid) {
		add(k, "keys", CTL_CHECK_FAIL, "%s/%s is owned by uid %u, the key store by uid %u",
		    dir, name, (unsigned int)st.st_uid, (unsigned int)dst->st_uid);
		return false;
	}
	if (sym ? st.st_size != EW_SYM_KEY_LEN : st.st_size <= 0 || st.st_size > EW_PEM_MAX) {
		add(k, "keys", CTL_CHECK_FAIL, "%s/%s is %lld bytes; a %s file is %s", dir, name,
		    (long long)st.st_size, sym ? "symmetric key" : "key pair",
		    sym ? "exactly 32" : "1 to 65536");
		return false;
	}
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		add(k, "keys", CTL_CHECK_FAIL, "%s/%s cannot be read: %s", dir, name,
		    strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

static void check_keys(struct checker *k)
{
	char dir[PATH_MAX];
	size_t good = 0, bad = 0;
	struct dirent *de;
	struct stat dst;
	DIR *dp;
	int dfd;

	snprintf(dir, sizeof(dir), "%s/keys", k->d.cfg.edgeward.state_dir);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fstat(dfd, &dst)) {
		if (errno == ENOENT)
			add(k, "keys", CTL_CHECK_WARN,
			    "no key store at %s yet (edgewardd creates it at its first start)", dir);
		else
			add(k, "keys", CTL_CHECK_FAIL, "%s: %s", dir, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return;
	}
	if (dst.st_mode & 077) {
		add(k, "keys", CTL_CHECK_FAIL,
		    "the key store %s has mode %04o: group or others may access it; it must be 0700",
		    dir, (unsigned int)(dst.st_mode & 07777));
		bad++;
	}
	dp = fdopendir(dfd);
	if (!dp) {
		add(k, "keys", CTL_CHECK_FAIL, "%s: %s", dir, strerror(errno));
		close(dfd);
		return;
	}
	while ((de = readdir(dp))) {
		/* Keys are <id>.key and <id>.pem; ".tmp.*" are writes in progress. */
		if (de->d_name[0] == '.' ||
		    (!has_suffix(de->d_name, ".key") && !has_suffix(de->d_name, ".pem")))
			continue;
		if (check_key_file(k, dirfd(dp), dir, &dst, de->d_name))
			good++;
		else
			bad++;
	}
	closedir(dp);
	if (bad)
		return;
	if (!good)
		add(k, "keys", CTL_CHECK_WARN,
		    "%s holds no keys yet (edgewardd creates them at its first start)", dir);
	else
		add(k, "keys", CTL_CHECK_OK, "%zu key file%s in %s, readable, mode 0600", good,
		    good == 1 ? "" : "s", dir);
}

/* --- certificates ---------------------------------------------------------- */

/* "2025-01-01T00:00:00Z", or the number when it cannot be shown. */
static void show_time(int64_t t, char out[EW_RFC3339_LEN])
{
	if (ew_time_rfc3339(t, out))
		snprintf(out, EW_RFC3339_LEN, "%lld", (long long)t);
}

/*
 * The certificates at @path: 0 and the latest notBefore and earliest
 * notAfter among them, or -errno with a FAIL (or, for a quickstart CA not
 * made yet, a warning) added.
 */
static int load_validity(struct checker *k, const char *name, const char *path,
			 const char *absent, size_t *count, int64_t *nb, int64_t *na)
{
	char err[sizeof(((struct ctl_check *)0)->detail)];
	STACK_OF(X509) *chain = NULL;
	int64_t b, a;
	int i, r;

	r = ew_pem_load_chain(path, &chain, err, sizeof(err));
	if (r == -ENOENT && absent) {
		add(k, name, CTL_CHECK_WARN, "%s does not exist yet (%s)", path, absent);
		return r;
	}
	if (r) {
		add(k, name, CTL_CHECK_FAIL, "%s", err);
		return r;
	}
	*nb = INT64_MIN;
	*na = INT64_MAX;
	for (i = 0; i < sk_X509_num(chain); i++) {
		if (ew_cert_validity(sk_X509_value(chain, i), &b, &a)) {
			add(k, name, CTL_CHECK_FAIL, "%s: certificate %d has unreadable validity "
			    "dates", path, i + 1);
			ew_chain_free(chain);
			return -EINVAL;
		}
		*nb = b > *nb ? b : *nb;
		*na = a < *na ? a : *na;
	}
	*count = (size_t)sk_X509_num(chain);
	ew_chain_free(chain);
	return 0;
}

/* The verdict on a validity window: not yet, expired, soon, fine. */
static void judge_validity(struct checker *k, const char *name, const char *path,
			   int64_t nb, int64_t na)
{
	char t[EW_RFC3339_LEN];

	if (k->now < nb) {
		show_time(nb, t);
		add(k, name, CTL_CHECK_FAIL, "%s is not valid before %s", path, t);
		return;
	}
	show_time(na, t);
	if (k->now >= na)
		add(k, name, CTL_CHECK_FAIL, "%s expired on %s", path, t);
	else if (na - k->now < (int64_t)CTL_CERT_WARN_DAYS * DAY_S)
		add(k, name, CTL_CHECK_WARN, "%s expires on %s, in less than %d days", path, t,
		    CTL_CERT_WARN_DAYS);
	else
		add(k, name, CTL_CHECK_OK, "%s is valid until %s (%lld days)", path, t,
		    (long long)((na - k->now) / DAY_S));
}

static void check_edge_ca(struct checker *k)
{
	const struct ew_config_edge_ca *ca = &k->d.cfg.edge_ca;
	char path[PATH_MAX];
	int64_t nb, na;
	size_t n;

	switch (ca->kind) {
	case EW_CONFIG_EDGE_CA_ISSUED:
		add(k, "edge-ca", CTL_CHECK_FAIL,
		    "[edge_ca] issued by \"est\" or \"local_ca\" is not supported yet: "
		    "edgewardd will not start");
		return;
	case EW_CONFIG_EDGE_CA_PRELOADED:
		if (!ca->cert) {
			add(k, "edge-ca", CTL_CHECK_FAIL, "[edge_ca] has no cert");
			return;
		}
		snprintf(path, sizeof(path), "%s", ca->cert);
		if (!load_validity(k, "edge-ca", path, NULL, &n, &nb, &na))
			judge_validity(k, "edge-ca", path, nb, na);
		return;
	case EW_CONFIG_EDGE_CA_QUICKSTART:
		snprintf(path, sizeof(path), "%s/certs/edge-ca.pem", k->d.cfg.edgeward.state_dir);
		if (!load_validity(k, "edge-ca", path,
				   "edgewardd creates the quickstart CA at its first start",
				   &n, &nb, &na))
			judge_validity(k, "edge-ca", path, nb, na);
		return;
	}
}

static void check_trust_bundle(struct checker *k)
{
	const char *path = k->d.cfg.trust_bundle_cert;
	char t[EW_RFC3339_LEN];
	int64_t nb, na;
	size_t n;

	if (!path) {
		add(k, "trust-bundle", CTL_CHECK_OK, "none configured: modules trust the edge CA");
		return;
	}
	if (load_validity(k, "trust-bundle", path, NULL, &n, &nb, &na))
		return;
	show_time(na, t);
	/* A bundle holds independent roots: one that ended is a warning, not an outage. */
	if (k->now >= na)
		add(k, "trust-bundle", CTL_CHECK_WARN, "%s: a certificate in it expired on %s",
		    path, t);
	else if (na - k->now < (int64_t)CTL_CERT_WARN_DAYS * DAY_S)
		add(k, "trust-bundle", CTL_CHECK_WARN,
		    "%s: a certificate in it expires on %s, in less than %d days", path, t,
		    CTL_CERT_WARN_DAYS);
	else
		add(k, "trust-bundle", CTL_CHECK_OK, "%s: %zu certificate%s, valid until %s at "
		    "least", path, n, n == 1 ? "" : "s", t);
}

/* --- kernel module and sockets ----------------------------------------------- */

static void check_kernel(struct checker *k)
{
	const struct ew_config_kernel *kc = &k->d.cfg.kernel;
	struct ew_client *c;
	struct ew_status st;
	struct ew_error e;
	int r;

	r = ew_client_open(&c, &e);
	if (!r) {
		r = ew_status_get(c, &st, &e);
		ew_client_close(c);
	}
	if (r == -ENOENT && kc->required) {
		add(k, "kernel-module", CTL_CHECK_FAIL,
		    "not loaded, and [kernel] required = true: edgewardd will not start");
	} else if (r == -ENOENT) {
		add(k, "kernel-module", CTL_CHECK_WARN,
		    "not loaded ([kernel] required = false): edgewardd identifies callers by "
		    "/proc/PID/cgroup and nothing is measured");
	} else if (r) {
		add(k, "kernel-module", kc->required ? CTL_CHECK_FAIL : CTL_CHECK_WARN,
		    "cannot be asked: %s", e.msg);
	} else if (kc->mode && kc->mode != st.mode) {
		add(k, "kernel-module", CTL_CHECK_WARN,
		    "loaded (version %s), mode %s, but [kernel] mode = \"%s\" (applied when "
		    "edgewardd starts)", st.version, ew_mode_name(st.mode), ew_mode_name(kc->mode));
	} else if (st.mode == EDGEWARD_MODE_OFF) {
		add(k, "kernel-module", CTL_CHECK_WARN,
		    "loaded (version %s), mode off: nothing is measured or enforced", st.version);
	} else {
		add(k, "kernel-module", CTL_CHECK_OK, "loaded (version %s), mode %s", st.version,
		    ew_mode_name(st.mode));
	}
}

/* Whether something accepts connections on the Unix socket @path. */
static void check_socket(struct checker *k, const char *name, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char msg[sizeof(((struct ctl_check *)0)->detail)];
	int fd, err = 0;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		add(k, name, CTL_CHECK_FAIL, "%s: too long for a Unix socket path", path);
		return;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	/* Non-blocking: a full backlog says "busy" instead of hanging. */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		err = errno;
	if (fd >= 0)
		close(fd);
	if (!err) {
		add(k, name, CTL_CHECK_OK, "%s accepts connections", path);
	} else if (err == EAGAIN) {
		add(k, name, CTL_CHECK_WARN, "%s is busy (its backlog is full)", path);
	} else {
		ctl_mgmt_connect_error(err, path, msg, sizeof(msg));
		add(k, name, err == ENOENT || err == ENOTDIR || err == ECONNREFUSED ||
		    err == EACCES || err == EPERM ? CTL_CHECK_WARN : CTL_CHECK_FAIL, "%s", msg);
	}
}

static void check_sockets(struct checker *k)
{
	const struct ew_config_sock *w = &k->d.cfg.connect.workload;

	if (w->kind == EW_CONFIG_SOCK_UNIX)
		check_socket(k, "workload-socket", w->path);
	else
		add(k, "workload-socket", CTL_CHECK_WARN, "[connect] workload_uri %s is not "
		    "unix://: not checked", w->uri);
	check_socket(k, "management-socket", k->d.sock);
}

int ctl_cmd_check(const struct ctl_args *a)
{
	struct checker k = { .now = time(NULL) };
	bool loaded;
	size_t i;
	int r;

	loaded = check_config(&k, a);
	if (loaded) {
		check_private_dir(&k, "state-dir", k.d.cfg.edgeward.state_dir,
				  "edgewardd creates it at its first start");
		check_keys(&k);
		check_edge_ca(&k);
		check_trust_bundle(&k);
		check_kernel(&k);
		check_sockets(&k);
		ctl_daemon_close(&k.d);
	}
	if (k.oom) {
		ctl_checks_free(&k.out);
		return ctl_error("out of memory");
	}
	if (a->json) {
		r = ctl_emit_json(ctl_json_checks(&k.out), true);
	} else {
		for (i = 0; i < k.out.n; i++)
			ctl_text_check(stdout, &k.out.v[i]);
		r = CTL_EXIT_OK;
	}
	if (!r && ctl_checks_failed(&k.out))
		r = CTL_EXIT_FAIL;
	ctl_checks_free(&k.out);
	return r;
}
