"""Slack: staff notifications, actions, reminders and tools (slack-bolt)."""
