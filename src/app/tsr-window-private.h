/* tsr-window-private.h — the window's state, shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window is written in three files: tsr-window.c (the project shown,
 * the document read, the layout), tsr-window-actions.c (the win.*
 * actions and their keys) and tsr-window-coding.c (who is coding, the
 * Recent bar, whose coding shows, the panes that follow the reader and
 * the code tree).  Only they include this header.
 */
#pragma once

#include "tsr-case-list.h"
#include "tsr-code-tree.h"
#include "tsr-document-list.h"
#include "tsr-memo-pane.h"
#include "tsr-phases-button.h"
#include "tsr-reader.h"
#include "tsr-reader-search.h"
#include "tsr-session.h"
#include "tsr-review-view.h"
#include "tsr-themes-view.h"
#include "tsr-welcome-page.h"
#include "tsr-window.h"

G_BEGIN_DECLS

/* The codes on Ctrl+1…9. */
#define N_QUICK_CODES 9

/* A code in the Recent bar.  A code deleted (or its creation undone)
 * stays in the list, hidden, so that undoing the deletion or redoing the
 * creation puts it back where it was; the uuid tells it from a new code
 * given the same id. */
typedef struct
{
  gint64 id;
  char   uuid[40];
} RecentCode;

struct _TsrWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* What the views share: the project, the coder, the default scope. */
  TsrSession           *session;

  /* The open project, and the file being opened while busy. */
  TsrProject           *project;
  GListModel           *documents;
  GFile                *file;
  GCancellable         *cancellable;
  gulong                changed_handler;

  TsrDocument          *document;
  gulong                document_notify_handler;

  /* RecentCode: the codes applied most recently, the latest first;
   * the first nine that exist are on Ctrl+1…9. */
  GArray               *recent_codes;
  /* Reading the recent codes of a large project in a worker. */
  GCancellable         *recent_cancellable;
  gulong                coder_handler;

  /* Who is coding: the dialog asking or changing it while it is shown,
   * and whether this project was asked already in this window. */
  AdwMessageDialog     *coder_dialog;
  guint                 ask_coder_source;
  guint                 coder_asked : 1;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  TsrWelcomePage       *welcome_page;
  AdwViewSwitcherTitle *view_switcher_title;
  AdwViewStack         *view_stack;
  AdwViewSwitcherBar   *view_switcher_bar;
  AdwFlap              *sidebar_flap;
  GtkToggleButton      *sidebar_button;
  AdwWindowTitle       *project_title;
  TsrDocumentList      *document_list;
  TsrCaseList          *case_list;
  AdwWindowTitle       *document_title;
  GtkButton            *undo_button;
  GtkButton            *redo_button;
  GtkButton            *coder_button;
  GtkLabel             *coder_label;
  GtkToggleButton      *read_button;
  AdwButtonContent     *read_button_content;
  GtkToggleButton      *done_button;
  AdwButtonContent     *done_button_content;
  GtkStack             *content_stack;
  GtkScrolledWindow    *reader_scroller;
  TsrReader            *reader;
  TsrReaderSearch      *reader_search;
  TsrThemesView        *themes_view;
  TsrReviewView        *review_view;
  TsrPhasesButton      *phases_button;
  AdwFlap              *code_flap;
  GtkToggleButton      *code_pane_button;
  TsrCodeTree          *code_tree;
  TsrMemoPane          *memo_pane;
  GtkToggleButton      *others_button;
  GtkRevealer          *quick_revealer;
  GtkBox               *quick_bar;

  guint                 narrow_source;

  guint                 busy : 1;
  guint                 show_other_coders : 1;
};

/* tsr-window.c */
void     _tsr_window_update_undo_redo          (TsrWindow   *self);
void     _tsr_window_save_state                (TsrWindow   *self);

/* tsr-window-backup.c */
void     _tsr_window_back_up                   (TsrWindow   *self);
void     _tsr_window_save_copy                 (TsrWindow   *self);
void     _tsr_window_open_backup               (TsrWindow   *self);

/* tsr-window-actions.c */
void     _tsr_window_class_actions_init        (GtkWidgetClass *widget_class);
void     _tsr_window_update_actions            (TsrWindow   *self);

/* tsr-window-coding.c */
void     _tsr_window_coding_init               (TsrWindow   *self);
void     _tsr_window_update_coder_button       (TsrWindow   *self);
void     _tsr_window_present_coder_dialog      (TsrWindow   *self,
                                                const char  *name);
void     _tsr_window_maybe_ask_coder           (TsrWindow   *self);
void     _tsr_window_on_current_coder_changed_cb (TsrProject *project,
                                                GParamSpec  *pspec,
                                                TsrWindow   *self);
void     _tsr_window_update_scope              (TsrWindow   *self);
void     _tsr_window_update_quick_bar          (TsrWindow   *self);
void     _tsr_window_seed_recent_codes         (TsrWindow   *self);
gint64   _tsr_window_nth_recent_code           (TsrWindow   *self,
                                                guint        n);
void     _tsr_window_code_selection_with       (TsrWindow   *self,
                                                gint64       code_id);

void     _tsr_window_notify_document_done (TsrWindow *self);

G_END_DECLS
