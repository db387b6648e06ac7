// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgewardctl manifest: prints the canonical manifest of the registration
 * its options describe, byte for byte, for signing:
 *
 *   edgewardctl manifest OPTIONS > m
 *   openssl cms -sign -binary -noattr -outform DER -md sha256 -in m \
 *       -signer cert.pem -inkey key.pem -out m.sig
 *   edgewardctl register --cgroup PATH OPTIONS --manifest-sig m.sig
 *
 * The same options in the same order give the same manifest as the kernel
 * rebuilds from the request.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "output.h"

int ctl_cmd_manifest(const struct ctl_args *a)
{
	struct ew_reg_spec spec;
	size_t len;
	char *text;
	int r;

	ctl_reg_spec(a, &spec);
	r = ew_manifest_text(&spec, &text, &len);
	if (r)
		return ctl_error("cannot build the manifest: %s", strerror(-r));
	if (a->json)
		r = ctl_emit_json(ctl_json_manifest(text), true);
	else if (fwrite(text, 1, len, stdout) != len)
		r = ctl_error("cannot write the manifest");
	free(text);
	return r;
}
