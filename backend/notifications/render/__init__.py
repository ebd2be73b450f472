"""What a notice says, in the reader's language, on each channel (messages), and the e-mails
built from pwa/templates/email (mail)."""
