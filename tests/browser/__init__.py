"""End-to-end tests in a real Chromium (Playwright): login, language, start pages, axe-core.

Marked `browser`; they run on PostgreSQL in CI (`-m "not browser"` deselects them on SQLite).
"""
