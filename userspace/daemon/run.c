// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bringing the daemon up and down: state directory, keys, edge CA, kernel
 * link, modules, the two API servers, the renewal timer, and the event
 * loop that ties signals, the supervisor, kernel events and timers
 * together.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "daemon/mgmt.h"
#include "daemon/modules.h"
#include "daemon/notify.h"
#include "daemon/run.h"
#include "daemon/supervise.h"
#include "daemon/workload.h"
#include "http/http.h"
#include "util/errbuf.h"

/* mkdir -p with @mode for what is created. */
static int mkdirs(const char *path, mode_t mode)
{
	char p[PATH_MAX];
	size_t i, n = strlen(path);

	if (n >= sizeof(p))
		return -ENAMETOOLONG;
	memcpy(p, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, mode) && errno != EEXIST)
			return -errno;
		p[i] = path[i];
	}
	return 0;
}

static int open_state(struct ew_daemon *d, char *err, size_t errlen)
{
	const char *dir = d->cfg.edgeward.state_dir;
	char msg[256];
	int rc;

	rc = mkdirs(dir, 0700);
	if (rc)
		return ew_errbuf(err, errlen, rc, "state directory %s: %s", dir, strerror(-rc));
	d->state_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->state_fd < 0)
		return ew_errbuf(err, errlen, -errno, "state directory %s: %s", dir,
			     strerror(errno));
	/* One daemon per state directory. */
	if (flock(d->state_fd, LOCK_EX | LOCK_NB))
		return ew_errbuf(err, errlen, -EBUSY,
			     "state directory %s is in use by another edgewardd", dir);
	rc = ew_state_load(&d->state, d->state_fd, msg, sizeof(msg));
	if (rc)
		return ew_errbuf(err, errlen, rc, "%s/%s", dir, msg);
	return 0;
}

/*
 * Whether the store's @id is @value: their HMACs of a fixed text agree (the
 * key never leaves the store), so an unchanged key is not written again at
 * every start.
 */
static bool same_key(struct ew_keystore *ks, const char *id, const uint8_t *value)
{
	static const char probe[] = "edgeward key check";
	uint8_t a[EW_HMAC_LEN], b[EW_HMAC_LEN];
	size_t n = 0;

	if (ew_key_exists(ks, id) != 1 ||
	    ew_key_hmac(ks, id, probe, sizeof(probe) - 1, a) ||
	    !EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, value, EW_SYM_KEY_LEN,
		       (const unsigned char *)probe, sizeof(probe) - 1, b, sizeof(b), &n))
		return false;
	return n == sizeof(b) && !CRYPTO_memcmp(a, b, sizeof(a));
}

static int open_keys(struct ew_daemon *d, char *err, size_t errlen)
{
	const struct ew_config_provisioning *p = &d->cfg.provisioning;
	char dir[PATH_MAX], msg[256];
	int rc;

	snprintf(dir, sizeof(dir), "%s/keys", d->cfg.edgeward.state_dir);
	d->keys = ew_keystore_open_file(dir, msg, sizeof(msg));
	if (!d->keys)
		return ew_errbuf(err, errlen, -EIO, "key store: %s", msg);
	rc = ew_key_sym_ensure(d->keys, EW_KEY_IDENTITY_MASTER);
	if (!rc)
		rc = ew_key_sym_ensure(d->keys, EW_KEY_WORKLOAD_ENC);
	if (rc)
		return ew_errbuf(err, errlen, rc, "key store: %s", ew_keystore_error(d->keys));
	/* The device's own SAS key, for IoT Hub (used once provisioning talks
	 * to the cloud); replaced whenever the configuration changes it. */
	if (p->source == EW_CONFIG_PROV_MANUAL && p->auth == EW_CONFIG_AUTH_SAS &&
	    p->device_id_pk.kind == EW_CONFIG_KEY_VALUE) {
		if (p->device_id_pk.value_len != EW_SYM_KEY_LEN) {
			ew_log(LOG_WARNING, "device key of %zu bytes not imported: the file key "
			       "store holds %d-byte keys", p->device_id_pk.value_len,
			       EW_SYM_KEY_LEN);
		} else if (!same_key(d->keys, "device-id", p->device_id_pk.value)) {
			ew_key_delete(d->keys, "device-id");
			if (ew_key_sym_create(d->keys, "device-id", p->device_id_pk.value))
				return ew_errbuf(err, errlen, -EIO, "key store: %s",
					     ew_keystore_error(d->keys));
		}
	}
	return 0;
}

