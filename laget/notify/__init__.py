"""Notifications: a transactional outbox and its delivery (e-mail, SMS gateway, console)."""
