"""The rule pack: appeal and chrome patterns loaded from the data files beside this module."""

RULES_VERSION = "rules-0"
