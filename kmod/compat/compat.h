/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels clipper supports (Debian's 6.1 and 6.12
 * and anything in between), in one place.  Force-included into every
 * source file by Kbuild; the sources are written against the newest API.
 * Each entry is chosen by a feature probe in Kbuild (COMPAT_* defines), not
 * by version number, so distribution backports are picked up as they are.
 */
#ifndef _CLIPPER_COMPAT_H
#define _CLIPPER_COMPAT_H

#include <linux/version.h>

#ifndef COMPAT_HAVE_GENL_MCAST_CAP
/* Before 6.6 multicast groups had no permission flags: anyone may listen. */
#define GENL_MCAST_CAP_NET_ADMIN 0
#endif

#endif /* _CLIPPER_COMPAT_H */