static int open_edge_ca(struct ew_daemon *d, char *err, size_t errlen)
{
	const struct ew_config_edge_ca *c = &d->cfg.edge_ca;
	struct ew_edge_ca_config cfg = {
		.state_dir = d->cfg.edgeward.state_dir,
		.expiry_days = c->quickstart_expiry_days,
		.trust_bundle_cert = d->cfg.trust_bundle_cert,
	};
	char msg[512];

	if (c->kind == EW_CONFIG_EDGE_CA_ISSUED)
		return ew_errbuf(err, errlen, -EOPNOTSUPP,
			     "[edge_ca] method = \"est\"/\"local_ca\" is not supported yet");
	if (c->kind == EW_CONFIG_EDGE_CA_PRELOADED) {
		if (c->pk.kind != EW_CONFIG_KEY_FILE)
			return ew_errbuf(err, errlen, -EOPNOTSUPP,
				     "[edge_ca] pk: only file keys are supported yet");
		cfg.cert = c->cert;
		cfg.pk = c->pk.location;
	}
	d->ca = ew_edge_ca_load(&cfg, d->keys, time(NULL), msg, sizeof(msg));
	if (!d->ca)
		return ew_errbuf(err, errlen, -EIO, "edge CA: %s", msg);
	return 0;
}

static int open_kernel(struct ew_daemon *d, char *err, size_t errlen)
{
	const struct ew_config_kernel *k = &d->cfg.kernel;
	struct ew_error e = { 0 };
	int rc;

	rc = ew_kernel_open(&d->kernel, k->required, &e);
	if (rc)
		return ew_errbuf(err, errlen, rc, "kernel module: %s%s", e.msg,
			     k->required ? " ([kernel] required = true)" : "");
	if (!ew_kernel_present(&d->kernel)) {
		ew_log(LOG_WARNING, "kernel module not loaded: callers are identified from "
		       "/proc/PID/cgroup (weaker: no measurement, pid reuse not excluded)");
		return 0;
	}
	if (k->mode) {
		pthread_mutex_lock(&d->kernel.lock);
		rc = ew_mode_set(d->kernel.client, k->mode, &e);
		pthread_mutex_unlock(&d->kernel.lock);
		if (rc)
			return ew_errbuf(err, errlen, rc, "kernel mode %s: %s", ew_mode_name(k->mode),
				     e.msg);
	}
	return 0;
}

/* The agent of [agent], as a process module the daemon keeps running. */
static cJSON *agent_spec(const struct ew_config_agent *a)
{
	cJSON *spec = cJSON_CreateObject(), *config, *settings, *env, *args;
	char digest[80];
	size_t i;

	config = cJSON_AddObjectToObject(spec, "config");
	settings = cJSON_AddObjectToObject(config, "settings");
	env = cJSON_AddArrayToObject(config, "env");
	args = cJSON_AddArrayToObject(settings, "args");
	if (!spec || !config || !settings || !env || !args ||
	    !cJSON_AddStringToObject(spec, "name", a->name) ||
	    !cJSON_AddStringToObject(spec, "type", "process") ||
	    !cJSON_AddStringToObject(settings, "exec", a->exec))
		goto fail;
	for (i = 0; i < a->n_args; i++)
		if (!cJSON_AddItemToArray(args, cJSON_CreateString(a->args[i])))
			goto fail;
	if (a->user && !cJSON_AddStringToObject(settings, "user", a->user))
		goto fail;
	if (a->has_expected_digest) {
		strcpy(digest, "sha256:");
		ew_digest_format(a->expected_digest, digest + 7);
		if (!cJSON_AddStringToObject(settings, "expectedDigest", digest))
			goto fail;
	}
	for (i = 0; i < a->env.n; i++) {
		cJSON *e = cJSON_CreateObject();

		if (!e || !cJSON_AddStringToObject(e, "key", a->env.items[i].name) ||
		    !cJSON_AddStringToObject(e, "value", a->env.items[i].value) ||
		    !cJSON_AddItemToArray(env, e)) {
			cJSON_Delete(e);
			goto fail;
		}
	}
	return spec;
fail:
	cJSON_Delete(spec);
	return NULL;
}

