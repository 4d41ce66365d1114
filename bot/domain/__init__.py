"""Pure domain rules: plain functions over plain data, no Matrix, no database, no clock.

Kept apart from I/O (docs/design.md, "rules of the house") so the rules a coordinator relies on on a
Thursday afternoon (how a report is read, who is missing, what the combined picture says) are
unit-tested without a homeserver and reused by commands, scheduler jobs and the web dashboard.
"""
