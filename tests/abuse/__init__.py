"""Abuse tests: oversized bodies, a flood from one workspace, SQL- and mrkdwn-like text, odd
unsigned requests, and a revoked token."""