/*
 * Puts the configured agent into the state (the configuration wins over
 * what was recorded), to be started with the other modules.
 */
static int bootstrap_agent(struct ew_daemon *d, char *err, size_t errlen)
{
	const struct ew_config_agent *a = &d->cfg.agent;
	struct ew_module_rec *m;
	struct ew_identity *id;
	enum ew_module_type type;
	char msg[256];
	cJSON *spec;
	int rc;

	if (a->type != EW_MODULE_PROCESS) {
		ew_log(LOG_WARNING, "agent %s of type docker not started: docker modules are "
		       "not supported yet", a->name);
		return 0;
	}
	if (!a->exec)
		return 0;
	spec = agent_spec(a);
	if (!spec)
		return ew_errbuf(err, errlen, -ENOMEM, "out of memory");
	if (ew_module_spec_check(spec, &type, msg, sizeof(msg))) {
		cJSON_Delete(spec);
		return ew_errbuf(err, errlen, -EINVAL, "[agent]: %s", msg);
	}
	rc = ew_state_identity_ensure(&d->state, a->name, EW_MANAGED_BY_EDGE, &id);
	m = ew_state_module(&d->state, a->name);
	if (!rc && m) {
		cJSON_Delete(m->spec);
		m->spec = spec;
	} else if (!rc) {
		rc = ew_state_module_add(&d->state, a->name, EW_MODULE_PROCESS, spec);
		m = rc ? NULL : ew_state_module(&d->state, a->name);
	}
	if (rc) {
		cJSON_Delete(spec);
		return ew_errbuf(err, errlen, rc, "agent %s: %s", a->name, strerror(-rc));
	}
	m->want_running = true;
	rc = ew_state_save(&d->state, msg, sizeof(msg));
	return rc ? ew_errbuf(err, errlen, rc, "%s", msg) : 0;
}

/* A socket of [listen]: bound here, or taken from systemd by name. */
static int listen_on(const struct ew_config_sock *s, struct ew_listen_fds *fds,
		     mode_t mode, char *err, size_t errlen)
{
	char dir[PATH_MAX], msg[256], *slash;
	int fd;

	if (s->kind == EW_CONFIG_SOCK_FD) {
		fd = ew_listen_fds_take(fds, s->path);
		if (fd < 0)
			return ew_errbuf(err, errlen, fd, "%s: systemd passed no socket named %s",
				     s->uri, s->path);
		return fd;
	}
	snprintf(dir, sizeof(dir), "%s", s->path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdirs(dir, 0755);
	}
	fd = ew_http_listen_unix(s->path, mode, (gid_t)-1, msg, sizeof(msg));
	if (fd < 0)
		return ew_errbuf(err, errlen, fd, "%s: %s", s->uri, msg);
	return fd;
}

static void http_log(void *cls, int priority, const char *msg)
{
	(void)cls;
	ew_log(priority, "%s", msg);
}

