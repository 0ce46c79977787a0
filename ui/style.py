"""The page's CSS: sliders that show their value in the box beside them (Danish) instead of on the thumb,
the budget bar kept in view, Danish words on the file picker, and the committee view's large, high-contrast
type for a projector."""

from __future__ import annotations

import streamlit as st

from ui_text import APP

BASE = """
<style>
[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBar"] {display: none;}
.st-key-budget_bar {position: sticky; top: 0; z-index: 20; background: var(--background-color, #fff);
  padding: 0.3rem 0 0.2rem 0; border-bottom: 1px solid rgba(49, 51, 63, 0.15);}
[data-testid="stFileUploaderDropzoneInstructions"] > div > span {display: none;}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {content: "%(drop)s"; font-size: 0.9rem;}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {display: none;}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {content: "%(browse)s";}
[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {display: none;}
[data-testid="stMetricValue"] {font-size: 2rem;}
[data-testid="stMainBlockContainer"] {padding-top: 1.2rem; padding-bottom: 3rem;}
</style>
"""
COMMITTEE = """
<style>
[data-testid="stAppViewContainer"], [data-testid="stMain"] {background: #fff;}
[data-testid="stMainBlockContainer"] {max-width: 100%; padding: 1rem 2.5rem 3rem 2.5rem;}
h1 {font-size: 42px !important; color: #000 !important; padding: 0 !important;}
[data-testid="stMetric"] {border: 3px solid #000 !important; padding: 0.8rem 1.2rem !important;}
[data-testid="stMetricLabel"] p {font-size: 28px !important; color: #000 !important; font-weight: 600;}
[data-testid="stMetricLabel"] div, [data-testid="stMetricLabel"] p {white-space: normal !important; overflow: visible;}
[data-testid="stMetricValue"] div, [data-testid="stMetricValue"] {font-size: 60px !important; color: #000 !important;
  font-weight: 700; overflow: visible; white-space: nowrap;}
[data-testid="stMetricDelta"] div, [data-testid="stMetricDelta"] {font-size: 27px !important;}
.stMarkdown p, .stMarkdown li, [data-testid="stCaptionContainer"] p {font-size: 28px !important;
  color: #000 !important;}
[data-testid="stTable"] td, [data-testid="stTable"] th {font-size: 28px !important; color: #000 !important;
  padding: 0.4rem 0.8rem !important;}
[data-testid="stTable"] th {font-weight: 700 !important; background: #eee;}
[data-testid="stTable"] td, [data-testid="stTable"] td p {text-align: right !important; white-space: nowrap;}
@media (max-width: 1100px) {
  [data-testid="stMetricValue"] div, [data-testid="stMetricValue"] {font-size: 48px !important;}
}
[data-testid="stAlert"] p, [data-testid="stAlert"] li {font-size: 28px !important;}
button p {font-size: 22px !important;}
</style>
"""


def base() -> None:
    st.html(BASE % {"drop": APP["upload_drop"], "browse": APP["upload_browse"]})


def committee() -> None:
    st.html(COMMITTEE)
