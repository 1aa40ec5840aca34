"""The web chat. ``render``, ``chat``, ``trainer`` and ``guards`` are plain Python; only ``app``
and ``server`` import Gradio, so importing this package stays cheap."""