static int start_servers(struct ew_daemon *d, char *err, size_t errlen)
{
	struct ew_http_server_opts wo = {
		.name = "workload", .api_versions = ew_http_azure_api_versions,
		.max_per_uid = d->cfg.iotedge_max_requests.workload, .log = http_log,
	};
	struct ew_http_server_opts mo = {
		.name = "management", .api_versions = ew_http_azure_api_versions,
		.max_per_uid = d->cfg.iotedge_max_requests.management, .log = http_log,
	};
	struct ew_listen_fds fds = { 0 };
	char msg[256];
	int wfd, mfd, rc;

	rc = ew_listen_fds_from_env(&fds, msg, sizeof(msg));
	if (rc < 0)
		return ew_errbuf(err, errlen, rc, "systemd sockets: %s", msg);
	wfd = listen_on(&d->cfg.listen.workload, &fds, 0666, err, errlen);
	if (wfd < 0) {
		ew_listen_fds_close_rest(&fds);
		return wfd;
	}
	mfd = listen_on(&d->cfg.listen.management, &fds, 0660, err, errlen);
	ew_listen_fds_close_rest(&fds);
	if (mfd < 0) {
		close(wfd);
		return mfd;
	}
	d->workload = ew_http_server_start(wfd, ew_workload_routes(), d, &wo, msg, sizeof(msg));
	if (!d->workload) {
		close(mfd);
		return ew_errbuf(err, errlen, -EIO, "workload API: %s", msg);
	}
	d->mgmt = ew_http_server_start(mfd, ew_mgmt_routes(), d, &mo, msg, sizeof(msg));
	if (!d->mgmt)
		return ew_errbuf(err, errlen, -EIO, "management API: %s", msg);
	return 0;
}

/* The signals the event loop takes through a signalfd. */
static void loop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
}

int ew_daemon_start(struct ew_daemon *d, char *err, size_t errlen)
{
	sigset_t set;
	int rc;

	/* Blocked before any thread exists, so every thread inherits it and
	 * the signals wait for the loop's signalfd. */
	loop_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	d->state_fd = -1;
	d->started = time(NULL);
	pthread_mutex_init(&d->lock, NULL);
	pthread_mutex_init(&d->rt_lock, NULL);
	d->authz.kernel = &d->kernel;
	snprintf(d->hub, sizeof(d->hub), "%s", ew_config_hub(&d->cfg));
	snprintf(d->device_id, sizeof(d->device_id), "%s", ew_config_device_id(&d->cfg));
	if (d->cfg.provisioning.source == EW_CONFIG_PROV_DPS)
		ew_log(LOG_WARNING, "DPS provisioning is not supported yet: running with the "
		       "device identity \"%s\" on \"%s\"", d->device_id, d->hub);

	rc = open_state(d, err, errlen);
	rc = rc ?: open_keys(d, err, errlen);
	rc = rc ?: open_edge_ca(d, err, errlen);
	rc = rc ?: open_kernel(d, err, errlen);
	rc = rc ?: bootstrap_agent(d, err, errlen);
	/* The sockets before the modules: they connect as soon as they run. */
	rc = rc ?: start_servers(d, err, errlen);
	rc = rc ?: ew_modules_init(d, err, errlen);
	if (rc)
		return rc;
	if (d->cfg.kernel.lock_after_boot && ew_kernel_present(&d->kernel)) {
		struct ew_error e = { 0 };

		pthread_mutex_lock(&d->kernel.lock);
		rc = ew_lock(d->kernel.client, &e);
		pthread_mutex_unlock(&d->kernel.lock);
		if (rc)
			return ew_errbuf(err, errlen, rc, "kernel lock: %s", e.msg);
		ew_log(LOG_NOTICE, "kernel module locked until reboot");
	}
	ew_log(LOG_INFO, "edgewardd %s: device %s on %s, workload %s, management %s, "
	       "kernel module %s", EW_VERSION, d->device_id, d->hub, d->cfg.listen.workload.uri,
	       d->cfg.listen.management.uri,
	       ew_kernel_present(&d->kernel) ? "attached" : "absent");
	return 0;
}

