/* tessera.h — the Tessera core library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsr-agreement.h"
#include "tsr-autocode.h"
#include "tsr-cooccurrence.h"
#include "tsr-counts.h"
#include "tsr-disagreement.h"
#include "tsr-entities.h"
#include "tsr-enum-types.h"
#include "tsr-error.h"
#include "tsr-export.h"
#include "tsr-import.h"
#include "tsr-json.h"
#include "tsr-map-layout.h"
#include "tsr-map-render.h"
#include "tsr-matrix.h"
#include "tsr-merge.h"
#include "tsr-phases.h"
#include "tsr-refi.h"
#include "tsr-project.h"
#include "tsr-report.h"
#include "tsr-retrieve.h"
#include "tsr-search.h"
#include "tsr-text-import.h"
#include "tsr-theme-review.h"
#include "tsr-theme-tally.h"
#include "tsr-words.h"
