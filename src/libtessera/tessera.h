/* tessera.h — the Tessera core library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsr-agreement.h"
#include "tsr-counts.h"
#include "tsr-disagreement.h"
#include "tsr-entities.h"
#include "tsr-error.h"
#include "tsr-json.h"
#include "tsr-merge.h"
#include "tsr-project.h"
#include "tsr-text-import.h"
