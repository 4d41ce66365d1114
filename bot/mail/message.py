"""A mail row as the MIME message that goes on the wire: a plain-text and an HTML part of the
same content, the row's stable Message-ID, and headers that tell mail systems it is automatic
(no out-of-office replies back to the bot)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

from storage.models.mail import MailMessage


def mime_message(row: MailMessage, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Message-ID"] = row.message_id
    message["Date"] = format_datetime(row.created_at)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    return message
