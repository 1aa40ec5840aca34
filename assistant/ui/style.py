"""Look of the web chat: a built-in Gradio theme with local fonts only, and a little CSS."""

from __future__ import annotations

from typing import Any

CSS = """
.gradio-container { max-width: 1280px !important; margin: 0 auto; }
#rbp-title h1 { font-size: 1.6rem; margin: 0.2rem 0 0; font-weight: 700; }
#rbp-title p { margin: 0.2rem 0 0; color: var(--body-text-color-subdued); }
#rbp-notice { background: #eef6f6; border: 1px solid #b9dcdc; border-radius: 8px;
  padding: 0.6rem 0.9rem; color: #17393b; line-height: 1.45; }
#rbp-status { color: var(--body-text-color-subdued); font-size: 0.9rem; }
#rbp-status p { margin: 0; }
.rbp-cite { color: #0f5f63; font-weight: 700; white-space: nowrap; }
.rbp-note { color: var(--body-text-color-subdued); font-size: 0.92em; }
.rbp-abstain { border-left: 4px solid #c98a1b; background: #fdf6e8; color: #4a3410;
  padding: 0.5rem 0.8rem; border-radius: 4px; }
.rbp-notice { border-left: 4px solid #3b6ea8; background: #eef3fa; color: #1d3350;
  padding: 0.5rem 0.8rem; border-radius: 4px; }
#rbp-sources { max-height: 640px; overflow-y: auto; }
.rbp-sources-head { font-weight: 700; margin: 0 0 0.5rem; color: #17393b; }
.rbp-sources-head.rbp-closest { color: #6b4a12; }
.rbp-sources-empty { color: var(--body-text-color-subdued); padding: 0.8rem;
  border: 1px dashed var(--border-color-primary); border-radius: 8px; }
.rbp-source { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.6rem 0.8rem; margin-bottom: 0.6rem; background: var(--background-fill-primary); }
.rbp-sources-abstain .rbp-source { border-style: dashed; border-color: #d8b46a; }
.rbp-source-head { font-size: 1rem; }
.rbp-n { color: #0f5f63; font-weight: 700; }
.rbp-where { color: var(--body-text-color-subdued); font-size: 0.88rem; margin: 0.15rem 0 0.35rem; }
.rbp-snippet { margin: 0; padding: 0.3rem 0.6rem; border-left: 3px solid #b9dcdc;
  font-size: 0.93rem; line-height: 1.45; white-space: normal; }
.rbp-snippet mark { background: #fff1a8; color: inherit; padding: 0 1px; border-radius: 2px; }
.rbp-open { display: inline-block; margin-top: 0.35rem; font-size: 0.9rem; }
#rbp-privacy-warning { border: 1px solid #d8b46a; border-left: 4px solid #c98a1b;
  background: #fdf6e8; color: #4a3410; border-radius: 8px; padding: 0.7rem 0.9rem; }
"""


def theme() -> Any:
    """Gradio's Default theme in calm colours, with fonts served by the app itself.

    Source Sans Pro at weights 400 and 700 only: Gradio 6.31 ships a subset SemiBold (600) that
    draws some capitals wrongly, and no remote font or theme is ever fetched.
    """
    import gradio as gr

    font = gr.themes.LocalFont("Source Sans Pro", weights=(400, 700))
    mono = gr.themes.LocalFont("IBM Plex Mono", weights=(400, 700))
    return gr.themes.Default(
        primary_hue="teal",
        secondary_hue="slate",
        neutral_hue="slate",
        radius_size="md",
        font=[font, "ui-sans-serif", "system-ui", "sans-serif"],
        font_mono=[mono, "ui-monospace", "monospace"],
    )
