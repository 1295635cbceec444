/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLIPPER_VERSION_H
#define _CLIPPER_VERSION_H

#define CLIPPER_VERSION "0.1.0"

#endif
