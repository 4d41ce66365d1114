"""The reservväg off Matrix: e-mail through an SMTP server, from a persisted outbox."""