/* --- the event loop ----------------------------------------------------------- */

struct loop {
	int ep;
	int sig;
	int timer;
	struct ew_events *events;
	struct ew_renew *renew;
};

enum { SRC_SIGNAL = 1, SRC_SUPERVISOR, SRC_TIMER, SRC_EVENTS };

static int watch(int ep, int fd, uint32_t src)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = src };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static void renew_notify(void *ctx, const char *name, enum ew_renew_event ev,
			 const char *msg)
{
	(void)ctx;
	ew_log(ev == EW_RENEW_EV_RENEWED ? LOG_INFO : LOG_WARNING, "certificate %s: %s",
	       name, msg);
}

/* Arms the timer for the renewal engine's next wakeup. */
static void arm_timer(struct loop *l)
{
	struct itimerspec its = { 0 };
	int64_t now = time(NULL), next;

	if (!l->renew)
		return;
	next = ew_renew_next_wakeup(l->renew, now);
	if (next == INT64_MAX)
		return;
	its.it_value.tv_sec = next > now ? next : now + 1;
	timerfd_settime(l->timer, TFD_TIMER_ABSTIME, &its, NULL);
}

static void setup_renewal(struct ew_daemon *d, struct loop *l)
{
	struct ew_renew_cert_config cfg;
	char msg[256];

	if (ew_edge_ca_renew_config(d->ca, d->cfg.edge_ca.auto_renew.rotate_key,
				    &d->cfg.edge_ca.auto_renew.policy, &cfg))
		return;	/* a preloaded CA is not edgeward's to renew */
	l->renew = ew_renew_new(d->keys, renew_notify, d);
	if (!l->renew || ew_renew_add(l->renew, &cfg, time(NULL), msg, sizeof(msg))) {
		ew_log(LOG_ERR, "edge CA renewal disabled: %s", l->renew ? msg : "out of memory");
		ew_renew_free(l->renew);
		l->renew = NULL;
	}
}

