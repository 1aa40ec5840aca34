"""rbp-assistant: a cited teaching assistant for relationship-based social work CPD.

Importing the package has no side effects: models load on first use and settings are built by
:func:`assistant.settings.get_settings`.
"""

__version__ = "0.1.0"
