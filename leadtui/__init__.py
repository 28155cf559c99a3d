"""leadtui: keyboard-driven lead triage for sales teams."""

__version__ = "0.1.0"
