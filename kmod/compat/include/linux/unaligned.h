/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/unaligned.h> for the kernels before 6.12, which have the same
 * helpers in <asm/unaligned.h>.  Kbuild puts kmod/compat/include on the
 * include path only for a kernel without <linux/unaligned.h>.
 */
#ifndef _CLIPPER_COMPAT_LINUX_UNALIGNED_H
#define _CLIPPER_COMPAT_LINUX_UNALIGNED_H

#include <asm/unaligned.h>

#endif /* _CLIPPER_COMPAT_LINUX_UNALIGNED_H */