static void on_signal(struct ew_daemon *d, struct loop *l)
{
	struct signalfd_siginfo si;

	while (read(l->sig, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			d->reload = true;
		else
			d->stop = true;
	}
}

static void reload(struct ew_daemon *d, const char *config_path)
{
	struct ew_config cfg;
	char msg[512];
	int rc;

	d->reload = false;
	ew_notify("RELOADING=1");
	rc = config_path ? ew_config_load_file(config_path, &cfg, msg, sizeof(msg)) : -ENOENT;
	if (rc == -ENOENT && !config_path) {
		ew_log(LOG_INFO, "reload: no configuration file, nothing to do");
	} else if (rc) {
		ew_log(LOG_ERR, "reload: %s: keeping the running configuration", msg);
	} else {
		for (size_t i = 0; i < cfg.n_warnings; i++)
			ew_log(LOG_WARNING, "reload: %s", cfg.warnings[i]);
		/* What changes safely at run time: the log level. The rest
		 * (identity, CA, sockets, agent) needs a restart. */
		/* Said before the level changes, so that it is seen. */
		ew_log(LOG_NOTICE, "reload: log level applied; other changes take effect "
		       "on restart");
		ew_log_set_level(cfg.edgeward.log_level);
		d->cfg.edgeward.log_level = cfg.edgeward.log_level;
		ew_config_free(&cfg);
	}
	ew_notify("READY=1");
}

static void on_events(struct ew_daemon *d, struct loop *l)
{
	struct ew_error e = { 0 };
	struct ew_event ev;
	int rc;

	while ((rc = ew_events_next(l->events, &ev, 0, &e)) != 0) {
		if (rc == -ENOENT) {
			ew_log(LOG_ERR, "kernel module unloaded: events end");
			epoll_ctl(l->ep, EPOLL_CTL_DEL, ew_events_fd(l->events), NULL);
			ew_events_close(l->events);
			l->events = NULL;
			ew_kernel_bump(&d->kernel);
			return;
		}
		/* Any change, or lost events: cached verdicts are asked again. */
		ew_kernel_bump(&d->kernel);
		if (rc < 0)
			return;
		if (ev.cmd == EDGEWARD_CMD_EXEC_NTF && ev.task.verdict == EDGEWARD_VERDICT_DENIED)
			ew_log(LOG_WARNING, "kernel denied %s in module %s", ev.task.path,
			       ev.task.name);
	}
}

int ew_daemon_loop(struct ew_daemon *d, const char *config_path)
{
	struct loop l = { .ep = -1, .sig = -1, .timer = -1 };
	struct epoll_event evs[8];
	struct ew_error e = { 0 };
	sigset_t set;
	int rc = 0, i, n;

	loop_signals(&set);
	l.ep = epoll_create1(EPOLL_CLOEXEC);
	l.sig = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	l.timer = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
	if (l.ep < 0 || l.sig < 0 || l.timer < 0) {
		rc = -errno;
		goto out;
	}
	rc = watch(l.ep, l.sig, SRC_SIGNAL);
	rc = rc ?: watch(l.ep, l.timer, SRC_TIMER);
	if (!rc && d->sv)
		rc = watch(l.ep, ew_supervisor_fd(d->sv), SRC_SUPERVISOR);
	if (rc)
		goto out;
	if (ew_kernel_present(&d->kernel)) {
		if (ew_events_open(&l.events, &e))
			ew_log(LOG_WARNING, "kernel events: %s (verdicts re-checked per request)",
			       e.msg);
		else if (watch(l.ep, ew_events_fd(l.events), SRC_EVENTS))
			ew_log(LOG_WARNING, "kernel events: cannot watch");
	}
	setup_renewal(d, &l);
	arm_timer(&l);
	ew_notify("READY=1");
	while (!d->stop) {
		n = epoll_wait(l.ep, evs, 8, -1);
		if (n < 0 && errno != EINTR) {
			rc = -errno;
			break;
		}
		for (i = 0; i < n; i++) {
			switch (evs[i].data.u32) {
			case SRC_SIGNAL:
				on_signal(d, &l);
				break;
			case SRC_SUPERVISOR:
				pthread_mutex_lock(&d->rt_lock);
				if (d->sv)
					ew_supervisor_dispatch(d->sv);
				pthread_mutex_unlock(&d->rt_lock);
				break;
			case SRC_TIMER: {
				uint64_t x;

				if (read(l.timer, &x, sizeof(x)) < 0 && errno != EAGAIN)
					break;
				ew_renew_run_due(l.renew, time(NULL));
				arm_timer(&l);
				break;
			}
			case SRC_EVENTS:
				on_events(d, &l);
				break;
			}
		}
		if (d->reload)
			reload(d, config_path);
	}
out:
	ew_notify("STOPPING=1");
	if (l.events)
		ew_events_close(l.events);
	ew_renew_free(l.renew);
	if (l.timer >= 0)
		close(l.timer);
	if (l.sig >= 0)
		close(l.sig);
	if (l.ep >= 0)
		close(l.ep);
	return rc;
}

void ew_daemon_stop(struct ew_daemon *d)
{
	/* No new requests first, then the modules end cleanly. */
	if (d->workload)
		ew_http_server_stop(d->workload);
	if (d->mgmt)
		ew_http_server_stop(d->mgmt);
	d->workload = d->mgmt = NULL;
	ew_modules_shutdown(d);
	if (d->ca)
		ew_edge_ca_free(d->ca);
	if (d->keys)
		ew_keystore_close(d->keys);
	if (d->kernel.client || d->authz.kernel)
		ew_kernel_close(&d->kernel);
	ew_state_free(&d->state);
	if (d->state_fd >= 0)
		close(d->state_fd);
	pthread_mutex_destroy(&d->lock);
	pthread_mutex_destroy(&d->rt_lock);
	ew_config_free(&d->cfg);
}
