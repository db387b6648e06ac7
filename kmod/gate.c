// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The edgeward authors.
 *
 * The exec gate: every execve() by a process of a registered module is
 * measured and judged before the new program runs.
 *
 * The gate is a binary format handler inserted at the head of the kernel's
 * list (insert_binfmt()). search_binary_handler() calls it first for every
 * exec, in the exec'ing task's context, where it may sleep to hash the file;
 * it recognises no format itself, so it answers -ENOEXEC and the kernel goes
 * on to the ELF, script or misc handler, unless the verdict is to refuse, in
 * which case -EPERM fails execve() before the point of no return: the old
 * program is still running and the new one never executed an instruction.
 * When a handler found an interpreter (a #! script, a binfmt_misc entry) the
 * kernel searches the list again for it, so the gate judges the script and
 * then its interpreter.
 *
 * binfmt_misc also inserts its handler at the head: the gate loads it first
 * so as to stay ahead. Reloading binfmt_misc after edgeward would put it in
 * front again (its files would then escape judgement, their interpreters
 * not); a mounted binfmt_misc cannot be unloaded.
 *
 * Limits, by construction: only what execve() loads is judged. A script given
 * to an interpreter as an argument ("sh script"), shared libraries, and code
 * a program reads or maps by itself are not; a file run through fexecve() or
 * from a memfd is judged like any other. The gate fails open on its own
 * errors: a file it cannot read runs, and the event says it was not measured.
 */

#include "gate.h"
#include "events.h"
#include "imalog.h"
#include "keyring.h"
#include "measure.h"
#include "mode.h"
#include "registry.h"

#include <linux/binfmts.h>
#include <linux/cgroup.h>
#include <linux/edgeward.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/sched.h>

/**
 * ew_reg_effective_mode() - the mode a registration's processes are judged in
 * @reg: the registration
 *
 * The global mode off turns everything off; otherwise the registration's own
 * mode, if it has one, wins over the global one.
 *
 * Return: an enum edgeward_mode.
 */
u32 ew_reg_effective_mode(const struct ew_reg *reg)
{
	u32 global = ew_mode_get();

	if (global == EDGEWARD_MODE_OFF || !reg->mode)
		return global;
	return reg->mode;
}

/**
 * ew_judge() - the verdict of a registration on an executable
 * @reg: the registration governing the process
 * @file: the executable, open for reading; may sleep
 * @digest: EDGEWARD_DIGEST_LEN bytes out, set unless the verdict is
 *	unjudged or unmeasured
 *
 * Return: an enum edgeward_verdict.
 */
u32 ew_judge(const struct ew_reg *reg, struct file *file, u8 *digest)
{
	u32 mode = ew_reg_effective_mode(reg);

	if (mode == EDGEWARD_MODE_OFF)
		return EDGEWARD_VERDICT_UNJUDGED;
	if (ew_measure(file, digest))
		return EDGEWARD_VERDICT_UNMEASURED;
	if (ew_reg_allows(reg, digest))
		return EDGEWARD_VERDICT_ALLOWED;
	if (ew_keyring_ima_signed(reg, file, digest))
		return EDGEWARD_VERDICT_SIGNED;
	return mode == EDGEWARD_MODE_ENFORCE ? EDGEWARD_VERDICT_DENIED :
					       EDGEWARD_VERDICT_AUDITED;
}

static int ew_gate_load_binary(struct linux_binprm *bprm)
{
	u8 digest[EDGEWARD_DIGEST_LEN];
	struct cgroup *cgrp;
	struct ew_reg *reg;
	u64 cgid;
	u32 verdict;

	/* Nothing registered or everything off: one load each. */
	if (!ew_registry_count() || ew_mode_get() == EDGEWARD_MODE_OFF)
		return -ENOEXEC;

	rcu_read_lock();
	cgrp = task_dfl_cgroup(current);
	cgid = cgroup_id(cgrp);
	reg = ew_registry_lookup(cgrp);
	rcu_read_unlock();
	if (!reg)
		return -ENOEXEC;

	verdict = ew_judge(reg, bprm->file, digest);
	switch (verdict) {
	case EDGEWARD_VERDICT_DENIED:
		ew_imalog_exec_denied(reg, cgid, digest, bprm->file);
		fallthrough;
	case EDGEWARD_VERDICT_AUDITED:
		ew_event_exec(verdict, reg, cgid, digest, bprm->file);
		break;
	case EDGEWARD_VERDICT_UNMEASURED:
		ew_event_exec(verdict, reg, cgid, NULL, bprm->file);
		break;
	}
	ew_reg_put(reg);

	return verdict == EDGEWARD_VERDICT_DENIED ? -EPERM : -ENOEXEC;
}

static struct linux_binfmt ew_binfmt = {
	.module = THIS_MODULE,
	.load_binary = ew_gate_load_binary,
};

void __init ew_gate_init(void)
{
	/*
	 * binfmt_misc, the one other handler that inserts itself at the head,
	 * would go before the gate if it came later, and the files it runs
	 * would no longer be judged themselves (their interpreters still
	 * would): have it in first. A failure only means there is none.
	 */
	if (IS_MODULE(CONFIG_BINFMT_MISC))
		request_module("binfmt_misc");
	insert_binfmt(&ew_binfmt);
}

/*
 * Once unregistered no new exec can enter the gate, and none is inside: each
 * holds a reference to this module, so the module could not be unloading.
 */
void ew_gate_exit(void)
{
	unregister_binfmt(&ew_binfmt);
}
